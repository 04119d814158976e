using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Appraisal.Bench;
using Appraisal.Core.Months;
using Appraisal.Web;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

// Sales import benchmark (issue 8): a company of N agents (distinct generated Chinese names, employee numbers by hiring
// year) with the month open and no sales yet; an .xlsx of every agent's plan and actual written with MiniExcel; then,
// timed, through the real web application on loopback: POST /api/imports/sales (upload, read, check every cell, plan,
// the preview as JSON) and POST /api/imports/confirm/{token} (read and check again, SaveFacts in one transaction, the
// audit entries). Then the same file again (every row unchanged, nothing written). One run per process, so that the
// process's peak memory is the run's (seeding included: an upper bound for the import).
//
//   dotnet run -c Release --project bench/Appraisal.Bench.Import -- [--agents 50000] [--postgres "Host=…;Username=…;Password=…"]
var agents = BenchCompany.Option(args, "--agents", 50000);
var postgresAt = Array.IndexOf(args, "--postgres");
var postgres = postgresAt >= 0 && postgresAt + 1 < args.Length ? args[postgresAt + 1] : null;
const string Password = "Bench-2026-import";

var directory = Path.Combine(Path.GetTempPath(), "appraisal-bench-import", Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(directory);
var database = $"appraisal_bench_import_{Guid.NewGuid():N}";
var app = AppHost.Build(
[
    "--urls=http://127.0.0.1:0",
    "--applicationName=Appraisal.Web",
    "--environment=Production",
    .. postgres is null
        ? new[] { "--Database:Provider=Sqlite", $"--ConnectionStrings:Sqlite=Data Source={Path.Combine(directory, "bench.db")}" }
        : ["--Database:Provider=Postgres", $"--ConnectionStrings:Postgres={postgres};Database={database}"],
    "--Demo:Enabled=false",
    $"--Admin:Password={Password}",
    "--Logging:LogLevel:Default=Warning",
]);

try
{
    await AppHost.PrepareAsync(app);
    var month = YearMonth.FromDate(DateOnly.FromDateTime(DateTime.UtcNow));
    var seed = Stopwatch.StartNew();
    var people = await SeedAsync(app.Services, month, agents);
    var file = Workbook(people);
    Console.Error.WriteLine($"seeded {agents} agents and wrote the file ({file.Length / 1024} KiB) in {seed.Elapsed.TotalSeconds:F1} s");

    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
    {
        BaseAddress = new Uri(address),
        Timeout = TimeSpan.FromMinutes(5),
    };
    await BenchCompany.SignInAsync(client, "hr", Password);
    var antiforgery = await client.GetFromJsonAsync<JsonElement>(new Uri("/api/antiforgery", UriKind.Relative));
    client.DefaultRequestHeaders.Add("X-CSRF-TOKEN", antiforgery.GetProperty("token").GetString());

    // The import's own memory: the seeding's peak is over; the working set is sampled while the import runs.
    GC.Collect();
    using var process = Process.GetCurrentProcess();
    process.Refresh();
    var seedPeak = process.PeakWorkingSet64;
    long importPeak = 0;
    using var sampling = new CancellationTokenSource();
    var sampler = Task.Run(async () =>
    {
        using var self = Process.GetCurrentProcess();
        while (!sampling.IsCancellationRequested)
        {
            self.Refresh();
            importPeak = Math.Max(importPeak, self.WorkingSet64);
            await Task.Delay(20);
        }
    });
    var cpuBefore = process.TotalProcessorTime;
    var first = await ImportAsync(client, month, file);
    process.Refresh();
    var cpu = process.TotalProcessorTime - cpuBefore;
    await sampling.CancelAsync();
    await sampler;
    Expect(first.Preview.GetProperty("new").GetInt32() == agents, "every row new");
    Expect(first.Changed == agents, "every row imported");
    await using (var scope = app.Services.CreateAsyncScope())
    {
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        Expect(await db.Facts.CountAsync() == agents, "one facts row per agent");
    }

    var again = await ImportAsync(client, month, file);
    Expect(again.Preview.GetProperty("unchanged").GetInt32() == agents && again.Changed == 0, "the same file again changes nothing");

    process.Refresh();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"import {agents} sales rows ({file.Length / 1024} KiB .xlsx) on {(postgres is null ? "SQLite" : "PostgreSQL")}: "
        + $"preview {first.PreviewMs:F0} ms + confirm {first.ConfirmMs:F0} ms = {first.PreviewMs + first.ConfirmMs:F0} ms; "
        + $"process CPU {cpu.TotalMilliseconds:F0} ms; same file again {again.PreviewMs + again.ConfirmMs:F0} ms; "
        + $"working set while importing ≤ {importPeak / 1024 / 1024} MB (sampled), peak of the process {process.PeakWorkingSet64 / 1024 / 1024} MB (seeding {seedPeak / 1024 / 1024} MB); "
        + $"load average {BenchCompany.LoadAverage()}"));
}
finally
{
    await app.StopAsync();
    await app.DisposeAsync();
    SqliteConnection.ClearAllPools();
    Directory.Delete(directory, recursive: true);
    if (postgres is not null)
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        await using var connection = new Npgsql.NpgsqlConnection(postgres + ";Database=postgres");
        await connection.OpenAsync();
        await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", connection);
        await drop.ExecuteNonQueryAsync();
    }
}

