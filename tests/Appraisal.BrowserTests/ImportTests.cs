using Microsoft.Playwright;
using MiniExcelLibs;

namespace Appraisal.BrowserTests;

/// <summary>
/// HR's imports through the browser (issue 8 §1): every template downloaded from its page and read back; the sales
/// template filled and imported (preview, confirm), a file with errors in several rows and cells listed in full with
/// nothing imported, the clean file again changing nothing; the people template filled and imported.
/// </summary>
public sealed class ImportTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private static readonly string Work = Path.Combine(Path.GetTempPath(), $"appraisal-browser-import-{Guid.NewGuid():N}");

    [Fact]
    public async Task Templates_are_downloaded_filled_imported_refused_with_every_problem_and_imported_again_without_change()
    {
        Directory.CreateDirectory(Work);
        var hr = await app.SignInAsync("hr");
        var month = BrowserApp.AppraisedMonth.ToString();

        // Every template, from its page: a workbook whose first sheet has the Chinese headers and an example row.
        foreach (var (url, sheet) in new[]
        {
            ($"/Months/Import?month={month}&kind=sales", "销售"), ($"/Months/Import?month={month}&kind=absence", "缺岗"),
            ($"/Months/Import?month={month}&kind=adjustments", "工资调整"), ($"/Months/Import?month={month}&kind=history", "历史"),
            ("/People/Import?kind=people", "人员"),
        })
        {
            await hr.GotoAsync(url);
            var path = await DownloadAsync(hr, sheet);
            var rows = MiniExcel.Query(path, useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object?>>().ToList();
            Assert.Contains("工号", Assert.Single(rows).Keys);
        }

        // The sales template filled in for three agents.
        await hr.GotoAsync($"/Months/Import?month={month}&kind=sales");
        var template = await DownloadAsync(hr, "销售");
        var clean = Fill(template, "销售", "clean.xlsx",
            ["E002", "王芳", 70000m, 71000.5m], ["E003", "李娜", 80000m, "¥82,000"], ["E004", null, "９００００", 88000m]);
        await UploadAsync(hr, clean);
        await Assertions.Expect(hr.Locator(".import-preview h2")).ToContainTextAsync("clean.xlsx");
        await BrowserApp.ScreenshotAsync(hr, "import-1-preview");
        await ClickAndWaitAsync(hr, "#confirm-import");
        await Assertions.Expect(hr.Locator(".notice")).ToContainTextAsync("已从“clean.xlsx”导入 3 行");

        // A file with errors in several rows and cells: every one listed, nothing imported.
        var bad = Fill(template, "销售", "bad.xlsx",
            ["E002", "王芳", "abc", -5m], ["X999", "无名", 1m, 2m], ["E003", "张伟", 1.005m, 1m], ["E004", null, 1m, null]);
        await UploadAsync(hr, bad);
        await Assertions.Expect(hr.Locator(".import-problems")).ToBeVisibleAsync();
        await BrowserApp.ScreenshotAsync(hr, "import-2-problems");
        Assert.Equal(6, await hr.Locator("table.problems tbody tr").CountAsync());
        var cells = await hr.Locator("table.problems tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.cells[2].textContent + r.cells[1].textContent)");
        Assert.Equal(["C2", "D2", "A3", "B4", "C4", "D5"], cells);
        Assert.Equal(0, await hr.Locator("#confirm-import").CountAsync());

        // The clean file again: nothing changed by the bad one, nothing to change now.
        await UploadAsync(hr, clean);
        await Assertions.Expect(hr.Locator(".import-preview .ok")).ToBeVisibleAsync();
        await Assertions.Expect(hr.Locator(".import-preview h2")).ToContainTextAsync("不变 3 行");
        await ClickAndWaitAsync(hr, "#confirm-import");
        await Assertions.Expect(hr.Locator(".notice")).ToContainTextAsync("没有任何更改");

        // The people template filled with a newcomer, imported; the same file again changes nothing.
        await hr.GotoAsync("/People/Import?kind=people");
        var people = Fill(await DownloadAsync(hr, "人员"), "人员", "people.xlsx", ["E901", "新同事", "客服一组", "S001", "客服", new DateTime(2026, 1, 5), null]);
        await UploadAsync(hr, people);
        await Assertions.Expect(hr.Locator(".import-preview h2")).ToContainTextAsync("新增 1 行");
        await ClickAndWaitAsync(hr, "#confirm-import");
        await Assertions.Expect(hr.Locator(".notice")).ToContainTextAsync("导入 1 行");
        await UploadAsync(hr, people);
        await Assertions.Expect(hr.Locator(".import-preview h2")).ToContainTextAsync("不变 1 行");
        await hr.GotoAsync("/People");
        await Assertions.Expect(hr.Locator("main")).ToContainTextAsync("新同事");
        await hr.Context.CloseAsync();
    }

    private static async Task<string> DownloadAsync(IPage page, string sheet)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#template-xlsx"));
        var path = Path.Combine(Work, $"{sheet}-{Guid.NewGuid():N}-{download.SuggestedFilename}");
        await download.SaveAsAsync(path);
        return path;
    }

    /// <summary>The template's own header row with <paramref name="rows"/> under it (its example row replaced), as HR saves it from Excel.</summary>
    private static string Fill(string template, string sheet, string name, params object?[][] rows)
    {
        var headers = MiniExcel.Query(template, useHeaderRow: true, sheetName: sheet).Cast<IDictionary<string, object?>>().Single().Keys.ToList();
        var data = rows.Select(r => headers.Select((h, i) => (h, v: i < r.Length ? r[i] : null)).ToDictionary(x => x.h, x => x.v)).ToList();
        var dir = Path.Combine(Work, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        MiniExcel.SaveAs(path, new Dictionary<string, object> { [sheet] = data }, excelType: ExcelType.XLSX);
        return path;
    }

    private static async Task UploadAsync(IPage page, string path)
    {
        await page.SetInputFilesAsync("#Upload", path);
        await ClickAndWaitAsync(page, "#upload-file");
    }

    /// <summary>Clicks a submit button and waits until the next page's document is parsed (a click returns before it is).</summary>
    private static async Task ClickAndWaitAsync(IPage page, string selector)
    {
        await page.EvaluateAsync("() => { window.__before = true; }");
        await page.ClickAsync(selector);
        await page.WaitForFunctionAsync("() => window.__before !== true && document.readyState !== 'loading'", null, new() { PollingInterval = 100 });
    }
}
