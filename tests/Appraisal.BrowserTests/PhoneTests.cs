using Appraisal.Core.Policy;
using Microsoft.Playwright;

namespace Appraisal.BrowserTests;

/// <summary>
/// On a phone (375 × 812): the agent fills and submits the sheet, reads the payslip and acknowledges or appeals,
/// with nothing wider than the screen; the wide tables (team, facts, results) scroll inside their own box with the
/// name column fixed. Screenshots phone-*.png (the window only, to stay small) for docs/screenshots.
/// </summary>
public sealed class PhoneTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task An_agent_fills_the_sheet_and_reads_the_payslip_without_sideways_scrolling()
    {
        var (open, confirmed) = await app.DemoMonthsAsync();
        var me = await app.PersonIdAsync("E001");
        var page = await app.SignInAsync("agent01", viewport: BrowserApp.Phone);
        await NoSidewaysAsync(page, "home");

        await page.GotoAsync($"/Sheets/Edit?month={open}&person={me}&kind=Self");
        await NoSidewaysAsync(page, "sheet");
        foreach (var item in DefaultPolicy.Instance.Items)
        {
            await page.Locator($"#score-{item.Key}").PressSequentiallyAsync(item.Levels[1].Max.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await Assertions.Expect(page.Locator("#total")).ToHaveTextAsync(DefaultPolicy.Instance.Items.Sum(i => i.Levels[1].Max).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.Locator("#score-complaints").ScrollIntoViewIfNeededAsync();
        await NoSidewaysAsync(page, "sheet, filled");
        await BrowserApp.ScreenshotAsync(page, "phone-sheet", fullPage: false);
        await page.Locator("button[name=Mode][value=submit]").TapAsync();
        await Assertions.Expect(page.Locator(".notice")).ToBeVisibleAsync();
        await NoSidewaysAsync(page, "sheet, submitted");

        await page.GotoAsync($"/Pay/Payslip?month={confirmed}&person={me}");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("提成");
        await NoSidewaysAsync(page, "payslip");
        await BrowserApp.ScreenshotAsync(page, "phone-payslip", fullPage: false);
        await page.Locator("form[action*='handler=Acknowledge'] button").TapAsync();
        await Assertions.Expect(page.Locator(".notice")).ToBeVisibleAsync();
        await NoSidewaysAsync(page, "payslip, acknowledged");

        // An appeal where the demo's dates still allow one; otherwise the page says the period has ended.
        var reason = page.Locator("textarea#reason");
        if (await reason.CountAsync() > 0)
        {
            await reason.FillAsync("主管评分与本月投诉记录不符，请复核。");
            await page.Locator("form[action*='handler=Appeal'] button").TapAsync();
            await Assertions.Expect(page.Locator(".notice")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync("处理中");
        }
        else
        {
            await Assertions.Expect(page.Locator("main")).ToContainTextAsync("复议期限已过");
        }

        await NoSidewaysAsync(page, "payslip, after the appeal step");
        await page.Context.CloseAsync();
    }

    [Theory]
    [InlineData("sup1", "team", "/Months/Team?month={open}", "th[scope=row]")]
    [InlineData("hr", "facts", "/Months/Facts?month={open}", "th[scope=row]")]
    [InlineData("gm", "results", "/Results/Month?month={confirmed}", "td.sticky")]
    public async Task Wide_tables_scroll_in_their_box_with_the_name_fixed(string user, string name, string url, string nameCell)
    {
        var (open, confirmed) = await app.DemoMonthsAsync();
        var page = await app.SignInAsync(user, viewport: BrowserApp.Phone);
        await page.GotoAsync(url.Replace("{open}", open, StringComparison.Ordinal).Replace("{confirmed}", confirmed, StringComparison.Ordinal));
        await NoSidewaysAsync(page, name);

        var box = page.Locator(".table-scroll").First;
        await box.ScrollIntoViewIfNeededAsync();
        var cell = box.Locator(nameCell).First;
        var scrolls = await box.EvaluateAsync<bool>("b => b.scrollWidth > b.clientWidth");
        Assert.True(scrolls, $"the {name} table fits the phone and needs no box of its own: check the test");
        var before = await cell.BoundingBoxAsync();
        await box.EvaluateAsync("b => { b.scrollLeft = b.scrollWidth; }");
        await page.WaitForFunctionAsync("() => document.querySelector('.table-scroll').scrollLeft > 0");
        var boxLeft = (await box.BoundingBoxAsync())!.X;
        var after = await cell.BoundingBoxAsync();
        Assert.NotNull(before);
        Assert.NotNull(after);

        // The name stays at the box's left edge while the other columns move under it.
        Assert.InRange(after.X, boxLeft - 1, Math.Max(before.X, boxLeft) + 1);
        Assert.Equal("sticky", await cell.EvaluateAsync<string>("c => getComputedStyle(c).position"));
        await NoSidewaysAsync(page, name + ", table scrolled");
        await BrowserApp.ScreenshotAsync(page, "phone-" + name, fullPage: false);
        await page.Context.CloseAsync();
    }

    private static async Task NoSidewaysAsync(IPage page, string where)
    {
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        var (overflow, culprits) = await BrowserApp.SidewaysAsync(page);
        Assert.True(width <= 375, $"{where}: the page is {width} px wide ({overflow} px too wide): {culprits}");
    }
}
