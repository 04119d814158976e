using System.Text;
using Appraisal.Core.Months;
using Appraisal.App.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Cli.Tests.Batch;

/// <summary>
/// <c>import</c> and <c>print</c> as real processes over the demo company's database: the web application's checks,
/// every problem listed and nothing imported, the same file again changes nothing, and PDFs only for those who may
/// read them.
/// </summary>
public sealed class ImportPrintVerbTests(DemoDatabase demo) : IClassFixture<DemoDatabase>
{
    private static string CurrentMonth => DemoDatabase.CompanyMonth.ToString();

    private static string PreviousMonth => DemoDatabase.CompanyMonth.PlusMonths(-1).ToString();

    private static string Csv(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"cli-import-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, text, new UTF8Encoding(true));
        return path;
    }

    private Task<decimal?> PlanAsync(string employeeNo) => demo.WithServicesAsync(async s =>
    {
        var db = s.GetRequiredService<AppDbContext>();
        return await db.Facts.AsNoTracking().Where(f => f.Person!.EmployeeNo == employeeNo && f.Month!.Month == CurrentMonth).Select(f => (decimal?)f.SalesPlan).SingleOrDefaultAsync();
    });

    [Fact]
    public async Task A_sales_file_is_imported_once_and_the_same_file_again_changes_nothing()
    {
        var file = Csv("工号,姓名,销售计划,实际销售额\r\nE003,,\"１２３,４５６\",¥130000\r\n");
        try
        {
            var dry = CliRun.Run(["import", "sales", file, "--month", CurrentMonth, "--dry-run", "--as", "hr", "--setting", demo.Setting]);
            Assert.True(dry.ExitCode == 0, dry.ToString());
            Assert.Contains("E003", dry.Stdout, StringComparison.Ordinal);
            Assert.Contains("仅检查，未导入", dry.Stderr, StringComparison.Ordinal);
            Assert.NotEqual(123456m, await PlanAsync("E003"));

            var run = CliRun.Run(["import", "sales", file, "--month", CurrentMonth, "--as", "hr", "--setting", demo.Setting]);
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("已导入 1 行", run.Stderr, StringComparison.Ordinal);
            Assert.Equal(123456m, await PlanAsync("E003"));

            var again = CliRun.Run(["import", "sales", file, "--month", CurrentMonth, "--as", "hr", "--setting", demo.Setting]);
            Assert.True(again.ExitCode == 0, again.ToString());
            Assert.Contains("没有需要导入的修改", again.Stderr, StringComparison.Ordinal);
            Assert.Equal(string.Empty, again.Stdout);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task A_file_with_several_bad_cells_lists_every_one_and_imports_nothing()
    {
        var before = await PlanAsync("E004");
        var file = Csv("工号,姓名,销售计划,实际销售额\r\nE004,,90000,95000\r\nE999,,1,1\r\nE005,,abc,-5\r\n");
        try
        {
            var run = CliRun.Run(["import", "sales", file, "--month", CurrentMonth, "--as", "hr", "--setting", demo.Setting]);
            Assert.True(run.ExitCode == 2, run.ToString());
            Assert.Contains("未导入任何内容", run.Stderr, StringComparison.Ordinal);
            Assert.Contains("!A3", run.Stderr, StringComparison.Ordinal); // the unknown employee number, by cell
            Assert.Contains("!C4", run.Stderr, StringComparison.Ordinal); // "abc"
            Assert.Contains("!D4", run.Stderr, StringComparison.Ordinal); // a negative amount
            Assert.Equal(before, await PlanAsync("E004"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("agent01")] // imports are HR's
    [InlineData("gm")]
    public void Only_hr_imports(string user)
    {
        var file = Csv("工号,姓名,销售计划,实际销售额\r\nE003,,1,1\r\n");
        try
        {
            var run = CliRun.Run(["import", "sales", file, "--month", CurrentMonth, "--as", user, "--setting", demo.Setting]);
            Assert.True(run.ExitCode == 2, run.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void A_missing_file_and_a_month_kind_without_month_are_refused()
    {
        var missing = CliRun.Run(["import", "sales", "/nonexistent/sales.xlsx", "--month", CurrentMonth, "--as", "hr", "--setting", demo.Setting]);
        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("/nonexistent/sales.xlsx", missing.Stderr, StringComparison.Ordinal);
        var noMonth = CliRun.Run(["import", "absence", "/nonexistent/a.csv", "--as", "hr", "--setting", demo.Setting]);
        Assert.True(noMonth.ExitCode == 2, noMonth.ToString());
        Assert.Contains("--month", noMonth.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sup1", new[] { "kpi", "--team", "客服一组" }, 0, 6)] // the supervisor's own team, one page each
    [InlineData("sup1", new[] { "kpi", "--team", "客服二组" }, 2, 0)] // not another team's
    [InlineData("agent01", new[] { "payslip", "--person", "E001" }, 0, 1)]
    [InlineData("agent01", new[] { "payslip", "--person", "E002" }, 2, 0)]
    public void Print_writes_the_pdf_the_page_would_give_or_nothing(string user, string[] what, int exit, int pages)
    {
        var file = Path.Combine(Path.GetTempPath(), $"cli-print-{Guid.NewGuid():N}.pdf");
        try
        {
            var run = CliRun.Run(["print", .. what, "--month", PreviousMonth, "--out", file, "--as", user, "--setting", demo.Setting]);
            Assert.True(run.ExitCode == exit, run.ToString());
            Assert.Equal(exit == 0, File.Exists(file));
            if (exit == 0)
            {
                Assert.True(File.ReadAllBytes(file).AsSpan().StartsWith("%PDF-"u8));
                Assert.Contains($"共 {pages} 页", run.Stderr, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }
}
