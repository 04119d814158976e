using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Appraisal.App.Dashboards;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Results;
using Appraisal.Bench;
using Appraisal.Core.Months;
using Appraisal.Web;
using Appraisal.Web.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

// The pages at the size of a company (issue 9: each list and dashboard under 150 ms server time at 3 000 agents).
// N agents in 40 teams (bench/Shared/BenchCompany.cs) with the month computed by ComputeResults, and six confirmed
// months before it generated from that month's results (each person's scores and pay moved by a few points at random,
// grades re-banded by the policy), so that dashboards, history and trends read seven months. Then every page below,
// each as the role that uses it, through the real pipeline on loopback (server time: ASP.NET Core's
// http.server.request.duration), and ReadManagerDashboard in process.
//
// Every agent also has an account (the administrator's accounts page lists them all).
//
//   dotnet run -c Release --project bench/Appraisal.Bench.Pages -- [--agents 3000] [--teams 40] [--runs 20] [--warmup 5]
var agents = BenchCompany.Option(args, "--agents", 3000);
var runs = BenchCompany.Option(args, "--runs", 20);
var warmup = BenchCompany.Option(args, "--warmup", 5);
var teamCount = BenchCompany.Option(args, "--teams", 40);
const string Password = "Bench-2026-pages";

var directory = Path.Combine(Path.GetTempPath(), "appraisal-bench-pages", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(directory);
var durations = new ConcurrentQueue<double>();
using var listener = BenchCompany.ListenToRequestDurations(durations);

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
]);

