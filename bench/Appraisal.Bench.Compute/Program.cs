using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.Pay;
using Appraisal.App.People;
using Appraisal.App.Sheets;
using Appraisal.Bench;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.Web;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

// HR's compute of a month at the size of a company (issue 10 item 2): N agents (distinct Chinese names, teams of 100)
// with M months of history — every month's supervisor sheets, most self-assessments, facts, some pay adjustments and
// eligibility overrides — the last month open, the earlier ones confirmed. Each person keeps a level of performance
// from month to month (scores around 88 % of the maximum for most, around 62 % for one in twenty, moved by a few
// points each month), so that grades, ranks and streaks look like a real company's. Then the month is computed through
// the API (POST /api/months/{month}/compute) and through the page (POST /Results/Month?handler=Compute) as HR, signed
// in through the sign-in page, over loopback; and, with --cli, the command line's evaluate on the same data (the
// same months and people written as the evaluate contract's input) as a separate process under /usr/bin/time.
//
//   dotnet run -c Release --project bench/Appraisal.Bench.Compute -- [--agents 3000] [--months 12] [--runs 5]
//       [--cli "src/Appraisal.Cli/out/appraisal"] [--cli "dotnet src/Appraisal.Cli/bin/Release/net10.0/appraisal.dll"]
var agents = BenchCompany.Option(args, "--agents", 3000);
var monthCount = BenchCompany.Option(args, "--months", 12);
var runs = BenchCompany.Option(args, "--runs", 5);
var clis = args.Select((a, i) => (a, i)).Where(x => x.a == "--cli" && x.i + 1 < args.Length).Select(x => args[x.i + 1]).ToList();
const string Password = "Bench-2026-compute";

