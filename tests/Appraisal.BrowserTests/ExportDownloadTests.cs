using System.Text;
using Microsoft.Playwright;
using MiniExcelLibs;
using Sylvan.Data.Csv;

namespace Appraisal.BrowserTests;

/// <summary>Every export downloaded from its page's link, as a person would, and read back.</summary>
public sealed class ExportDownloadTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    /// <summary>The demo's last confirmed month: the one before the month being appraised.</summary>
    private static string ConfirmedMonth => BrowserApp.AppraisedMonth.Previous.ToString();

    [Fact]
    public async Task Hr_downloads_the_results_pay_run_and_audit_log_from_the_month_page()
    {
        var month = ConfirmedMonth;
        var hr = await app.SignInAsync("hr");
        await hr.GotoAsync($"/Results/Month?month={month}");
        var people = await hr.Locator("table.results tbody tr").CountAsync();
        Assert.True(people > 0);
        await BrowserApp.ScreenshotAsync(hr, "export-month-page");

        var results = await DownloadAsync(hr, "results-xlsx");
        Assert.Contains(month, Title(results), StringComparison.Ordinal);
        Assert.Equal(people, Rows(results).Count(r => r["工号 Employee no"] is string no && !no.StartsWith("合计", StringComparison.Ordinal)));
        Assert.Equal(people, Csv(await DownloadAsync(hr, "results-csv")).Count);

        var payrun = await DownloadAsync(hr, "payrun-xlsx");
        Assert.Contains("工资表", Title(payrun), StringComparison.Ordinal);
        var cells = Rows(payrun);
        Assert.Contains(cells, r => r["工号 Employee no"] is string s && s.StartsWith("合计", StringComparison.Ordinal));
        Assert.Equal(people, Csv(await DownloadAsync(hr, "payrun-csv")).Count);

        var audit = await DownloadAsync(hr, "audit-xlsx");
        Assert.Contains("审计日志", Title(audit), StringComparison.Ordinal);
        Assert.NotEmpty(Rows(audit));

        // The payslip page links to the same pay run; the audit page to the month's log.
        await hr.ClickAsync("table.results tbody tr >> nth=0 >> a");
        Assert.Equal(people, Csv(await DownloadAsync(hr, "payrun-csv")).Count);
        await hr.GotoAsync($"/Audit?month={month}");
        Assert.NotEmpty(Csv(await DownloadAsync(hr, "audit-csv")));
        await hr.Context.CloseAsync();
    }

    [Fact]
    public async Task An_agent_downloads_their_own_history()
    {
        var agent = await app.SignInAsync("agent01");
        await agent.GotoAsync("/Results/History?person=" + await PersonIdAsync(agent));
        var months = await agent.Locator("tr[data-month]").CountAsync();
        Assert.True(months > 0);
        var xlsx = await DownloadAsync(agent, "history-xlsx");
        Assert.Contains("E001", Title(xlsx), StringComparison.Ordinal);
        Assert.Equal(months, Rows(xlsx).Count);
        Assert.Equal(months, Csv(await DownloadAsync(agent, "history-csv")).Count);
        await agent.Context.CloseAsync();
    }

    private static async Task<string> PersonIdAsync(IPage agent)
    {
        return await agent.EvaluateAsync<string>("async () => String((await (await fetch('/api/me/data')).json()).person.id)");
    }

    private static async Task<byte[]> DownloadAsync(IPage page, string export)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync($"a[data-export={export}] >> nth=0"));
        var path = Path.Combine(BrowserApp.ScreenshotDirectory, download.SuggestedFilename);
        await download.SaveAsAsync(path);
        return await File.ReadAllBytesAsync(path);
    }

    private static string Title(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx);
        return (string)((IDictionary<string, object?>)MiniExcel.Query(stream, useHeaderRow: false, excelType: ExcelType.XLSX).First())["A"]!;
    }

    private static List<IDictionary<string, object?>> Rows(byte[] xlsx)
    {
        using var stream = new MemoryStream(xlsx);
        return MiniExcel.Query(stream, useHeaderRow: true, startCell: "A2", excelType: ExcelType.XLSX).Cast<IDictionary<string, object?>>().ToList();
    }

    private static List<string[]> Csv(byte[] csv)
    {
        Assert.True(csv.Length >= 3 && csv[0] == 0xEF && csv[1] == 0xBB && csv[2] == 0xBF, "UTF-8 with BOM");
        using var reader = CsvDataReader.Create(new StreamReader(new MemoryStream(csv), Encoding.UTF8));
        var records = new List<string[]>();
        while (reader.Read())
        {
            records.Add([.. Enumerable.Range(0, reader.FieldCount).Select(reader.GetString)]);
        }

        return records;
    }
}