try
{
    await AppHost.PrepareAsync(app);
    var month = YearMonth.FromDate(DateOnly.FromDateTime(DateTime.UtcNow)).Previous;
    var seed = Stopwatch.StartNew();
    await BenchCompany.SeedAsync(app.Services, month, agents, Password, teamCount);
    await BenchCompany.ComputeAsync(app.Services, month);
    int gmId;
    int agentId;
    await using (var scope = app.Services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var gm = new Person { EmployeeNo = "M001", Name = "总经理", Role = Roles.GeneralManager, HireDate = month.FirstDay.AddYears(-3) };
        db.People.Add(gm);
        await db.SaveChangesAsync();
        gmId = gm.Id;
        await AccountAsync(users, "gm", gm.Id, Roles.GeneralManager, Password);

        // The first team's supervisor and one of its agents sign in too.
        var supervisor = await db.People.SingleAsync(p => p.EmployeeNo == "S001");
        await AccountAsync(users, "sup", supervisor.Id, Roles.Supervisor, Password);
        agentId = await db.People.Where(p => p.EmployeeNo == "E00001").Select(p => p.Id).SingleAsync();
        await AccountAsync(users, "agent", agentId, Roles.Agent, Password);
        await EarlierMonthsAsync(db, month, 6);
        await AgentAccountsAsync(db);
    }

    Console.Error.WriteLine($"seeded {agents} agents and 7 months of results in {seed.Elapsed.TotalSeconds:F1} s");

    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    var clients = new Dictionary<string, HttpClient>();
    foreach (var user in new[] { "gm", "hr", "sup", "agent", "admin" })
    {
        clients[user] = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(address) };
        await BenchCompany.SignInAsync(clients[user], user, Password);
    }

    var m = month.ToString();
    var earlier = month.Previous.ToString();
    (string User, string Path, string What)[] pages =
    [
        ("gm", "/", "home: the general manager's dashboard with calibration"),
        ("hr", "/", "home: HR's dashboard (progress, late people, pay run)"),
        ("sup", "/", "home: a supervisor's dashboard (team of 75)"),
        ("agent", "/", "home: an agent's dashboard (12 months)"),
        ("admin", "/People/Accounts", "accounts (every agent has one)"),
        ("hr", "/People", "people, first page"),
        ("hr", "/People?q=%E5%91%98%E5%B7%A512&sort=Name", "people, searched by part of a name, by name"),
        ("hr", "/People?sort=HireDate&desc=true&p=15", "people, page 15 by hire date"),
        ("hr", $"/Months/Facts?month={m}", "facts, first page"),
        ("hr", $"/Months/Facts?month={m}&q=E012", "facts, searched by employee number"),
        ("hr", $"/Months/Team?month={m}", "team page as HR (30 team summaries, first page)"),
        ("hr", $"/Months/Team?month={m}&status=TalkMissing&p=5", "team page as HR, talks missing, page 5"),
        ("sup", $"/Months/Team?month={m}", "team page as the supervisor"),
        ("hr", $"/Results/Month?month={m}", "month results, first page by rank"),
        ("hr", $"/Results/Month?month={m}&sort=-total&p=10", "month results by total pay, page 10"),
        ("gm", $"/Results/Month?month={m}&q=%E5%91%98%E5%B7%A51&status=excluded", "month results, searched and filtered"),
        ("hr", $"/Results/Decisions?month={earlier}", "decision lists of a confirmed month"),
        ("hr", $"/Results/History?person={agentId}", "a person's history (7 months)"),
        ("agent", $"/Pay/Payslip?month={earlier}&person={agentId}", "the agent's payslip"),
    ];

    var table = new List<(string User, string Path, string What, long Bytes, List<double> Server)>();
    foreach (var (user, path, what) in pages)
    {
        var server = new List<double>();
        long bytes = 0;
        for (var i = 0; i < warmup + runs; i++)
        {
            durations.Clear();
            using var response = await clients[user].GetAsync(new Uri(path, UriKind.Relative));
            var html = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"GET {path} as {user}: {(int)response.StatusCode}");
            }

            if (path == "/" && user == "gm" && !html.Contains("chart-calibration", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("GET / as the general manager: no calibration chart");
            }

            var ms = await BenchCompany.ServerTimeAsync(durations);
            bytes = System.Text.Encoding.UTF8.GetByteCount(html);
            if (i >= warmup)
            {
                server.Add(ms);
            }
        }

        table.Add((user, path, what, bytes, server));
    }

    var read = new List<double>();
    var actor = new Actor("gm", gmId, new HashSet<string> { Roles.GeneralManager });
    for (var i = 0; i < warmup + runs; i++)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var watch = Stopwatch.StartNew();
        var view = await scope.ServiceProvider.GetRequiredService<ReadManagerDashboard>().ExecuteAsync(actor);
        watch.Stop();
        if (view.Grades.Count != 7 || view.Company?.Sheets != agents)
        {
            throw new InvalidOperationException($"expected 7 months and {agents} sheets, read {view.Grades.Count} and {view.Company?.Sheets}");
        }

        if (i >= warmup)
        {
            read.Add(watch.Elapsed.TotalMilliseconds);
        }
    }

    using var process = Process.GetCurrentProcess();
    Console.WriteLine($"Pages at {agents} agents in {teamCount} teams, 7 months of results; median of {runs} after {warmup} warm-up");
    Console.WriteLine($"machine: {BenchCompany.Machine()}");
    Console.WriteLine($"load average while measuring: {BenchCompany.LoadAverage()}");
    Console.WriteLine();
    Console.WriteLine("| page | as | HTML | server median ms | server p95 ms | server max ms |");
    Console.WriteLine("| --- | --- | ---: | ---: | ---: | ---: |");
    foreach (var (user, path, what, bytes, server) in table)
    {
        Console.WriteLine($"| {what} (`{path}`) | {user} | {bytes / 1024.0:F0} KiB | {Median(server):F1} | {Percentile(server, 0.95):F1} | {server.Max():F1} |");
    }

    Console.WriteLine($"| ReadManagerDashboard (queries only, no HTML) | gm | — | {Median(read):F1} | {Percentile(read, 0.95):F1} | {read.Max():F1} |");
    Console.WriteLine($"peak working set: {process.PeakWorkingSet64 / (1024 * 1024)} MiB");
    foreach (var client in clients.Values)
    {
        client.Dispose();
    }
}
finally
{
    await app.StopAsync();
    await app.DisposeAsync();
    SqliteConnection.ClearAllPools();
    Directory.Delete(directory, recursive: true);
}

