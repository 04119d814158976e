using Appraisal.Bench;
using Appraisal.App.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Appraisal.BrowserTests;

/// <summary>
/// Issue 9, in Chromium: the outcome of 计算结果 is at the top of the page, focused, and says what each person lacks
/// with links that work; no decision numbers on the pages people read.
/// </summary>
public sealed class OutcomeTests(OutcomeTests.App app) : IClassFixture<OutcomeTests.App>
{
    /// <summary>The demo company with two more agents who have neither a supervisor sheet nor facts this month.</summary>
    public sealed class App : IAsyncLifetime
    {
        public BrowserApp Browser { get; } = new();

        public string Month { get; private set; } = string.Empty;

        public async ValueTask InitializeAsync()
        {
            await Browser.InitializeAsync();
            await using var scope = Browser.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            Month = await db.Months.Where(m => m.Status == Appraisal.App.Months.MonthStatus.Open).OrderBy(m => m.Month).Select(m => m.Month).FirstAsync();
            await ManyAgents.AddAsync(Browser.Services, Month, 2, teamSize: 2, withFacts: false);
        }

        public ValueTask DisposeAsync() => Browser.DisposeAsync();
    }

    [Fact]
    public async Task A_refused_computation_is_at_the_top_focused_and_links_to_what_each_person_lacks()
    {
        var hr = await app.Browser.SignInAsync("hr");
        await hr.GotoAsync($"/Months/Facts?month={app.Month}");
        await hr.ClickAsync("form[action*='handler=Compute'] button");

        var outcome = hr.Locator("#outcome");
        await Assertions.Expect(outcome).ToBeFocusedAsync();
        await Assertions.Expect(outcome).ToHaveAttributeAsync("role", "alert");
        await Assertions.Expect(outcome).ToContainTextAsync("无法计算");
        await Assertions.Expect(outcome).ToContainTextAsync("主管尚未填写评分表");
        await Assertions.Expect(outcome).ToContainTextAsync("尚未录入销售与缺岗数据");
        var top = await outcome.BoundingBoxAsync();
        var form = await hr.Locator("form[action*='handler=Compute']").BoundingBoxAsync();
        Assert.True(top!.Y < form!.Y, "the outcome is not above the compute form");
        await BrowserApp.ScreenshotAsync(hr, "outcome-compute-refused");

        // The facts link of the first person opens the facts page on their row.
        var link = outcome.Locator("a:has-text('录入其销售与缺岗数据')").First;
        var href = await link.GetAttributeAsync("href");
        var no = System.Text.RegularExpressions.Regex.Match(href ?? string.Empty, "q=([^&]+)").Groups[1].Value;
        await link.ClickAsync();
        await Assertions.Expect(hr.Locator($"tr[data-no='{no}']")).ToBeVisibleAsync();

        // The sheet link opens that person's supervisor sheet.
        await hr.GotoAsync($"/Months/Facts?month={app.Month}");
        await hr.ClickAsync("form[action*='handler=Compute'] button");
        await hr.Locator("#outcome a:has-text('打开主管评分表')").First.ClickAsync();
        await Assertions.Expect(hr.Locator("h1")).ToContainTextAsync("KPI");
    }

    [Fact]
    public async Task The_pages_people_read_show_no_decision_numbers()
    {
        var gm = await app.Browser.SignInAsync("gm");
        foreach (var page in new[] { "/", "/Months", $"/Results/Month?month={app.Month}", "/Results/Reviews", "/Results/Appeals", "/Policy" })
        {
            await gm.GotoAsync(page);
            var text = await gm.Locator("main").InnerTextAsync();
            Assert.DoesNotMatch(@"\bD[0-9]{1,2}\b", text);
        }
    }
}
