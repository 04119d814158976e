// Shared by the two web benchmarks (bench/Appraisal.Web.Bench and bench/Appraisal.Bench.WebOverview),
// compiled into each as a linked file: the same company, sign-in and machine description, so that their
// figures are about the same data.
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Appraisal.App.Sheets;
using Appraisal.Web.Sheets;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Bench;

/// <summary>A company of N agents with one month entered, seeded through the product's DbContext and Identity.</summary>
public static class BenchCompany
{
    /// <summary>
    /// HR (user "hr" with <paramref name="password"/>), teams of 100 agents each (or <paramref name="teamCount"/> teams) under a supervisor, and
    /// <paramref name="month"/> open with every agent's supervisor sheet, most self-assessments and the
    /// facts. Deterministic, varied data: every grade band, all three commission tiers, some without a
    /// self-assessment, a few long absences.
    /// </summary>
    public static async Task SeedAsync(IServiceProvider services, YearMonth month, int count, string password, int? teamCount = null)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var hired = month.FirstDay.AddYears(-1);
        var hr = new Person { EmployeeNo = "H001", Name = "人事", Role = Roles.Hr, HireDate = hired };
        db.People.Add(hr);
        await db.SaveChangesAsync();
        Check(await users.CreateAsync(new AppUser { UserName = "hr", PersonId = hr.Id }, password));
        Check(await users.AddToRoleAsync((await users.FindByNameAsync("hr"))!, Roles.Hr));

        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var teams = new List<Team>();
        for (var t = 0; t < (teamCount ?? Math.Max(1, count / 100)); t++)
        {
            var supervisor = new Person { EmployeeNo = $"S{t + 1:D3}", Name = $"主管{t + 1}", Role = Roles.Supervisor, HireDate = hired };
            db.People.Add(supervisor);
            await db.SaveChangesAsync();
            var team = new Team { Name = $"客服{t + 1}组", SupervisorId = supervisor.Id };
            db.Teams.Add(team);
            teams.Add(team);
        }

        await db.SaveChangesAsync();
        var row = new AppraisalMonth { Month = month.ToString(), Status = MonthStatus.Open, OpenedAt = DateTime.UtcNow, OpenedBy = "hr" };
        db.Months.Add(row);
        await db.SaveChangesAsync();

        var random = new Random(20261127);
        var policy = DefaultPolicy.Instance;
        await using var transaction = await db.Database.BeginTransactionAsync();
        for (var i = 0; i < count; i++)
        {
            var person = new Person { EmployeeNo = $"E{i + 1:D5}", Name = $"员工{i + 1}", Role = Roles.Agent, TeamId = teams[i % teams.Count].Id, HireDate = hired };
            db.People.Add(person);
            if (i % 500 == 499 || i == count - 1)
            {
                await db.SaveChangesAsync();
            }
        }

        var people = await db.People.AsNoTracking().Where(p => p.Role == Roles.Agent).Select(p => p.Id).ToListAsync();
        var n = 0;
        foreach (var id in people)
        {
            var quality = 0.5 + (random.NextDouble() * 0.5);
            if (random.NextDouble() > 0.05)
            {
                db.Sheets.Add(MakeSheet(policy, random, row.Id, id, SheetKind.Self, quality));
            }

            db.Sheets.Add(MakeSheet(policy, random, row.Id, id, SheetKind.Supervisor, quality));
            var plan = 60_000m + (random.Next(0, 19) * 5_000m);
            db.Facts.Add(new MonthFacts
            {
                MonthId = row.Id,
                PersonId = id,
                SalesPlan = plan,
                SalesActual = Math.Round(plan * (decimal)(0.6 + (quality * 0.7)), 2),
                AbsentDays = random.NextDouble() < 0.01 ? 25 : 0,
                UpdatedAt = DateTime.UtcNow,
                UpdatedBy = "hr",
            });

            // Batches keep the change tracker small; one transaction keeps SQLite from syncing per batch.
            if (++n % 250 == 0)
            {
                await db.SaveChangesAsync();
                db.ChangeTracker.Clear();
            }
        }

        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    /// <summary>
    /// The real web application on a loopback port of its own, over a SQLite file at <paramref name="databasePath"/>, in
    /// Production with the demo off; <c>BENCH_SQL_LOG=1</c> logs every SQL command.
    /// </summary>
    public static Microsoft.AspNetCore.Builder.WebApplication BuildApp(string databasePath, string password) => Appraisal.Web.AppHost.Build(
    [
        "--urls=http://127.0.0.1:0",
        "--applicationName=Appraisal.Web",
        "--environment=Production",
        "--Database:Provider=Sqlite",
        $"--ConnectionStrings:Sqlite=Data Source={databasePath}",
        "--Demo:Enabled=false",
        $"--Admin:Password={password}",
        "--Logging:LogLevel:Default=Warning",
        .. (Environment.GetEnvironmentVariable("BENCH_SQL_LOG") == "1" ? ["--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Information"] : Array.Empty<string>()),
    ]);