var directory = Path.Combine(Path.GetTempPath(), "appraisal-bench-compute", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(directory);
var durations = new ConcurrentQueue<double>();
using var listener = BenchCompany.ListenToRequestDurations(durations);
var app = BenchCompany.BuildApp(Path.Combine(directory, "bench.db"), Password);

try
{
    await AppHost.PrepareAsync(app);
    var current = YearMonth.FromDate(DateOnly.FromDateTime(DateTime.UtcNow)).Previous;
    var seedWatch = Stopwatch.StartNew();
    var company = Company.Generate(agents, current, monthCount);
    await company.StoreAsync(app.Services, Password);
    var input = Path.Combine(directory, "in.json");
    company.WriteInput(input);
    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"seeded {agents} agents x {monthCount} months ({company.EmployeeMonths} employee-months, {new FileInfo(input).Length / (1024 * 1024)} MB of evaluate input) in {seedWatch.Elapsed.TotalSeconds:F1} s"));

    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(address) };
    client.Timeout = TimeSpan.FromMinutes(5);
    await BenchCompany.SignInAsync(client, "hr", Password);
    var token = (await client.GetFromJsonAsync<JsonElement>(new Uri("/api/antiforgery", UriKind.Relative))).GetProperty("token").GetString()!;
    var month = current.ToString();

    var rows = new List<(string What, List<double> Server, List<double> Client, List<double> AllocatedMiB, long PeakMiB)>();

    // Through the API: one POST per compute, the antiforgery token in its header.
    async Task<HttpResponseMessage> ApiAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/api/months/{month}/compute", UriKind.Relative));
        request.Headers.Add("X-CSRF-TOKEN", token);
        var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || JsonDocument.Parse(body).RootElement.GetProperty("people").GetInt32() != agents)
        {
            throw new InvalidOperationException($"compute through the API: {(int)response.StatusCode} {body[..Math.Min(body.Length, 500)]}");
        }

        return response;
    }

    // Through the page: the month's page read once for its form (token and month id), then the compute button's POST.
    var page = await client.GetStringAsync(new Uri($"/Results/Month?month={month}", UriKind.Relative));
    var formToken = WebUtility.HtmlDecode(Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
    var monthId = company.MonthIds[current];
    async Task<HttpResponseMessage> PageAsync()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["monthId"] = monthId.ToString(CultureInfo.InvariantCulture),
            ["__RequestVerificationToken"] = formToken,
        });
        var response = await client.PostAsync(new Uri($"/Results/Month?month={month}&handler=Compute", UriKind.Relative), form);
        var html = await response.Content.ReadAsStringAsync();
        if (response.StatusCode is not (HttpStatusCode.Redirect or HttpStatusCode.SeeOther or HttpStatusCode.OK)
            || (response.StatusCode == HttpStatusCode.OK && !html.Contains(agents.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"compute through the page: {(int)response.StatusCode} {html[..Math.Min(html.Length, 500)]}");
        }

        return response;
    }

    foreach (var (what, send) in new (string, Func<Task<HttpResponseMessage>>)[]
    {
        ($"POST /api/months/{{month}}/compute", ApiAsync),
        ("POST /Results/Month?handler=Compute (the page's button)", PageAsync),
    })
    {
        var server = new List<double>();
        var wall = new List<double>();
        var allocated = new List<double>();
        using (await send())
        {
            // One warm-up compute (JIT, query compilation), not counted.
        }

        for (var i = 0; i < runs; i++)
        {
            await Task.Delay(200);
            durations.Clear();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var watch = Stopwatch.StartNew();
            using (await send())
            {
            }

            wall.Add(watch.Elapsed.TotalMilliseconds);
            allocated.Add((GC.GetTotalAllocatedBytes(precise: true) - before) / (1024.0 * 1024));
            server.Add(await BenchCompany.ServerTimeAsync(durations));
        }

        using var process = Process.GetCurrentProcess();
        rows.Add((what, server, wall, allocated, process.PeakWorkingSet64 / (1024 * 1024)));
    }

    // Where the time goes, in process: reading the months (ComputeResults.BuildInputAsync) and the engine on what it read.
    var reading = new List<double>();
    var engine = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var policy = await scope.ServiceProvider.GetRequiredService<Appraisal.App.Policy.PolicyStore>().InForceAsync(current);
        var watch = Stopwatch.StartNew();
        var read = await Appraisal.App.Results.ComputeResults.BuildInputAsync(db, policy, month, default);
        reading.Add(watch.Elapsed.TotalMilliseconds);
        watch.Restart();
        _ = Appraisal.Core.Results.Evaluator.Evaluate(read, policy);
        engine.Add(watch.Elapsed.TotalMilliseconds);
    }

    // The stored month: one result per agent.
    await using (var scope = app.Services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var stored = await db.Results.CountAsync(r => r.MonthId == monthId);
        if (stored != agents)
        {
            throw new InvalidOperationException($"expected {agents} stored results, found {stored}");
        }
    }

    await app.StopAsync();
    var cliRows = new List<(string Command, List<double> Wall, List<double> RssMiB)>();
    foreach (var cli in clis)
    {
        var wall = new List<double>();
        var rss = new List<double>();
        for (var i = 0; i < runs + 1; i++)
        {
            var (seconds, kib) = TimeCli(cli, input, Path.Combine(directory, "out.json"), company.EmployeeMonths);
            if (i > 0)
            {
                wall.Add(seconds * 1000);
                rss.Add(kib / 1024.0);
            }
        }

        cliRows.Add((cli, wall, rss));
    }

    var ci = CultureInfo.InvariantCulture;
    Console.WriteLine(string.Create(ci, $"Compute of {month} for {agents} agents with {monthCount} months ({company.EmployeeMonths} employee-months); median of {runs} after one warm-up"));
    Console.WriteLine($"machine: {BenchCompany.Machine()}");
    Console.WriteLine($"load average at the end: {BenchCompany.LoadAverage()}");
    Console.WriteLine();
    Console.WriteLine("| what | server median ms | client median ms | runs (client ms) | allocated per compute MiB (median) | peak working set MiB |");
    Console.WriteLine("| --- | ---: | ---: | --- | ---: | ---: |");
    foreach (var (what, server, wall, allocated, peak) in rows)
    {
        Console.WriteLine(string.Create(ci, $"| {what} | {Median(server):F0} | {Median(wall):F0} | {string.Join(", ", wall.Select(w => w.ToString("F0", ci)))} | {Median(allocated):F0} | {peak} (whole process, seeding included) |"));
    }

    Console.WriteLine(string.Create(ci, $"| in process: reading the {monthCount} months (`ComputeResults.BuildInputAsync`) | {Median(reading):F0} | — | {string.Join(", ", reading.Select(w => w.ToString("F0", ci)))} | — | — |"));
    Console.WriteLine(string.Create(ci, $"| in process: the engine on what was read (`Evaluator.Evaluate`) | {Median(engine):F0} | — | {string.Join(", ", engine.Select(w => w.ToString("F0", ci)))} | — | — |"));
    foreach (var (command, wall, rss) in cliRows)
    {
        Console.WriteLine(string.Create(ci, $"| `{command} evaluate in.json` | — | {Median(wall):F0} | {string.Join(", ", wall.Select(w => w.ToString("F0", ci)))} | — | {Median(rss):F0} (peak RSS) |"));
    }
}
finally
{
    await app.DisposeAsync();
    SqliteConnection.ClearAllPools();
    if (Environment.GetEnvironmentVariable("BENCH_KEEP") == "1")
    {
        Console.Error.WriteLine($"database kept: {Path.Combine(directory, "bench.db")}");
    }
    else
    {
        Directory.Delete(directory, recursive: true);
    }
}

