using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Appraisal.Bench;
using Appraisal.Web;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// Facts page benchmark (issue 8): the demo company plus N agents (bench/Shared/ManyAgents.cs, the facts page
// tests' company) in the open month, then through the real pipeline on loopback: GET /Months/Facts (first page,
// a team, a search), the page's save of N changed rows (POST ?handler=Changes, JSON, what its script sends) and the
// API's (PUT /api/months/{month}/facts). Server time is ASP.NET Core's http.server.request.duration.
//
//   dotnet run -c Release --project bench/Appraisal.Bench.Facts -- [--agents 3000] [--runs 20] [--saves 7] [--warmup 3]
var agents = BenchCompany.Option(args, "--agents", 3000);
var runs = BenchCompany.Option(args, "--runs", 20);
var saves = BenchCompany.Option(args, "--saves", 7);
var warmup = BenchCompany.Option(args, "--warmup", 3);

var directory = Path.Combine(Path.GetTempPath(), "appraisal-bench-facts", Guid.NewGuid().ToString("N"));
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
    "--Demo:Enabled=true",
    "--Logging:LogLevel:Default=Warning",
    .. (Environment.GetEnvironmentVariable("BENCH_SQL_LOG") == "1" ? ["--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Information"] : Array.Empty<string>()),
]);

