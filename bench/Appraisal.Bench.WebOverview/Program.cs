using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.Web;
using Appraisal.Web.Data;
using Appraisal.Web.Months;
using Appraisal.Web.People;
using Appraisal.Web.Results;
using Appraisal.Web.Sheets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// Month overview benchmark (issue 3): N agents with a computed month, seeded through the DbContext and
// ComputeResults, then GET /Results/Month through the real pipeline on loopback. Server time is ASP.NET
// Core's own http.server.request.duration (hosting start to response end), so it is the server's view
// of each request, not the client's.
//
//   dotnet run -c Release --project bench/Appraisal.Bench.WebOverview -- [--agents 2000] [--runs 50] [--warmup 10]
var agents = Option("--agents", 2000);
var runs = Option("--runs", 50);
var warmup = Option("--warmup", 10);
const string Password = "Bench-2026-overview";

var directory = Path.Combine(Path.GetTempPath(), "appraisal-bench-web", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(directory);
var durations = new ConcurrentQueue<double>();
using var listener = new MeterListener();
listener.InstrumentPublished = (instrument, l) =>
{
    if (instrument.Meter.Name == "Microsoft.AspNetCore.Hosting" && instrument.Name == "http.server.request.duration")
    {
        l.EnableMeasurementEvents(instrument);
    }
};
listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => durations.Enqueue(seconds * 1000));
listener.Start();

var app = AppHost.Build(
[
    "--urls=http://127.0.0.1:0",
    "--applicationName=Appraisal.Web",
    "--environment=Production",
    "--Database:Provider=Sqlite",
    $"--ConnectionStrings:Sqlite=Data Source={Path.Combine(directory, "bench.db")}",
    "--Demo:Enabled=false",
    $"--Admin:Password={Password}",
    "--Logging:LogLevel:Default=Warning",
    .. (Environment.GetEnvironmentVariable("BENCH_SQL_LOG") == "1" ? ["--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Information"] : Array.Empty<string>()),
]);

try
{
    await AppHost.PrepareAsync(app);
    var month = YearMonth.FromDate(DateOnly.FromDateTime(DateTime.UtcNow)).Previous;
    var seed = Stopwatch.StartNew();
    await SeedAsync(app.Services, month, agents);
    Console.Error.WriteLine($"seeded {agents} agents in {seed.Elapsed.TotalSeconds:F1} s");

    var compute = Stopwatch.StartNew();
    await using (var scope = app.Services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var hr = await db.People.SingleAsync(p => p.EmployeeNo == "H001");
        var monthId = await db.Months.Where(m => m.Month == month.ToString()).Select(m => m.Id).SingleAsync();
        await scope.ServiceProvider.GetRequiredService<ComputeResults>()
            .ExecuteAsync(new Actor("hr", hr.Id, new HashSet<string> { Roles.Hr }), monthId);
    }

    Console.Error.WriteLine($"computed in {compute.Elapsed.TotalMilliseconds:F0} ms");

    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(address) };
    await SignInAsync(client, "hr", Password);

    var results = new List<string>();
    foreach (var (label, url) in new[]
    {
        ("GET /Results/Month (default sort: rank)", $"/Results/Month?month={month}"),
        ("GET /Results/Month?sort=-total", $"/Results/Month?month={month}&sort=-total"),
        ("GET /Results/Month?sort=name", $"/Results/Month?month={month}&sort=name"),
    })
    {
        var (server, clientMs, cpu, bytes, rows) = await MeasureAsync(client, url);
        results.Add($"| {label} | {rows} | {bytes / 1024.0:F0} KiB | {Median(server):F1} | {Percentile(server, 0.9):F1} | {server.Max():F1} | {Median(clientMs):F1} | {Median(cpu):F1} |");
    }

    // The month results alone, read in-process the way the page reads them (query, labels, sort, audit).
    var read = new List<double>();
    for (var i = 0; i < warmup + runs; i++)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var hr = await db.People.AsNoTracking().SingleAsync(p => p.EmployeeNo == "H001");
        var watch = Stopwatch.StartNew();
        var view = await scope.ServiceProvider.GetRequiredService<ReadMonthOverview>()
            .ExecuteAsync(new Actor("hr", hr.Id, new HashSet<string> { Roles.Hr }), month.ToString(), null);
        watch.Stop();
        if (i >= warmup)
        {
            read.Add(watch.Elapsed.TotalMilliseconds);
        }

        if (view.Rows.Count != agents)
        {
            throw new InvalidOperationException($"expected {agents} rows, read {view.Rows.Count}");
        }
    }

    results.Add($"| ReadMonthOverview (month results: query, labels, sort, audit; no HTML) | {agents} | — | {Median(read):F1} | {Percentile(read, 0.9):F1} | {read.Max():F1} | — | — |");

    Console.WriteLine($"Month overview benchmark: {agents} agents, median of {runs} after {warmup} warm-up requests");
    Console.WriteLine($"machine: {Machine()}");
    Console.WriteLine($"load average while measuring: {LoadAverage()}");
    Console.WriteLine();
    Console.WriteLine("| request | rows | HTML | server median ms | server p90 ms | server max ms | client median ms | process CPU median ms |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    foreach (var line in results)
    {
        Console.WriteLine(line);
    }
}
finally
{
    await app.StopAsync();
    await app.DisposeAsync();
    SqliteConnection.ClearAllPools();
    Directory.Delete(directory, recursive: true);
}