// The command line's evaluate on the input file, its output to a file, under GNU time: wall seconds and peak RSS in KiB.
static (double Seconds, long KiB) TimeCli(string cli, string input, string output, int employeeMonths)
{
    var parts = cli.Split(' ', StringSplitOptions.RemoveEmptyEntries);
    var start = new ProcessStartInfo("/usr/bin/time") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
    foreach (var a in new[] { "-f", "%e %M", "-o", output + ".time" }.Concat(parts).Concat(["evaluate", input]))
    {
        start.ArgumentList.Add(a);
    }

    using var process = Process.Start(start)!;
    using (var file = File.Create(output))
    {
        process.StandardOutput.BaseStream.CopyTo(file);
    }

    var error = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{cli} evaluate: exit {process.ExitCode}: {error}");
    }

    using (var doc = JsonDocument.Parse(File.ReadAllBytes(output)))
    {
        var results = doc.RootElement.GetProperty("months").EnumerateArray().Sum(m => m.GetProperty("results").GetArrayLength());
        if (results != employeeMonths)
        {
            throw new InvalidOperationException($"{cli} evaluate: {results} results for {employeeMonths} employee-months");
        }
    }

    var time = File.ReadAllText(output + ".time").Trim().Split('\n')[^1].Split(' ');
    return (double.Parse(time[0], CultureInfo.InvariantCulture), long.Parse(time[1], CultureInfo.InvariantCulture));
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

/// <summary>The generated company: people, and per month each person's sheets, facts, adjustment and override.</summary>
internal sealed class Company
{
    private readonly List<(string No, string Name)> people = [];
    private readonly List<(YearMonth Month, List<Entry> Entries)> months = [];

    public Dictionary<YearMonth, int> MonthIds { get; } = [];

    public int EmployeeMonths => months.Sum(m => m.Entries.Count);

    private int agentCount;

    /// <summary>One person's month: the two assessments (self may be missing), the facts, HR's adjustment and override.</summary>
    internal sealed record Entry(int Person, int[]? Self, int[] Supervisor, decimal Plan, decimal Actual, int Absent, decimal? Adjustment, bool? Override);