// Six confirmed months before the computed one: each result copied with its score moved by up to ±6 points (grade
// re-banded by the policy's own rule), sales and pay by up to ±10 %, so that every month differs.
static async Task EarlierMonthsAsync(AppDbContext db, YearMonth month, int count)
{
    var policy = Appraisal.Core.Policy.DefaultPolicy.Instance;
    var source = await db.Months.SingleAsync(m => m.Month == month.ToString());
    var results = await db.Results.AsNoTracking().Where(r => r.MonthId == source.Id).ToListAsync();
    var random = new Random(20261202);
    db.ChangeTracker.AutoDetectChangesEnabled = false;
    for (var back = count; back >= 1; back--)
    {
        var ym = month.PlusMonths(-back);
        var row = new AppraisalMonth
        {
            Month = ym.ToString(), Status = MonthStatus.Confirmed, OpenedAt = DateTime.UtcNow, OpenedBy = "hr", ComputedAt = DateTime.UtcNow,
            PolicyVersion = source.PolicyVersion, ConfirmedAt = DateTime.UtcNow, ConfirmedBy = "gm",
        };
        db.Months.Add(row);
        await db.SaveChangesAsync();
        var rows = new List<StoredResult>(results.Count);
        foreach (var r in results)
        {
            var score = r.Score is { } s ? Math.Clamp(Math.Round(s + (decimal)((random.NextDouble() - 0.5) * 12), 1), 0, 100) : (decimal?)null;
            var factor = 0.9m + ((decimal)random.NextDouble() * 0.2m);
            rows.Add(new StoredResult
            {
                MonthId = row.Id, PersonId = r.PersonId, TeamId = r.TeamId, PolicyVersion = r.PolicyVersion, Eligible = r.Eligible, SelfTotal = r.SelfTotal,
                SupervisorTotal = Math.Clamp(r.SupervisorTotal + random.Next(-6, 7), 0, 100), Score = score,
                GradeKey = score is { } g ? policy.GradeFor(g).Key : null, LevelKey = r.LevelKey, PositionSalary = r.PositionSalary,
                SalesPlan = r.SalesPlan, SalesActual = Math.Round(r.SalesActual * factor, 2), CommissionRate = r.CommissionRate,
                Commission = Math.Round(r.Commission * factor, 2), Bonus = r.Bonus, OtherPay = r.OtherPay,
                TotalPay = Math.Round(r.PositionSalary + (r.Commission * factor) + r.Bonus + r.OtherPay, 2),
                Rank = r.Rank, SalesRank = r.SalesRank, Flags = r.Flags, AbsentDaysInWindow = r.AbsentDaysInWindow, ComputedAt = DateTime.UtcNow,
            });
        }

        await using var transaction = await db.Database.BeginTransactionAsync();
        await db.InsertAsync(rows, default);
        await transaction.CommitAsync();
    }
}

// An account for every agent, as a company that signs everyone in has (the administrator's accounts page lists them):
// rows written directly with one password hash, since hashing 20 000 passwords is not what is measured.
static async Task AgentAccountsAsync(AppDbContext db)
{
    var hash = await db.Users.Where(u => u.UserName == "agent").Select(u => u.PasswordHash).SingleAsync();
    var role = await db.Roles.Where(r => r.Name == Roles.Agent).Select(r => r.Id).SingleAsync();
    var agents = await db.People.AsNoTracking().Where(p => p.Role == Roles.Agent && !db.Users.Any(u => u.PersonId == p.Id))
        .Select(p => new { p.Id, p.EmployeeNo }).ToListAsync();
    await using var transaction = await db.Database.BeginTransactionAsync();
    var connection = (SqliteConnection)db.Database.GetDbConnection();
    using var user = connection.CreateCommand();
    user.Transaction = (SqliteTransaction)transaction.GetDbTransaction();
    user.CommandText = "INSERT INTO AspNetUsers (Id, UserName, NormalizedUserName, EmailConfirmed, PasswordHash, SecurityStamp, ConcurrencyStamp, "
        + "PhoneNumberConfirmed, TwoFactorEnabled, LockoutEnabled, AccessFailedCount, PersonId) VALUES ($id, $name, $upper, 0, $hash, $stamp, $stamp, 0, 0, 1, 0, $person)";
    using var member = connection.CreateCommand();
    member.Transaction = user.Transaction;
    member.CommandText = "INSERT INTO AspNetUserRoles (UserId, RoleId) VALUES ($id, $role)";
    foreach (var a in agents)
    {
        var id = Guid.NewGuid().ToString();
        user.Parameters.Clear();
        user.Parameters.AddWithValue("$id", id);
        user.Parameters.AddWithValue("$name", a.EmployeeNo.ToLowerInvariant());
        user.Parameters.AddWithValue("$upper", a.EmployeeNo.ToUpperInvariant());
        user.Parameters.AddWithValue("$hash", hash);
        user.Parameters.AddWithValue("$stamp", Guid.NewGuid().ToString("N"));
        user.Parameters.AddWithValue("$person", a.Id);
        await user.ExecuteNonQueryAsync();
        member.Parameters.Clear();
        member.Parameters.AddWithValue("$id", id);
        member.Parameters.AddWithValue("$role", role);
        await member.ExecuteNonQueryAsync();
    }

    await transaction.CommitAsync();
}

static async Task AccountAsync(UserManager<AppUser> users, string name, int personId, string role, string password)
{
    if (!(await users.CreateAsync(new AppUser { UserName = name, PersonId = personId }, password)).Succeeded
        || !(await users.AddToRoleAsync((await users.FindByNameAsync(name))!, role)).Succeeded)
    {
        throw new InvalidOperationException($"account {name} not created");
    }
}

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}
