using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
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
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

// Month overview benchmark (issue 3): N agents with a computed month, seeded through the DbContext and
// ComputeResults, then GET /Results/Month through the real pipeline on loopback. Server time is ASP.NET
// Core's own http.server.request.duration (hosting start to response end), so it is the server's view
// of each request, not the client's. The company (and sign-in) is bench/Shared/BenchCompany.cs, the
// same as the month results API benchmark's.
//
//   dotnet run -c Release --project bench/Appraisal.Bench.WebOverview -- [--agents 2000] [--runs 50] [--warmup 10]
var agents = BenchCompany.Option(args, "--agents", 2000);
var runs = BenchCompany.Option(args, "--runs", 50);
var warmup = BenchCompany.Option(args, "--warmup", 10);
const string Password = "Bench-2026-overview";

var directory = Path.Combine(Path.GetTempPath(), "appraisal-bench-web", Guid.NewGuid().ToString("N"));
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
    .. (Environment.GetEnvironmentVariable("BENCH_SQL_LOG") == "1" ? ["--Logging:LogLevel:Microsoft.EntityFrameworkCore.Database.Command=Information"] : Array.Empty<string>()),
]);

try
{
    await AppHost.PrepareAsync(app);
    var month = YearMonth.FromDate(DateOnly.FromDateTime(DateTime.UtcNow)).Previous;
    var seed = Stopwatch.StartNew();
    await BenchCompany.SeedAsync(app.Services, month, agents, Password);
    Console.Error.WriteLine($"seeded {agents} agents in {seed.Elapsed.TotalSeconds:F1} s");

    var compute = Stopwatch.StartNew();
    await BenchCompany.ComputeAsync(app.Services, month);
    Console.Error.WriteLine($"computed in {compute.Elapsed.TotalMilliseconds:F0} ms");

    await app.StartAsync();
    var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    using var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = new Uri(address) };
    await BenchCompany.SignInAsync(client, "hr", Password);

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
            .ExecuteAsync(BenchCompany.HrActor(hr.Id), month.ToString(), null);
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
    Console.WriteLine($"machine: {BenchCompany.Machine()}");
    Console.WriteLine($"load average while measuring: {BenchCompany.LoadAverage()}");
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

static double Median(List<double> values) => Percentile(values, 0.5);

static double Percentile(List<double> values, double p)
{
    var sorted = values.Order().ToList();
    var rank = p * (sorted.Count - 1);
    var low = (int)Math.Floor(rank);
    var high = (int)Math.Ceiling(rank);
    return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
}