async Task<(List<double> Server, List<double> Client, List<double> Cpu, long Bytes, int Rows)> MeasureAsync(HttpClient client, string url)
{
    var server = new List<double>();
    var clientTimes = new List<double>();
    var cpu = new List<double>();
    using var process = Process.GetCurrentProcess();
    long bytes = 0;
    var rows = 0;
    for (var i = 0; i < warmup + runs; i++)
    {
        durations.Clear();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        using var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        watch.Stop();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{url}: {(int)response.StatusCode}");
        }

        // The hosting metric is recorded as the request ends, which can be a moment after the client has the body.
        double ms;
        var wait = Stopwatch.StartNew();
        while (!durations.TryDequeue(out ms))
        {
            if (wait.ElapsedMilliseconds > 2000)
            {
                throw new InvalidOperationException("no http.server.request.duration measurement");
            }

            await Task.Delay(1);
        }

        process.Refresh();
        if (i >= warmup)
        {
            server.Add(ms);
            clientTimes.Add(watch.Elapsed.TotalMilliseconds);
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }

        bytes = html.Length * 2L > 0 ? System.Text.Encoding.UTF8.GetByteCount(html) : 0;
        rows = Regex.Count(html, "<tr data-person=");
    }

    if (rows != agents)
    {
        throw new InvalidOperationException($"{url}: expected {agents} rows, got {rows}");
    }

    return (server, clientTimes, cpu, bytes, rows);
}

static async Task SeedAsync(IServiceProvider services, YearMonth month, int count)
{
    await using var scope = services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
    var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
    var hired = month.FirstDay.AddYears(-1);
    var hr = new Person { EmployeeNo = "H001", Name = "人事", Role = Roles.Hr, HireDate = hired };
    db.People.Add(hr);
    await db.SaveChangesAsync();
    Check(await users.CreateAsync(new AppUser { UserName = "hr", PersonId = hr.Id }, Password));
    Check(await users.AddToRoleAsync((await users.FindByNameAsync("hr"))!, Roles.Hr));

    db.ChangeTracker.AutoDetectChangesEnabled = false;
    var teams = new List<Team>();
    for (var t = 0; t < Math.Max(1, count / 100); t++)
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

    // Deterministic, varied data: every grade band, all three commission tiers, some without a self-assessment.
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
        if (++n % 250 == 0)
        {
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
    }

    await db.SaveChangesAsync();
    await transaction.CommitAsync();
}

static Sheet MakeSheet(PolicyDocument policy, Random random, int monthId, int personId, SheetKind kind, double quality)
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

static async Task SignInAsync(HttpClient client, string user, string password)
{
    var login = await client.GetStringAsync("/Account/Login");
    var token = Regex.Match(login, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
    using var form = new FormUrlEncodedContent(new Dictionary<string, string>
    {
        ["UserName"] = user,
        ["Password"] = password,
        ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
    });
    using var response = await client.PostAsync("/Account/Login", form);
    if (response.StatusCode != HttpStatusCode.Redirect)
    {
        throw new InvalidOperationException($"sign-in failed: {(int)response.StatusCode}");
    }
}

static void Check(IdentityResult result)
{
    if (!result.Succeeded)
    {
        throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}

static double Median(List<double> values) => Percentile(values, 0.5);

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    var rank = p * (sorted.Count - 1);
    var low = (int)Math.Floor(rank);
    var high = (int)Math.Ceiling(rank);
    return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
}

static string Machine()
{
    var cpu = File.Exists("/proc/cpuinfo")
        ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        : null;
    return string.Create(CultureInfo.InvariantCulture,
        $"{Environment.ProcessorCount} cores, {cpu ?? "unknown CPU"}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}, SQLite file database");
}

// On a shared machine wall-clock times include waiting for a core; the load average says how much.
static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

int Option(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