    /// <summary>Computes <paramref name="month"/> as HR with the product's own ComputeResults, so that the stored rows are real.</summary>
    public static async Task ComputeAsync(IServiceProvider services, YearMonth month)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var hr = await db.People.SingleAsync(p => p.EmployeeNo == "H001");
        var monthId = await db.Months.Where(m => m.Month == month.ToString()).Select(m => m.Id).SingleAsync();
        await scope.ServiceProvider.GetRequiredService<ComputeResults>().ExecuteAsync(HrActor(hr.Id), monthId);
    }

    /// <summary>HR as the rules see them, for reads in process.</summary>
    public static Actor HrActor(int hrPersonId) => new("hr", hrPersonId, new HashSet<string> { Roles.Hr });

    /// <summary>Signs in through the sign-in page as a browser would (antiforgery token, cookie kept by <paramref name="client"/>).</summary>
    public static async Task SignInAsync(HttpClient client, string user, string password)
    {
        ArgumentNullException.ThrowIfNull(client);
        var login = await client.GetStringAsync(new Uri("/Account/Login", UriKind.Relative));
        var token = Regex.Match(login, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = user,
            ["Password"] = password,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        });
        using var response = await client.PostAsync(new Uri("/Account/Login", UriKind.Relative), form);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"sign-in failed: {(int)response.StatusCode}");
        }
    }

    /// <summary>
    /// Puts the server's own time of every request (ASP.NET Core's http.server.request.duration, hosting start to
    /// response end) into <paramref name="milliseconds"/>, until the listener is disposed.
    /// </summary>
    public static System.Diagnostics.Metrics.MeterListener ListenToRequestDurations(System.Collections.Concurrent.ConcurrentQueue<double> milliseconds)
    {
        var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Microsoft.AspNetCore.Hosting" && instrument.Name == "http.server.request.duration")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => milliseconds.Enqueue(seconds * 1000));
        listener.Start();
        return listener;
    }

    /// <summary>
    /// The server's time of the request just answered: the hosting metric is recorded as the request ends, which can be
    /// a moment after the client has the body, so this waits for it (at most 2 s).
    /// </summary>
    public static async Task<double> ServerTimeAsync(System.Collections.Concurrent.ConcurrentQueue<double> milliseconds)
    {
        ArgumentNullException.ThrowIfNull(milliseconds);
        var wait = System.Diagnostics.Stopwatch.StartNew();
        double ms;
        while (!milliseconds.TryDequeue(out ms))
        {
            if (wait.ElapsedMilliseconds > 2000)
            {
                throw new InvalidOperationException("no http.server.request.duration measurement");
            }

            await Task.Delay(1);
        }

        return ms;
    }

    /// <summary>The value after <paramref name="name"/> on the command line, or <paramref name="fallback"/>.</summary>
    public static int Option(string[] args, string name, int fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>The CPU model, core count, OS and runtime.</summary>
    public static string Machine()
    {
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return string.Create(CultureInfo.InvariantCulture,
            $"{cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}, {Environment.ProcessorCount} cores; {RuntimeInformation.OSDescription}; {RuntimeInformation.FrameworkDescription}; SQLite file database (WAL)");
    }

    /// <summary>On a shared machine wall-clock times include waiting for a core; the load average says how much.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static Sheet MakeSheet(PolicyDocument policy, Random random, int monthId, int personId, SheetKind kind, double quality)
    {
        var at = DateTime.UtcNow;
        var sheet = new Sheet { MonthId = monthId, PersonId = personId, Kind = kind, SubmittedAt = at, SubmittedBy = "bench", UpdatedAt = at };
        foreach (var item in policy.Items)
        {
            var score = (int)Math.Clamp(Math.Round(item.Max * Math.Clamp(quality + ((random.NextDouble() - 0.5) * 0.3), 0, 1)), 0, item.Max);
            var level = item.Levels.Select((l, i) => (l, i)).First(x => x.l.Holds(score)).i;
            sheet.Items.Add(new SheetItem { ItemKey = item.Key, LevelIndex = level, Score = score });
        }

        return sheet;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
