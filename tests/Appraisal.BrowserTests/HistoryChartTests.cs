using Microsoft.Playwright;

namespace Appraisal.BrowserTests;

/// <summary>
/// A person's history (issue 9) at desktop and phone size, as the agent and as their supervisor: the score and pay
/// charts drawn as SVG with an accessible name, each with a table of its 12 months, what the next grade needs, no
/// sideways scrolling on the phone, no serious or critical axe violation, and the charts kept in print. Screenshots:
/// history-desktop.png, history-phone.png.
/// </summary>
public sealed class HistoryChartTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData("agent01", "zh-CN", "desktop")]
    [InlineData("agent01", "en", "phone")]
    [InlineData("sup1", "zh-CN", "phone")]
    public async Task The_history_shows_score_and_pay_charts_with_their_tables(string user, string culture, string size)
    {
        var me = await app.PersonIdAsync("E001");
        var page = await app.SignInAsync(user, culture, size == "phone" ? BrowserApp.Phone : BrowserApp.Desktop);
        await page.GotoAsync($"/Results/History?person={me}");

        foreach (var id in new[] { "chart-history-scores", "chart-history-pay" })
        {
            var figure = page.Locator($"#{id}");
            var svg = figure.Locator("svg[role=img]");
            await Assertions.Expect(svg).ToBeVisibleAsync();
            var caption = await figure.Locator("figcaption").InnerTextAsync();
            Assert.StartsWith(caption.Split(" · ")[0], await svg.GetAttributeAsync("aria-label"), StringComparison.Ordinal);
            Assert.True(await svg.Locator("polyline.line").CountAsync() > 0, $"{id} draws a line");
            Assert.Equal(12, await figure.Locator("table tbody tr").CountAsync());
        }

        await Assertions.Expect(page.Locator("[data-kpi=next-grade]")).ToBeVisibleAsync();
        if (size == "phone")
        {
            var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
            var (overflow, culprits) = await BrowserApp.SidewaysAsync(page);
            Assert.True(width <= 375, $"the page is {width} px wide ({overflow} px too wide): {culprits}");
        }

        var problems = (await AccessibilityTests.ViolationsAsync(page, $"history [{user}, {culture}, {size}]")).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        if (user == "agent01")
        {
            await BrowserApp.ScreenshotAsync(page, "history-" + size);
        }

        // Printed: the charts stay, the menus go.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(page.Locator("header.top")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#chart-history-scores svg")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#chart-history-pay svg")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}
