// Measures GET /api/months/{month}/results for a month of N employees (default 2 000) over real HTTP:
// the web application runs on Kestrel on 127.0.0.1 with a fresh SQLite file, HR signs in through the
// sign-in page, then W warm-up requests and R timed requests (default 10 and 50); each timing covers the
// whole request, body read included. Prints the median and the spread, the machine and its load.
// --profile first times the handler and the JSON writing in process, without HTTP.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using System.Text.Json;
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

var employees = Option("--employees", 2000);
var runs = Option("--runs", 50);
var warmup = Option("--warmup", 10);
var path = Path.Combine(Path.GetTempPath(), $"appraisal-bench-{Environment.ProcessId}.db");
const string Password = "BenchPass2026";

var app = AppHost.Build(
[
    "--applicationName=Appraisal.Web",
    "--environment=Production",
    "--urls=http://127.0.0.1:0",
    $"--ConnectionStrings:Sqlite=Data Source={path}",
    "--Demo:Enabled=false",
    $"--Admin:Password={Password}",
    "--Logging:LogLevel:Default=Warning",
]);
try
{
    await AppHost.PrepareAsync(app);
    var month = YearMonth.FromDate(DateOnly.FromDateTime(DateTime.UtcNow)).Previous;
    var seedTime = Stopwatch.StartNew();
    await SeedAsync(app.Services, month, employees);
    Console.WriteLine($"seeded and computed {employees} employees for {month} in {seedTime.Elapsed.TotalSeconds:0.0} s");

    if (args.Contains("--profile"))
    {
        await ProfileAsync(app.Services, month, runs);
    }

    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
    using var client = new HttpClient(handler) { BaseAddress = new Uri(address) };
    await SignInAsync(client, "hr", Password);

    var url = $"/api/months/{month}/results";
    long bytes = 0;
    for (var i = 0; i < warmup; i++)
    {
        bytes = await FetchAsync(client, url, employees, check: true);
    }

    var times = new double[runs];
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        await FetchAsync(client, url, employees, check: false);
        times[i] = watch.Elapsed.TotalMilliseconds;
    }

    Array.Sort(times);
    double Pct(double p) => times[Math.Min(times.Length - 1, (int)Math.Ceiling(p * times.Length) - 1)];
    var median = times.Length % 2 == 1 ? times[times.Length / 2] : (times[(times.Length / 2) - 1] + times[times.Length / 2]) / 2;
    var ci = CultureInfo.InvariantCulture;
    Console.WriteLine(string.Create(ci, $"GET {url}: {employees} rows, {bytes / 1024.0:0} KiB per answer, {warmup} warm-up + {runs} timed requests"));
    Console.WriteLine(string.Create(ci, $"median {median:0.0} ms · min {times[0]:0.0} · p90 {Pct(0.9):0.0} · p95 {Pct(0.95):0.0} · max {times[^1]:0.0} ms"));
    Console.WriteLine($"machine: {Cpu()}, {Environment.ProcessorCount} cores; {RuntimeInformation.OSDescription}; {RuntimeInformation.FrameworkDescription}; SQLite file database (WAL)");
    Console.WriteLine($"load average (1, 5, 15 min) at the end: {Load()}");
}
finally
{
    await app.StopAsync();
    await app.DisposeAsync();
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    foreach (var file in new[] { path, path + "-wal", path + "-shm" })
    {
        File.Delete(file);
    }
}

static async Task<long> FetchAsync(HttpClient client, string url, int expected, bool check)
{
    using var response = await client.GetAsync(url);
    var body = await response.Content.ReadAsByteArrayAsync();
    if (response.StatusCode != HttpStatusCode.OK)
    {
        throw new InvalidOperationException($"{url}: {(int)response.StatusCode}");
    }

    // The warm-up answers are checked; the timed ones only read, so that the client's parsing is not counted.
    if (!check)
    {
        return body.Length;
    }

    using var doc = JsonDocument.Parse(body);
    var rows = doc.RootElement.GetProperty("results").GetArrayLength();
    return rows == expected ? body.Length : throw new InvalidOperationException($"expected {expected} rows, got {rows}");
}