static async Task<(JsonElement Preview, int Changed, double PreviewMs, double ConfirmMs)> ImportAsync(HttpClient client, YearMonth month, byte[] file)
{
    var watch = Stopwatch.StartNew();
    using var content = new ByteArrayContent(file);
    content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    using var upload = await client.PostAsync(new Uri($"/api/imports/sales?month={month}&fileName=sales.xlsx", UriKind.Relative), content);
    var preview = JsonDocument.Parse(await upload.Content.ReadAsStringAsync()).RootElement.Clone();
    var previewMs = watch.Elapsed.TotalMilliseconds;
    Expect(upload.StatusCode == HttpStatusCode.OK, $"preview: {(int)upload.StatusCode} {preview}");

    watch.Restart();
    using var confirm = await client.PostAsync(new Uri($"/api/imports/confirm/{preview.GetProperty("token").GetString()}", UriKind.Relative), null);
    var outcome = JsonDocument.Parse(await confirm.Content.ReadAsStringAsync()).RootElement.Clone();
    var confirmMs = watch.Elapsed.TotalMilliseconds;
    Expect(confirm.StatusCode == HttpStatusCode.OK, $"confirm: {(int)confirm.StatusCode} {outcome}");
    return (preview, outcome.GetProperty("changed").GetInt32(), previewMs, confirmMs);
}

static void Expect(bool condition, string what)
{
    if (!condition)
    {
        throw new InvalidOperationException("check failed: " + what);
    }
}

// HR (user "hr"), a supervisor per 100 agents, N agents with distinct names and numbers, the month open with no facts.
static async Task<List<(string No, string Name)>> SeedAsync(IServiceProvider services, YearMonth month, int count)
{
    await using var scope = services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
    var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
    var hr = new Person { EmployeeNo = "H0001", Name = "林人事", Role = Roles.Hr, HireDate = new DateOnly(2018, 3, 1) };
    db.People.Add(hr);
    await db.SaveChangesAsync();
    var user = new AppUser { UserName = "hr", PersonId = hr.Id };
    Check(await users.CreateAsync(user, Password));
    Check(await users.AddToRoleAsync(user, Roles.Hr));

    var random = new Random(20261202);
    var names = Names(random, count + (count / 100) + 1);
    db.ChangeTracker.AutoDetectChangesEnabled = false;
    var teams = new List<Team>();
    for (var t = 0; t < Math.Max(1, count / 100); t++)
    {
        var supervisor = new Person { EmployeeNo = $"S{t + 1:D4}", Name = names[count + t], Role = Roles.Supervisor, HireDate = new DateOnly(2019, 1, 1).AddDays(t) };
        db.People.Add(supervisor);
        var team = new Team { Name = $"客服{t + 1}组", Supervisor = supervisor };
        db.Teams.Add(team);
        teams.Add(team);
    }

    await db.SaveChangesAsync();
    db.Months.Add(new AppraisalMonth { Month = month.ToString(), Status = MonthStatus.Open, OpenedAt = DateTime.UtcNow, OpenedBy = "hr" });
    await db.SaveChangesAsync();
    var teamIds = teams.Select(t => t.Id).ToList();
    db.ChangeTracker.Clear();

    // Numbers by hiring year and order (2019… to last year), in no particular order in the file.
    var people = new List<(string No, string Name)>(count);
    await using var transaction = await db.Database.BeginTransactionAsync();
    for (var i = 0; i < count; i++)
    {
        var year = 2019 + random.Next(0, Math.Max(1, month.Year - 2019));
        var hired = new DateOnly(year, 1, 1).AddDays(random.Next(0, 365));
        var no = string.Create(CultureInfo.InvariantCulture, $"{year}{i + 1:D6}");
        db.People.Add(new Person { EmployeeNo = no, Name = names[i], Role = Roles.Agent, TeamId = teamIds[i % teamIds.Count], HireDate = hired });
        people.Add((no, names[i]));
        if (i % 1000 == 999)
        {
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }
    }

    await db.SaveChangesAsync();
    await transaction.CommitAsync();
    return [.. people.OrderBy(_ => random.Next())];
}

// Distinct Chinese names: a common surname and one or two given-name characters.
static List<string> Names(Random random, int count)
{
    const string Surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤";
    const string Given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏飞鑫波斌宇浩凯健俊帆帅旭宁龙林欣佳雪婷琳晨辉颖倩梅莉丹蕾阳博文轩子涵思雨嘉怡晓东海峰建国志红春燕云";
    var seen = new HashSet<string>(StringComparer.Ordinal);
    var result = new List<string>(count);
    while (result.Count < count)
    {
        var name = Surnames[random.Next(Surnames.Length)].ToString() + Given[random.Next(Given.Length)]
            + (random.NextDouble() < 0.7 ? Given[random.Next(Given.Length)].ToString() : string.Empty);
        if (seen.Add(name))
        {
            result.Add(name);
        }
    }

    return result;
}

// The file as HR fills the template: plans of 50 000–200 000 in steps of 5 000, actuals around them (±30 %) to the
// fen; one actual in twenty typed as text the way people do ("¥12,345.60"), the name column filled.
static byte[] Workbook(List<(string No, string Name)> people)
{
    var random = new Random(7);
    var rows = people.Select(p =>
    {
        var plan = 50_000m + (random.Next(0, 31) * 5_000m);
        var actual = Math.Round(plan * (decimal)(0.7 + (random.NextDouble() * 0.6)), 2);
        return new Dictionary<string, object?>
        {
            ["工号"] = p.No,
            ["姓名"] = p.Name,
            ["销售计划"] = plan,
            ["实际销售额"] = random.NextDouble() < 0.05 ? actual.ToString("¥#,##0.00", CultureInfo.InvariantCulture) : actual,
        };
    }).ToList();
    using var stream = new MemoryStream();
    MiniExcel.SaveAs(stream, new Dictionary<string, object> { ["销售"] = rows }, excelType: ExcelType.XLSX);
    return stream.ToArray();
}

static void Check(IdentityResult result)
{
    if (!result.Succeeded)
    {
        throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
    }
}
