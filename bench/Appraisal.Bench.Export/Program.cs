// Measures the pay run export (工资表) of a month of N employees (default 10 000) end to end over real HTTP:
// GET /api/months/{month}/payrun/export?format=xlsx|csv against the web application on Kestrel (127.0.0.1) over a
// SQLite file, as HR signed in through the sign-in page; each timing covers the whole request with the body read
// (the query, the access check and pay.read audit, the rule texts and the file written). Prints the median of R runs
// (default 5) per format after one warm-up, the file sizes, the machine, its load and this process's peak RSS.
//   --seed-only  seeds and computes the company into --db FILE and exits (so that a timed run's peak memory is the
//                export's, not the seeding's); without it a missing --db file is seeded first.
// The company is bench/Shared/BenchCompany.cs (the other web benchmarks'), plus HR adjustments for one person in ten.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using Appraisal.Bench;
using Appraisal.Core.Months;
using Appraisal.Web;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Pay;
using Appraisal.Web.Pay;
using Appraisal.App.People;
using Appraisal.Web.People;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using MiniExcelLibs;

var employees = BenchCompany.Option(args, "--employees", 10_000);
var runs = BenchCompany.Option(args, "--runs", 5);
var dbIndex = Array.IndexOf(args, "--db");
var path = dbIndex >= 0 ? Path.GetFullPath(args[dbIndex + 1]) : Path.Combine(Path.GetTempPath(), $"appraisal-bench-export-{employees}.db");
var seedOnly = args.Contains("--seed-only");
const string Password = "BenchPass2026";
var month = YearMonth.FromDate(DateOnly.FromDateTime(DateTime.UtcNow)).Previous;

var app = AppHost.Build(
[
    "--applicationName=Appraisal.Web",
    "--environment=Production",
    "--urls=http://127.0.0.1:0",
    $"--ConnectionStrings:Sqlite=Data Source={path}",
    "--Demo:Enabled=false",
    $"--Admin:Password={Password}",
    "--Company:Name=示例客服中心",
    "--Logging:LogLevel:Default=Warning",
]);

if (!File.Exists(path))
{
    await AppHost.PrepareAsync(app);
    var seedTime = Stopwatch.StartNew();
    await BenchCompany.SeedAsync(app.Services, month, employees, Password);
    await AddAdjustmentsAsync(app.Services, month);
    await BenchCompany.ComputeAsync(app.Services, month);
    Console.WriteLine($"seeded and computed {employees} employees for {month} into {path} in {seedTime.Elapsed.TotalSeconds:0.0} s");
}
else
{
    await AppHost.PrepareAsync(app);
}

if (seedOnly)
{
    return;
}

await app.StartAsync();
var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
using var client = new HttpClient(handler) { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(5) };
await BenchCompany.SignInAsync(client, "hr", Password);

Console.WriteLine(BenchCompany.Machine());
foreach (var format in new[] { "xlsx", "csv" })
{
    var url = $"/api/months/{month}/payrun/export?format={format}";
    var first = await FetchAsync(client, url);
    Check(format, first, employees);
    var times = new List<double>();
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        var bytes = await FetchAsync(client, url);
        times.Add(watch.Elapsed.TotalMilliseconds);
        if (bytes.Length != first.Length)
        {
            throw new InvalidOperationException("the file changed between runs");
        }
    }

    times.Sort();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{format}: {employees} people, {first.Length / 1024.0:0} KiB, median {times[times.Count / 2]:0} ms (min {times[0]:0}, max {times[^1]:0}) over {runs} runs"));
}

Console.WriteLine($"peak RSS of this process: {PeakRssMiB()} MiB; {BenchCompany.LoadAverage()}");
await app.StopAsync();

static async Task<byte[]> FetchAsync(HttpClient client, string url)
{
    using var response = await client.GetAsync(url);
    var bytes = await response.Content.ReadAsByteArrayAsync();
    if (response.StatusCode != HttpStatusCode.OK)
    {
        throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(bytes)}");
    }

    return bytes;
}

// The file is read back once (outside the timings): one row per person.
static void Check(string format, byte[] file, int employees)
{
    int people;
    if (format == "csv")
    {
        people = System.Text.Encoding.UTF8.GetString(file).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length - 1;
    }
    else
    {
        using var stream = new MemoryStream(file);
        people = MiniExcel.Query(stream, useHeaderRow: true, startCell: "A2", excelType: ExcelType.XLSX)
            .Cast<IDictionary<string, object?>>().Count(r => r["工号 Employee no"] is string no && no.StartsWith('E'));
    }

    if (people != employees)
    {
        throw new InvalidOperationException($"{format}: {people} people in the file, expected {employees}");
    }
}

// One agent in ten gets one or two adjustments (其他, 第十条) with a reason, some negative, before the month is computed.
static async Task AddAdjustmentsAsync(IServiceProvider services, YearMonth month)
{
    await using var scope = services.CreateAsyncScope();
    var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
    var monthId = await db.Months.Where(m => m.Month == month.ToString()).Select(m => m.Id).SingleAsync();
    var people = await db.People.AsNoTracking().Where(p => p.Role == Roles.Agent).OrderBy(p => p.EmployeeNo).Select(p => p.Id).ToListAsync();
    var random = new Random(8);
    string[] reasons = ["夜班补贴", "全勤奖", "培训补助", "客户投诉扣款", "设备损坏赔偿", "节日慰问", "高温补贴"];
    foreach (var id in people.Where((_, i) => i % 10 == 3))
    {
        for (var k = random.Next(1, 3); k > 0; k--)
        {
            var reason = reasons[random.Next(reasons.Length)];
            var amount = (reason.EndsWith("扣款", StringComparison.Ordinal) || reason.EndsWith("赔偿", StringComparison.Ordinal) ? -1 : 1) * random.Next(2, 60) * 10m;
            db.PayAdjustments.Add(new PayAdjustment { MonthId = monthId, PersonId = id, Amount = amount, Reason = reason, By = "hr", At = DateTime.UtcNow });
        }
    }

    await db.SaveChangesAsync();
}

static long PeakRssMiB()
{
    foreach (var line in File.ReadLines("/proc/self/status"))
    {
        if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
        {
            return long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024;
        }
    }

    return -1;
}
