using Microsoft.Playwright;

namespace Appraisal.BrowserTests;

/// <summary>
/// A whole month through the UI as the four roles (D16): the agent self-assesses, the supervisor assesses
/// and records the feedback talk, HR enters sales and computes, the general manager confirms, and the
/// agent reads the payslip and acknowledges it. Screenshots of each step go to bin/…/screenshots.
/// </summary>
public sealed class MonthWalkTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task A_month_goes_from_open_to_acknowledged_through_the_browser()
    {
        // 1. The agent's to-do list leads to the self-assessment.
        var agent = await app.SignInAsync("agent01");
        await agent.ClickAsync("a:has-text('自评')");
        var month = new Uri(agent.Url).Query.Split('&').First(p => p.Contains("month=", StringComparison.Ordinal)).Split('=')[1];
        await FillSheetAsync(agent, level: 0);
        await BrowserApp.ScreenshotAsync(agent, "1-self-assessment");
        await agent.ClickAsync("button[name=Mode][value=submit]");
        await Assertions.Expect(agent.Locator(".notice")).ToBeVisibleAsync();

        // 2. The supervisor sees the team, assesses agent01 beside the self-assessment, records the talk.
        var supervisor = await app.SignInAsync("sup1");
        await supervisor.GotoAsync($"/Months/Team?month={month}");
        await BrowserApp.ScreenshotAsync(supervisor, "2-team");
        var row = supervisor.Locator("tr", new() { HasText = "张伟" });
        await row.Locator("a[href*='kind=Supervisor']").ClickAsync();
        await FillSheetAsync(supervisor, level: 1);
        await BrowserApp.ScreenshotAsync(supervisor, "3-supervisor-sheet");
        await supervisor.ClickAsync("button[name=Mode][value=submit]");
        await Assertions.Expect(supervisor.Locator(".notice")).ToBeVisibleAsync();
        await supervisor.GotoAsync($"/Months/Team?month={month}");
        row = supervisor.Locator("tr", new() { HasText = "张伟" });
        await row.Locator("input[name=TalkDate]").FillAsync(DateTime.UtcNow.AddHours(8).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await row.Locator("textarea[name=TalkNotes]").FillAsync("已面谈：表现稳定，下月加强连带销售。");
        await row.Locator("form.talk-form button[type=submit]").ClickAsync();
        await Assertions.Expect(supervisor.Locator(".notice")).ToBeVisibleAsync();

        // 3. HR enters agent01's sales and absence, then computes the month.
        var hr = await app.SignInAsync("hr");
        await hr.GotoAsync($"/Months/Facts?month={month}");
        row = hr.Locator("tr", new() { HasText = "张伟" });
        await row.Locator("input[name$='.SalesPlan']").FillAsync("100000");
        await row.Locator("input[name$='.SalesActual']").FillAsync("158000.50");
        await row.Locator("input[name$='.AbsentDays']").FillAsync("0");
        await hr.Locator("button:has-text('保存更改')").First.ClickAsync();
        await Assertions.Expect(hr.Locator(".notice")).ToBeVisibleAsync();
        await BrowserApp.ScreenshotAsync(hr, "4-facts");
        await hr.ClickAsync("form[action*='handler=Compute'] button");
        await Assertions.Expect(hr.Locator(".notice")).ToBeVisibleAsync();

        // 4. The general manager reviews the month and confirms it.
        var gm = await app.SignInAsync("gm");
        await gm.GotoAsync($"/Results/Month?month={month}");
        await BrowserApp.ScreenshotAsync(gm, "5-month-overview");
        await gm.ClickAsync("button:has-text('确认并发布')");
        // Asked once: the summary, then the second button does it.
        await Assertions.Expect(gm.Locator("#confirm-step")).ToContainTextAsync("工资合计");
        await Assertions.Expect(gm.Locator(".status-line .status")).ToHaveTextAsync("进行中");
        await BrowserApp.ScreenshotAsync(gm, "5b-confirm-step");
        await gm.ClickAsync("#confirm-step-do");
        await Assertions.Expect(gm.Locator(".notice")).ToBeVisibleAsync();

        // 5. The agent reads the payslip from the to-do list and acknowledges it.
        await agent.GotoAsync("/");
        await agent.ClickAsync($"a:has-text('{month}')");
        await Assertions.Expect(agent.Locator("main")).ToContainTextAsync("提成");
        await BrowserApp.ScreenshotAsync(agent, "6-payslip");
        await agent.ClickAsync("button:has-text('确认已阅')");
        await Assertions.Expect(agent.Locator(".notice")).ToBeVisibleAsync();
        await agent.GotoAsync("/");
        // Acknowledged: gone from the to-do list and from the reminders (the dashboard still charts the month).
        Assert.DoesNotContain(month, await agent.InnerTextAsync("section.todo-list"), StringComparison.Ordinal);
        Assert.Equal(0, await agent.Locator(".reminders").Filter(new() { HasText = month }).CountAsync());

        foreach (var page in new[] { agent, supervisor, hr, gm })
        {
            await page.Context.CloseAsync();
        }
    }

    /// <summary>Picks level <paramref name="level"/> of every item (or the nearest one) and its highest score.</summary>
    private static async Task FillSheetAsync(IPage page, int level)
    {
        // A click on a link returns before the next page has been parsed: wait for the sheet itself, or the
        // script below runs on a half-loaded (or the previous) document and the form is sent unscored.
        await page.WaitForURLAsync("**/Sheets/Edit?**");
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded);
        await Assertions.Expect(page.Locator("button[name=Mode][value=submit]")).ToBeVisibleAsync();
        var filled = await page.EvaluateAsync<int>(
            """
            level => {
              const groups = {};
              for (const radio of document.querySelectorAll("input[type=radio][data-score]")) {
                (groups[radio.name] ??= []).push(radio);
              }
              for (const radios of Object.values(groups)) {
                const radio = radios[Math.min(level, radios.length - 1)];
                radio.checked = true;
                radio.dispatchEvent(new Event("change", { bubbles: true }));
                const score = document.getElementById(radio.dataset.score);
                score.value = radio.dataset.max;
                score.dispatchEvent(new Event("input", { bubbles: true }));
              }
              return Object.keys(groups).length;
            }
            """,
            level);
        Assert.Equal(8, filled);
    }
}