static async Task SignInAsync(HttpClient client, string user, string password)
{
    var page = await client.GetStringAsync("/Account/Login");
    var token = Regex.Match(page, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
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

// A company of N agents in teams of 100, each with a submitted supervisor sheet and facts for the month,
// computed by the product's own ComputeResults so that the stored rows are real.
static async Task SeedAsync(IServiceProvider services, YearMonth month, int count)
{
    using var scope = services.CreateScope();
    var sp = scope.ServiceProvider;
    var db = sp.GetRequiredService<AppDbContext>();
    var users = sp.GetRequiredService<UserManager<AppUser>>();
    var hr = new Person { EmployeeNo = "H001", Name = "林人事", Role = Roles.Hr, HireDate = new DateOnly(2024, 1, 1) };
    db.People.Add(hr);
    await db.SaveChangesAsync();
    var account = new AppUser { UserName = "hr", PersonId = hr.Id };
    Check(await users.CreateAsync(account, Password));
    Check(await users.AddToRoleAsync(account, Roles.Hr));

    var teams = new List<Team>();
    for (var t = 0; t < (count + 99) / 100; t++)
    {
        var supervisor = new Person { EmployeeNo = $"S{t + 1:D3}", Name = $"主管{t + 1}", Role = Roles.Supervisor, HireDate = new DateOnly(2024, 1, 1) };
        db.People.Add(supervisor);
        await db.SaveChangesAsync();
        var team = new Team { Name = $"客服{t + 1}组", SupervisorId = supervisor.Id };
        db.Teams.Add(team);
        teams.Add(team);
    }

    await db.SaveChangesAsync();
    var random = new Random(3);
    var row = new AppraisalMonth { Month = month.ToString(), Status = MonthStatus.Open, OpenedAt = DateTime.UtcNow, OpenedBy = "hr" };
    db.Months.Add(row);
    var agents = new List<Person>();
    for (var i = 0; i < count; i++)
    {
        agents.Add(new Person { EmployeeNo = $"E{i + 1:D5}", Name = $"员工{i + 1}", Role = Roles.Agent, TeamId = teams[i / 100].Id, HireDate = new DateOnly(2024, 1, 1) });
    }

    db.People.AddRange(agents);
    await db.SaveChangesAsync();
    var policy = DefaultPolicy.Instance;
    foreach (var agent in agents)
    {
        var sheet = new Sheet { MonthId = row.Id, PersonId = agent.Id, Kind = SheetKind.Supervisor, SubmittedAt = DateTime.UtcNow, SubmittedBy = "sup", UpdatedAt = DateTime.UtcNow };
        foreach (var item in policy.Items)
        {
            var level = random.Next(item.Levels.Length);
            sheet.Items.Add(new SheetItem { ItemKey = item.Key, LevelIndex = level, Score = random.Next(item.Levels[level].Min, item.Levels[level].Max + 1) });
        }

        db.Sheets.Add(sheet);
        db.Facts.Add(new MonthFacts { MonthId = row.Id, PersonId = agent.Id, SalesPlan = 100_000m, SalesActual = random.Next(50_000, 200_000), AbsentDays = random.Next(0, 3), UpdatedBy = "hr" });
    }

    await db.SaveChangesAsync();
    var compute = sp.GetRequiredService<ComputeResults>();
    await compute.ExecuteAsync(new Actor("hr", hr.Id, new HashSet<string> { Roles.Hr }), row.Id);
}

// In-process breakdown of one answer: the handler (queries, labels, audit entry) and the JSON writing.
static async Task ProfileAsync(IServiceProvider services, YearMonth month, int runs)
{
    var principal = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity(
        [new(System.Security.Claims.ClaimTypes.Name, "hr"), new(System.Security.Claims.ClaimTypes.Role, Roles.Hr)], "bench"));
    var json = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
    var handler = new List<double>();
    var write = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        using var scope = services.CreateScope();
        var sp = scope.ServiceProvider;
        var http = new DefaultHttpContext { User = principal, RequestServices = sp };
        var watch = Stopwatch.StartNew();
        var result = await ResultsApi.MonthAsync(month.ToString(), sp.GetRequiredService<AppDbContext>(), sp.GetRequiredService<Access>(),
            sp.GetRequiredService<Appraisal.Web.Policy.PolicyStore>(), sp.GetRequiredService<Appraisal.Web.Audit.AuditLog>(), http, default);
        if (result.Value!.Results.Count == 0)
        {
            throw new InvalidOperationException("no rows");
        }

        handler.Add(watch.Elapsed.TotalMilliseconds);
        watch.Restart();
        _ = JsonSerializer.SerializeToUtf8Bytes(result.Value, json);
        write.Add(watch.Elapsed.TotalMilliseconds);
    }

    handler.Sort();
    write.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"in process, median of {runs}: handler (queries, labels, audit entry) {handler[runs / 2]:0.0} ms, JSON {write[runs / 2]:0.0} ms"));
}

static void Check(IdentityResult result)
{
    if (!result.Succeeded)
    {
        throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}

static string Cpu()
{
    try
    {
        var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }
    catch (IOException)
    {
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}

static string Load()
{
    try
    {
        return string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    }
    catch (IOException)
    {
        return "unknown";
    }
}

int Option(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}