    public static Company Generate(int agents, YearMonth current, int monthCount)
    {
        var company = new Company { agentCount = agents };
        var random = new Random(20261202);
        var policy = DefaultPolicy.Instance;
        var quality = new double[agents];
        var leave = new int[agents];
        for (var i = 0; i < agents; i++)
        {
            company.people.Add((ManyAgents.EmployeeNo(i), ManyAgents.AgentName(i)));
            quality[i] = random.NextDouble() < 0.05 ? 0.62 + ((random.NextDouble() - 0.5) * 0.1) : 0.88 + ((random.NextDouble() - 0.5) * 0.12);
            leave[i] = random.NextDouble() < 0.005 ? random.Next(0, monthCount) : -1;
        }

        for (var back = monthCount - 1; back >= 0; back--)
        {
            var month = current.PlusMonths(-back);
            var index = monthCount - 1 - back;
            var entries = new List<Entry>(agents);
            var days = month.DaysInMonth;
            for (var i = 0; i < agents; i++)
            {
                // Each person's level drifts a little from month to month.
                quality[i] = Math.Clamp(quality[i] + ((random.NextDouble() - 0.5) * 0.04), 0.4, 1);
                var supervisor = Scores(policy, random, quality[i]);
                int[]? self = null;
                if (random.NextDouble() > 0.05)
                {
                    self = Scores(policy, random, Math.Min(1, quality[i] + 0.03));
                }

                var plan = 50_000m + (random.Next(0, 31) * 5_000m);
                var actual = Math.Round(plan * (decimal)Math.Exp((random.NextDouble() - 0.5) * 0.5), 2);
                var onLeave = leave[i] >= 0 && index >= leave[i] && index < leave[i] + 3;
                var roll = random.NextDouble();
                var absent = onLeave ? days - random.Next(0, 3) : roll < 0.82 ? 0 : roll < 0.95 ? random.Next(1, 4) : random.Next(4, 11);
                decimal? adjustment = random.NextDouble() < 0.12 ? Math.Round((decimal)(20 + (random.NextDouble() * 1480)), 2) * (random.NextDouble() < 0.25 ? -1 : 1) : null;
                bool? overrideEligibility = random.NextDouble() < 0.003 ? onLeave : null;
                entries.Add(new Entry(i, self, supervisor, plan, actual, absent, adjustment, overrideEligibility));
            }

            company.months.Add((month, entries));
        }

        return company;
    }

    private static int[] Scores(PolicyDocument policy, Random random, double quality)
    {
        var scores = new int[policy.Items.Length];
        for (var k = 0; k < scores.Length; k++)
        {
            var max = policy.Items[k].Max;
            scores[k] = (int)Math.Clamp(Math.Round(max * Math.Clamp(quality + ((random.NextDouble() - 0.5) * 0.2), 0, 1)), 0, max);
        }

        return scores;
    }

    /// <summary>
    /// HR's account, the months, the teams and people through the DbContext and Identity, then every month's sheets and items,
    /// facts and adjustments as rows written in one transaction with prepared statements (millions of rows; the
    /// product's own writes are not what is measured here).
    /// </summary>
    public async Task StoreAsync(IServiceProvider services, string password)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var first = months[0].Month.FirstDay.AddYears(-1);
        var hr = new Person { EmployeeNo = "H001", Name = "人事", Role = Roles.Hr, HireDate = first };
        db.People.Add(hr);
        await db.SaveChangesAsync();
        var created = await users.CreateAsync(new AppUser { UserName = "hr", PersonId = hr.Id }, password);
        if (!created.Succeeded || !(await users.AddToRoleAsync((await users.FindByNameAsync("hr"))!, Roles.Hr)).Succeeded)
        {
            throw new InvalidOperationException("HR's account not created");
        }

        var now = DateTime.UtcNow;
        foreach (var (month, _) in months)
        {
            var last = month == months[^1].Month;
            var row = new AppraisalMonth
            {
                Month = month.ToString(), Status = last ? MonthStatus.Open : MonthStatus.Confirmed, OpenedAt = now, OpenedBy = "hr",
                ConfirmedAt = last ? null : now, ConfirmedBy = last ? null : "gm",
            };
            db.Months.Add(row);
            await db.SaveChangesAsync();
            MonthIds[month] = row.Id;
        }

