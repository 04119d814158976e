using Appraisal.Core.Months;
using Appraisal.App.People;
using Appraisal.App.Results;
using Microsoft.Extensions.DependencyInjection;
using MiniExcelLibs;

namespace Appraisal.Cli.Tests.Batch;

/// <summary>
/// The batch verbs' host as a real process: the web application's settings and database, one named account whose
/// roles decide (the same refusals as the pages), the evaluate exit codes, and never half a file.
/// </summary>
public sealed class ExportVerbTests(DemoDatabase demo) : IClassFixture<DemoDatabase>
{
    /// <summary>The demo's last confirmed month: the one before the company's current month.</summary>
    private static string ConfirmedMonth => DemoDatabase.CompanyMonth.PlusMonths(-1).ToString();

    [Fact]
    public async Task Hr_exports_a_decision_list_that_reads_back_as_the_page_shows_it()
    {
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cli-decisions-{Guid.NewGuid():N}.xlsx");
        try
        {
            var run = CliRun.Run(["export", "decisions", "--month", ConfirmedMonth, "--list", "training", "--out", file, "--as", "hr", "--setting", demo.Setting]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("已写入 written", run.Stderr, StringComparison.Ordinal);
            Assert.Equal(string.Empty, run.Stdout);
            var rows = MiniExcel.Query(file, useHeaderRow: true, startCell: "A2").Cast<IDictionary<string, object?>>().ToList();
            var expected = await demo.WithServicesAsync(s => s.GetRequiredService<ReadDecisions>()
                .ExecuteAsync(new Actor("hr", null, new HashSet<string> { Roles.Hr }), YearMonth.Parse(ConfirmedMonth), "test", TestContext.Current.CancellationToken));
            Assert.NotEmpty(expected.Training);
            Assert.Equal(expected.Training.Select(p => p.EmployeeNo), rows.Select(r => r.Values.OfType<string>().First(v => v.StartsWith('E'))));
            Assert.False(File.Exists(file + ".part"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("payrun", "hr", null, 0)]
    [InlineData("payrun", "sup1", null, 2)] // the pay run is HR's and the general manager's, as on the page
    [InlineData("overview", "gm", null, 0)]
    [InlineData("history", "agent01", "E001", 0)] // one's own history
    [InlineData("history", "agent01", "E002", 2)] // nobody else's
    [InlineData("audit", "agent01", null, 2)]
    public void Every_export_runs_with_the_pages_access_rules(string kind, string user, string? person, int exit)
    {
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cli-{kind}-{Guid.NewGuid():N}.csv");
        try
        {
            string[] target = person is null ? ["--month", ConfirmedMonth] : ["--person", person];
            var run = CliRun.Run(["export", kind, .. target, "--out", file, "--as", user, "--setting", demo.Setting]);
            Assert.True(run.ExitCode == exit, run.ToString());
            Assert.Equal(exit == 0, File.Exists(file));
            if (exit == 0)
            {
                // CSV for payroll systems: UTF-8 with a byte-order mark, a header row and one row per record.
                var bytes = File.ReadAllBytes(file);
                Assert.True(bytes.AsSpan().StartsWith("\uFEFF"u8), "no UTF-8 byte-order mark");
                Assert.True(File.ReadAllLines(file).Length >= 2, File.ReadAllText(file));
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_kind_without_what_it_needs_is_a_usage_error()
    {
        var run = CliRun.Run(["export", "history", "--out", "-", "--as", "hr", "--setting", demo.Setting]);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("--person", run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("agent01", "无权访问")] // an agent may not read the decision lists: the page's refusal, word for word
    [InlineData("nobody", "账户“nobody”不存在或已停用")]
    public void A_job_refused_for_its_account_writes_nothing_and_exits_2(string user, string message)
    {
        var file = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cli-refused-{Guid.NewGuid():N}.xlsx");
        var run = CliRun.Run(["export", "decisions", "--list", "pay", "--month", ConfirmedMonth, "--out", file, "--as", user, "--setting", demo.Setting]);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(file));
        Assert.False(File.Exists(file + ".part"));
    }

    [Fact]
    public void A_database_the_web_application_never_created_is_refused_with_what_to_do()
    {
        var missing = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cli-empty-{Guid.NewGuid():N}.db");
        File.WriteAllBytes(missing, []);
        try
        {
            var run = CliRun.Run(["export", "decisions", "--list", "pay", "--month", ConfirmedMonth, "--out", "-", "--as", "hr", "--setting", $"ConnectionStrings:Sqlite=Data Source={missing}"]);
            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Contains("请先启动一次网页应用", run.Stderr, StringComparison.Ordinal);
            Assert.Equal(string.Empty, run.Stdout);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(missing);
        }
    }

    [Theory]
    [InlineData("--setting", "Database:Provider", "应为 键=值")] // a setting without '='
    [InlineData("--setting", "Database:Provider=Oracle", "Oracle")] // an unknown provider is not silently SQLite
    [InlineData("--config", "/nonexistent/settings.json", "文件不存在")]
    public void Bad_settings_are_named_and_exit_2(string option, string value, string message)
    {
        var run = CliRun.Run(["export", "decisions", "--list", "pay", "--month", ConfirmedMonth, "--out", "-", "--as", "hr", "--setting", demo.Setting, option, value]);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(message, run.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("202611")]
    public void A_month_that_is_not_a_month_is_a_usage_error(string month)
    {
        var run = CliRun.Run(["export", "decisions", "--list", "pay", "--month", month, "--out", "-", "--as", "hr", "--setting", demo.Setting]);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains(month, run.Stderr, StringComparison.Ordinal);
    }
}
