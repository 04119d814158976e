using Microsoft.Playwright;
using UglyToad.PdfPig;

namespace Appraisal.BrowserTests;

/// <summary>
/// Printing through the browser: a supervisor downloads the team's KPI forms from the team page (one page per
/// member, each with the member's name), an agent their payslip from the payslip page (every component), and the
/// browser's own print of the sheet and the payslip shows the form without the menus or the language switch.
/// </summary>
public sealed class PrintTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task A_supervisor_prints_the_teams_kpi_forms_and_an_agent_the_payslip()
    {
        // The last confirmed month of the demo company: the month before the one being appraised.
        var month = BrowserApp.AppraisedMonth.Previous.ToString();

        var supervisor = await app.SignInAsync("sup1");
        await supervisor.GotoAsync($"/Months/Team?month={month}");
        var names = await supervisor.Locator("table.team-table tbody th[scope=row]").AllInnerTextsAsync();
        Assert.Equal(6, names.Count);
        var forms = await DownloadAsync(supervisor, "a:has-text('打印全部组员的 KPI 考核表')");
        using (var pdf = PdfDocument.Open(forms))
        {
            Assert.Equal(names.Count, pdf.NumberOfPages);
            var pages = pdf.GetPages().Select(p => Strip(p.Text)).ToList();
            for (var i = 0; i < names.Count; i++)
            {
                Assert.Contains("客服KPI考核表", pages[i], StringComparison.Ordinal);
                Assert.Contains("姓名：" + Strip(names[i]), pages[i], StringComparison.Ordinal);
                Assert.Contains("考核人签名", pages[i], StringComparison.Ordinal);
                Assert.Contains("总经理确认：", pages[i], StringComparison.Ordinal);
            }
        }

        // agent01's person id, from the team page's link to the sheet.
        var href = await supervisor.Locator("tr", new() { HasText = "张伟" }).Locator("a[href*='kind=Supervisor']").GetAttributeAsync("href");
        var person = href!.Split('&').First(p => p.StartsWith("person=", StringComparison.Ordinal))["person=".Length..];

        var agent = await app.SignInAsync("agent01");
        await agent.GotoAsync($"/Pay/Payslip?month={month}&person={person}");
        var slip = await DownloadAsync(agent, "a:has-text('打印工资条')");
        using (var pdf = PdfDocument.Open(slip))
        {
            var text = Strip(Assert.Single(pdf.GetPages()).Text);
            foreach (var words in new[] { "工资条", "张伟", "岗位工资", "第八条", "个人绩效提成", "第九条", "奖励", "第十一条", "其他", "当月工资", "第十条" })
            {
                Assert.Contains(words, text, StringComparison.Ordinal);
            }
        }

        // The browser's own print: the payslip and the sheet without the header (menus, language switch) or buttons.
        await agent.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(agent.Locator("header.top")).ToBeHiddenAsync();
        await Assertions.Expect(agent.Locator(".print-link")).ToBeHiddenAsync();
        await Assertions.Expect(agent.Locator("table.payslip")).ToBeVisibleAsync();
        await BrowserApp.ScreenshotAsync(agent, "print-payslip");
        await agent.GotoAsync($"/Sheets/Edit?month={month}&person={person}&kind=Supervisor");
        await Assertions.Expect(agent.Locator("header.top")).ToBeHiddenAsync();
        await Assertions.Expect(agent.Locator(".signatures")).ToBeVisibleAsync();
        await BrowserApp.ScreenshotAsync(agent, "print-sheet");
    }

    private static async Task<byte[]> DownloadAsync(IPage page, string selector)
    {
        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync(selector));
        Assert.EndsWith(".pdf", download.SuggestedFilename, StringComparison.Ordinal);
        var path = await download.PathAsync();
        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(Path.Combine(BrowserApp.ScreenshotDirectory, download.SuggestedFilename), bytes);
        return bytes;
    }

    private static string Strip(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