        // The agents and their teams of 100 as the facts page's company has them (hired about a year before the first month).
        await ManyAgents.AddAsync(services, months[0].Month.ToString(), agentCount, withFacts: false);
        var ids = await db.People.AsNoTracking().Where(p => p.Role == Roles.Agent).ToDictionaryAsync(p => p.EmployeeNo, p => p.Id);
        var persons = people.Select(p => ids[p.No]).ToList();
        db.ChangeTracker.Clear();
        var policy = DefaultPolicy.Instance;
        await using var transaction = await db.Database.BeginTransactionAsync();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var tx = (SqliteTransaction)transaction.GetDbTransaction();
        using var sheet = Prepare(connection, tx, "INSERT INTO Sheets (Id, MonthId, PersonId, Kind, SubmittedAt, SubmittedBy, UpdatedAt, Version) VALUES ($1, $2, $3, $4, $5, 'bench', $5, 0)", 5);
        using var item = Prepare(connection, tx, "INSERT INTO SheetItems (SheetId, ItemKey, LevelIndex, Score) VALUES ($1, $2, $3, $4)", 4);
        using var fact = Prepare(connection, tx, "INSERT INTO Facts (MonthId, PersonId, SalesPlan, SalesActual, AbsentDays, EligibilityOverride, OverrideReason, UpdatedAt, UpdatedBy, Version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'hr', 0)", 8);
        using var adjustment = Prepare(connection, tx, "INSERT INTO PayAdjustments (MonthId, PersonId, Amount, Reason, \"By\", At) VALUES ($1, $2, $3, '绩效补发', 'hr', $4)", 4);
        var sheetId = 0;
        var stamp = now.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        foreach (var (month, entries) in months)
        {
            var monthId = MonthIds[month];
            foreach (var e in entries)
            {
                var personId = persons[e.Person];
                foreach (var (kind, scores) in new[] { (SheetKind.Supervisor, e.Supervisor), (SheetKind.Self, e.Self) })
                {
                    if (scores is null)
                    {
                        continue;
                    }

                    Run(sheet, ++sheetId, monthId, personId, (int)kind, stamp);
                    for (var k = 0; k < scores.Length; k++)
                    {
                        Run(item, sheetId, policy.Items[k].Key, policy.Items[k].LevelOf(scores[k]), scores[k]);
                    }
                }

                Run(fact, monthId, personId, Text(e.Plan), Text(e.Actual), e.Absent, e.Override is { } o ? (o ? 1 : 0) : null,
                    e.Override is null ? null : e.Override.Value ? "产假按规定计入出勤" : "长期病假，本月不参加考核", stamp);
                if (e.Adjustment is { } amount)
                {
                    Run(adjustment, monthId, personId, Text(amount), stamp);
                }
            }
        }

        await transaction.CommitAsync();
    }

    // Decimals as EF Core's SQLite provider stores them: invariant text.
    private static string Text(decimal value) => value.ToString("0.0###", CultureInfo.InvariantCulture);

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction tx, string sql, int parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        for (var p = 1; p <= parameters; p++)
        {
            command.Parameters.Add(new SqliteParameter("$" + p.ToString(CultureInfo.InvariantCulture), null));
        }

        command.Prepare();
        return command;
    }

    private static void Run(SqliteCommand command, params object?[] values)
    {
        for (var p = 0; p < values.Length; p++)
        {
            command.Parameters[p].Value = values[p] ?? DBNull.Value;
        }

        command.ExecuteNonQuery();
    }

    /// <summary>The same months as the evaluate contract's input (sum of the month's adjustments as otherPay).</summary>
    public void WriteInput(string path)
    {
        var policy = DefaultPolicy.Instance;
        using var stream = File.Create(path);
        using var json = new Utf8JsonWriter(stream);
        json.WriteStartObject();
        json.WriteStartArray("months");
        foreach (var (month, entries) in months)
        {
            json.WriteStartObject();
            json.WriteString("month", month.ToString());
            json.WriteStartArray("employees");
            foreach (var e in entries)
            {
                json.WriteStartObject();
                json.WriteString("id", people[e.Person].No);
                json.WriteString("name", people[e.Person].Name);
                if (e.Self is not null)
                {
                    Assessment(json, "self", e.Self, policy);
                }

                Assessment(json, "supervisor", e.Supervisor, policy);
                json.WriteNumber("salesPlan", e.Plan);
                json.WriteNumber("salesActual", e.Actual);
                json.WriteNumber("absentDays", e.Absent);
                json.WriteNumber("otherPay", e.Adjustment ?? 0m);
                if (e.Override is { } o)
                {
                    json.WriteStartObject("eligibility");
                    json.WriteBoolean("eligible", o);
                    json.WriteString("reason", o ? "产假按规定计入出勤" : "长期病假，本月不参加考核");
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void Assessment(Utf8JsonWriter json, string name, int[] scores, PolicyDocument policy)
    {
        json.WriteStartObject(name);
        for (var k = 0; k < scores.Length; k++)
        {
            json.WriteNumber(policy.Items[k].Key, scores[k]);
        }

        json.WriteEndObject();
    }
}
