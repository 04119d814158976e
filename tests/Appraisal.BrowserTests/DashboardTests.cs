using Microsoft.Playwright;

namespace Appraisal.BrowserTests;

/// <summary>
/// Each role's dashboard on the home page (issue 9): its charts drawn as SVG with an accessible name, each followed
/// by a table of the same numbers, above the to-do list; a screenshot of each for the README tour
/// (docs/screenshots/dashboard-*.png are copies of these).
/// </summary>
public sealed class DashboardTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Theory]
    [InlineData("gm", "dashboard-gm", 5)]
    [InlineData("hr", "dashboard-hr", 0)]
    [InlineData("sup1", "dashboard-supervisor", 1)]
    [InlineData("agent02", "dashboard-agent", 2)]
    public async Task The_home_page_shows_the_roles_dashboard_with_its_charts_and_tables(string user, string section, int charts)
    {
        var page = await app.SignInAsync(user);
        await page.GotoAsync("/");
        var dashboard = page.Locator($"#{section}");
        await Assertions.Expect(dashboard).ToBeVisibleAsync();
        var figures = dashboard.Locator("figure.chart");
        Assert.Equal(charts, await figures.CountAsync());
        for (var i = 0; i < charts; i++)
        {
            var figure = figures.Nth(i);
            var svg = figure.Locator("svg[role=img]");
            await Assertions.Expect(svg).ToBeVisibleAsync();
            var caption = await figure.Locator("figcaption").InnerTextAsync();
            Assert.StartsWith(caption.Split(" · ")[0], await svg.GetAttributeAsync("aria-label"), StringComparison.Ordinal);
            Assert.True(await svg.Locator("rect.bar, polyline.line").CountAsync() > 0, $"{section} chart {i} draws something");
            Assert.True(await figure.Locator("table tbody tr").CountAsync() > 0, $"{section} chart {i} has its table");
        }

        Assert.True(await dashboard.Locator("table").CountAsync() > 0);

        // Above the to-do list, which stays.
        var order = await page.EvaluateAsync<bool>($"() => !!(document.getElementById('{section}').compareDocumentPosition(document.getElementById('todo-title')) & Node.DOCUMENT_POSITION_FOLLOWING)");
        Assert.True(order);

        await dashboard.ScreenshotAsync(new LocatorScreenshotOptions { Path = Path.Combine(BrowserApp.ScreenshotDirectory, section + ".png") });

        // Printed: the charts stay, the menus go.
        await page.EmulateMediaAsync(new() { Media = Media.Print });
        await Assertions.Expect(page.Locator("header.top")).ToBeHiddenAsync();
        if (charts > 0)
        {
            await Assertions.Expect(figures.First.Locator("svg")).ToBeVisibleAsync();
        }
    }
}