try
{
    await AppHost.PrepareAsync(app);
    string month;
    await using (var scope = app.Services.CreateAsyncScope())
    {
        month = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Months.Where(m => m.Status == Appraisal.App.Months.MonthStatus.Open)
            .OrderBy(m => m.Month).Select(m => m.Month).FirstAsync();
    }

    var seed = Stopwatch.StartNew();
    var teams = await ManyAgents.AddAsync(app.Services, month, agents);
    Console.Error.WriteLine($"seeded {agents} agents in {seed.Elapsed.TotalSeconds:F1} s");

    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(address) };
    await BenchCompany.SignInAsync(client, "hr", DemoData.Password);

    var results = new List<string>();
    foreach (var (label, url) in new[]
    {
        ("GET /Months/Facts (first page of 100)", $"/Months/Facts?month={month}"),
        ("GET /Months/Facts?team= (one team of 100)", $"/Months/Facts?month={month}&team={teams[teams.Count / 2]}"),
        ("GET /Months/Facts?q= (search by number)", $"/Months/Facts?month={month}&q=A0123"),
        ("GET /Months/Facts?p=20 (a later page)", $"/Months/Facts?month={month}&p=20"),
    })
    {
        var server = new List<double>();
        var bytes = 0;
        for (var i = 0; i < warmup + runs; i++)
        {
            var (ms, body) = await TimedAsync(() => client.GetAsync(new Uri(url, UriKind.Relative)), HttpStatusCode.OK);
            bytes = System.Text.Encoding.UTF8.GetByteCount(body);
            if (i >= warmup)
            {
                server.Add(ms);
            }
        }

        results.Add($"| {label} | {runs} | {bytes / 1024.0:F0} KiB | {Median(server):F1} | {server.Max():F1} |");
    }

    // The rows as stored: person id, version, values.
    var token = await PageTokenAsync(client, $"/Months/Facts?month={month}&q=A00001");
    var rows = (await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/months/{month}/facts", UriKind.Relative))).GetProperty("rows").EnumerateArray()
        .Where(r => r.GetProperty("employeeNo").GetString()!.StartsWith('A'))
        .Select(r => new Row(r.GetProperty("personId").GetInt32(), r.GetProperty("version").ValueKind == JsonValueKind.Null ? null : r.GetProperty("version").GetInt32()))
        .ToList();
    if (rows.Count != agents)
    {
        throw new InvalidOperationException($"expected {agents} rows, read {rows.Count}");
    }

    // The page's save: every row changed (a different actual each run), as text, with the versions of the last answer.
    var pageSave = new List<double>();
    for (var i = 0; i < warmup + saves; i++)
    {
        var run = i;
        var body = new
        {
            rows = rows.Select((r, n) => new
            {
                personId = r.PersonId,
                salesPlan = "100000",
                salesActual = (90_000m + n + (run * 0.01m)).ToString(CultureInfo.InvariantCulture),
                absentDays = (n % 5 == 0 ? 1 : 0).ToString(CultureInfo.InvariantCulture),
                eligibility = string.Empty,
                overrideReason = string.Empty,
                version = r.Version,
            }).ToList(),
        };
        var (ms, answer) = await TimedAsync(() => Post(client, $"/Months/Facts?month={month}&handler=Changes", body, token), HttpStatusCode.OK);
        var versions = JsonDocument.Parse(answer).RootElement.GetProperty("rows").EnumerateArray()
            .ToDictionary(v => v.GetProperty("personId").GetInt32(), v => v.GetProperty("version").GetInt32());
        rows = rows.Select(r => r with { Version = versions[r.PersonId] }).ToList();
        if (i >= warmup)
        {
            pageSave.Add(ms);
        }
    }

    results.Add($"| POST /Months/Facts?handler=Changes ({agents} changed rows, JSON) | {saves} | — | {Median(pageSave):F1} | {pageSave.Max():F1} |");

    var apiToken = (await client.GetFromJsonAsync<JsonElement>(new Uri("/api/antiforgery", UriKind.Relative))).GetProperty("token").GetString()!;
    var apiSave = new List<double>();
    for (var i = 0; i < warmup + saves; i++)
    {
        var run = i;
        var body = new
        {
            rows = rows.Select((r, n) => new { personId = r.PersonId, salesPlan = 110000m, salesActual = 80_000m + n + (run * 0.01m), absentDays = 0, version = r.Version + run }).ToList(),
        };
        var (ms, answer) = await TimedAsync(() => Put(client, $"/api/months/{month}/facts", body, apiToken), HttpStatusCode.OK);
        if (JsonDocument.Parse(answer).RootElement.GetProperty("changed").GetInt32() != agents)
        {
            throw new InvalidOperationException("the API did not change every row: " + answer);
        }

        if (i >= warmup)
        {
            apiSave.Add(ms);
        }
    }

    results.Add($"| PUT /api/months/{{month}}/facts ({agents} changed rows) | {saves} | — | {Median(apiSave):F1} | {apiSave.Max():F1} |");

    Console.WriteLine($"Facts page benchmark: {agents} agents (+ the demo's 12), median after {warmup} warm-up requests");
    Console.WriteLine($"machine: {BenchCompany.Machine()}");
    Console.WriteLine($"load average while measuring: {BenchCompany.LoadAverage()}");
    Console.WriteLine();
    Console.WriteLine("| request | runs | HTML | server median ms | server max ms |");
    Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
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

static Task<HttpResponseMessage> Post(HttpClient client, string url, object body, string csrf) => Send(client, HttpMethod.Post, url, body, csrf);

static Task<HttpResponseMessage> Put(HttpClient client, string url, object body, string csrf) => Send(client, HttpMethod.Put, url, body, csrf);

static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string url, object body, string csrf)
{
    using var request = new HttpRequestMessage(method, new Uri(url, UriKind.Relative)) { Content = JsonContent.Create(body) };
    request.Headers.Add("X-CSRF-TOKEN", csrf);
    return await client.SendAsync(request);
}

// The server's own time of one request (the hosting metric, recorded as the request ends).
async Task<(double Ms, string Body)> TimedAsync(Func<Task<HttpResponseMessage>> send, HttpStatusCode expected)
{
    durations.Clear();
    using var response = await send();
    var body = await response.Content.ReadAsStringAsync();
    if (response.StatusCode != expected)
    {
        throw new InvalidOperationException($"{(int)response.StatusCode}: {body[..Math.Min(body.Length, 2000)]}");
    }

    var wait = Stopwatch.StartNew();
    double ms;
    while (!durations.TryDequeue(out ms))
    {
        if (wait.ElapsedMilliseconds > 5000)
        {
            throw new InvalidOperationException("no http.server.request.duration measurement");
        }

        await Task.Delay(1);
    }

    return (ms, body);
}

static async Task<string> PageTokenAsync(HttpClient client, string url)
{
    var html = await client.GetStringAsync(new Uri(url, UriKind.Relative));
    return WebUtility.HtmlDecode(Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
}

internal sealed record Row(int PersonId, int? Version);
