// Measures GET /api/months/{month}/results for a month of N employees (default 2 000) over real HTTP:
// the web application runs on Kestrel on 127.0.0.1 with a fresh SQLite file, HR signs in through the
// sign-in page, then W warm-up walks and R timed walks (default 10 and 50) through all pages of the month,
// --page-size rows each (default 2000, the most a page may ask: one request for 2 000 employees); each
// timing covers every page's request, bodies read included. Prints the median and the spread, the machine and its load.
// --profile first times the handler and the JSON writing in process, without HTTP.
// The company (and sign-in) is bench/Shared/BenchCompany.cs, the same as the month overview benchmark's.
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Appraisal.Bench;
using Appraisal.Core.Months;
using Appraisal.Web;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

var employees = BenchCompany.Option(args, "--employees", 2000);
var runs = BenchCompany.Option(args, "--runs", 50);
var warmup = BenchCompany.Option(args, "--warmup", 10);
var pageSize = BenchCompany.Option(args, "--page-size", 2000);
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
    await BenchCompany.SeedAsync(app.Services, month, employees, Password);
    await BenchCompany.ComputeAsync(app.Services, month);
    Console.WriteLine($"seeded and computed {employees} employees for {month} in {seedTime.Elapsed.TotalSeconds:0.0} s");

    if (args.Contains("--profile"))
    {
        await ProfileAsync(app.Services, month, runs);
    }

    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
    using var client = new HttpClient(handler) { BaseAddress = new Uri(address) };
    await BenchCompany.SignInAsync(client, "hr", Password);

    var url = $"/api/months/{month}/results";
    long bytes = 0;
    var pages = 0;
    for (var i = 0; i < warmup; i++)
    {
        (bytes, pages) = await WalkAsync(client, url, pageSize, employees, check: true);
    }

    var times = new double[runs];
    for (var i = 0; i < runs; i++)
    {
        var watch = Stopwatch.StartNew();
        await WalkAsync(client, url, pageSize, employees, check: false);
        times[i] = watch.Elapsed.TotalMilliseconds;
    }

    Array.Sort(times);
    double Pct(double p) => times[Math.Min(times.Length - 1, (int)Math.Ceiling(p * times.Length) - 1)];
    var median = times.Length % 2 == 1 ? times[times.Length / 2] : (times[(times.Length / 2) - 1] + times[times.Length / 2]) / 2;
    var ci = CultureInfo.InvariantCulture;
    Console.WriteLine(string.Create(ci, $"GET {url}?page=1…{pages}&pageSize={pageSize}: {employees} rows in {pages} page(s), {bytes / 1024.0:0} KiB in all, {warmup} warm-up + {runs} timed walks"));
    Console.WriteLine(string.Create(ci, $"median {median:0.0} ms · min {times[0]:0.0} · p90 {Pct(0.9):0.0} · p95 {Pct(0.95):0.0} · max {times[^1]:0.0} ms"));
    Console.WriteLine($"machine: {BenchCompany.Machine()}");
    Console.WriteLine($"load average (1, 5, 15 min) at the end: {BenchCompany.LoadAverage()}");
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

// Every page of the month in turn; the warm-up answers are checked (each row once, the total), the timed ones only read,
// so that the client's parsing is not counted. Returns the bytes of all pages and how many there were.
static async Task<(long Bytes, int Pages)> WalkAsync(HttpClient client, string url, int pageSize, int expected, bool check)
{
    long bytes = 0;
    var rows = 0;
    var pages = (expected + pageSize - 1) / pageSize;
    for (var page = 1; page <= pages; page++)
    {
        using var response = await client.GetAsync($"{url}?page={page}&pageSize={pageSize}");
        var body = await response.Content.ReadAsByteArrayAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{url}: {(int)response.StatusCode}");
        }

        bytes += body.Length;
        if (check)
        {
            using var doc = JsonDocument.Parse(body);
            rows += doc.RootElement.GetProperty("results").GetArrayLength();
            if (doc.RootElement.GetProperty("total").GetInt32() != expected || doc.RootElement.GetProperty("pages").GetInt32() != pages)
            {
                throw new InvalidOperationException($"page {page}: total {doc.RootElement.GetProperty("total")}, pages {doc.RootElement.GetProperty("pages")}");
            }
        }
    }

    return !check || rows == expected ? (bytes, pages) : throw new InvalidOperationException($"expected {expected} rows, got {rows}");
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
        var watch = Stopwatch.StartNew();
        var result = await ResultsApi.MonthAsync(month, 1, ReadResults.MaxPageSize, sp.GetRequiredService<ReadResults>(), Actor.From(principal), default);
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
