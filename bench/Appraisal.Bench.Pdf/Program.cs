// Measures one month's KPI forms for N agents (default 1 000) as one PDF, in process: the web application's
// services over a fresh SQLite file seeded with bench/Shared/BenchCompany.cs (teams of 100, both sheets, facts,
// results computed), then R timed prints (default 5) of GET /api/months/{month}/kpi-forms's work as HR —
// PrintForms.KpiFormsAsync: the access checks, the queries, the layout and the PDF written to a file. Prints
// each run, the median, the PDF's size and pages, and the process's peak RSS (seeding included).
using System.Diagnostics;
using System.Globalization;
using Appraisal.Bench;
using Appraisal.Core.Months;
using Appraisal.Web;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Files.Pdf;
using Microsoft.EntityFrameworkCore;

var employees = BenchCompany.Option(args, "--employees", 1000);
var runs = BenchCompany.Option(args, "--runs", 5);
var path = Path.Combine(Path.GetTempPath(), $"appraisal-bench-pdf-{Environment.ProcessId}.db");
var output = Path.Combine(Path.GetTempPath(), $"appraisal-bench-pdf-{Environment.ProcessId}.pdf");
const string Password = "BenchPass2026";
var ci = CultureInfo.InvariantCulture;

var app = AppHost.Build(
[
    "--applicationName=Appraisal.Web",
    "--environment=Production",
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
    Console.WriteLine(string.Create(ci, $"seeded and computed {employees} employees for {month} in {seedTime.Elapsed.TotalSeconds:0.0} s"));
    var font = app.Services.GetRequiredService<PdfFont>();
    Console.WriteLine($"font: {font.FilePath ?? "none"}");

    var times = new double[runs];
    var pages = 0;
    for (var i = 0; i < runs; i++)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var hr = await db.People.SingleAsync(p => p.EmployeeNo == "H001");
        var watch = Stopwatch.StartNew();
        await using (var file = File.Create(output))
        {
            pages = await scope.ServiceProvider.GetRequiredService<PrintForms>().KpiFormsAsync(BenchCompany.HrActor(hr.Id), month, null, file);
        }

        times[i] = watch.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(ci, $"run {i + 1}: {times[i]:0.00} s, {pages} pages, {new FileInfo(output).Length / 1024.0 / 1024.0:0.0} MiB"));
    }

    Array.Sort(times);
    var median = times.Length % 2 == 1 ? times[times.Length / 2] : (times[(times.Length / 2) - 1] + times[times.Length / 2]) / 2;
    using var self = Process.GetCurrentProcess();
    Console.WriteLine(string.Create(ci, $"KPI forms of {employees} agents as one PDF: median {median:0.00} s (min {times[0]:0.00}, max {times[^1]:0.00}) over {runs} runs"));
    Console.WriteLine(string.Create(ci, $"peak RSS of the process (seeding included): {self.PeakWorkingSet64 / 1024.0 / 1024.0:0} MiB"));
    Console.WriteLine($"machine: {BenchCompany.Machine()}");
    Console.WriteLine($"load average (1, 5, 15 min) at the end: {BenchCompany.LoadAverage()}");
    Console.WriteLine($"PDF kept at {output}");
}
finally
{
    await app.DisposeAsync();
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    File.Delete(path);
}
