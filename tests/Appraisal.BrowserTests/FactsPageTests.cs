using Appraisal.Bench;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Appraisal.BrowserTests;

/// <summary>
/// HR on the facts page of a month of about 300 agents, in Chromium: filters by team and by search (the query string
/// keeps them), edits a few rows, saves them through the page's script and reads the outcome at the top.
/// </summary>
public sealed class FactsPageTests(FactsPageTests.App app) : IClassFixture<FactsPageTests.App>
{
    /// <summary>The demo company with 300 more agents in 10 teams of 30 (热线1组…热线10组).</summary>
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
            await ManyAgents.AddAsync(Browser.Services, Month, 300, teamSize: 30);
        }

        public ValueTask DisposeAsync() => Browser.DisposeAsync();
    }

    [Fact]
    public async Task HR_filters_by_team_and_search_edits_a_few_rows_and_sees_the_outcome_at_the_top()
    {
        var hr = await app.Browser.SignInAsync("hr");
        await hr.GotoAsync($"/Months/Facts?month={app.Month}");
        await Assertions.Expect(hr.Locator("#facts-count")).ToContainTextAsync("本月共 312 人参评，显示第 1–100 人");

        // The team filter: 热线3组 is A00061–A00090; the address keeps it.
        await hr.SelectOptionAsync("#facts-team", new SelectOptionValue { Label = "热线3组" });
        await hr.ClickAsync("form[role=search] button[type=submit]");
        await hr.WaitForURLAsync(new System.Text.RegularExpressions.Regex("team=\\d+"));
        await Assertions.Expect(hr.Locator("#facts-form tbody tr")).ToHaveCountAsync(30);
        await Assertions.Expect(hr.Locator("#facts-form tbody tr").First).ToContainTextAsync("A00061");

        // Two rows changed and saved: only they are sent; the outcome is at the top and names the next step.
        var first = hr.Locator("tr[data-no='A00061']");
        var second = hr.Locator("tr[data-no='A00062']");
        await FillAsync(first, "100000", "123456.78", "0");
        await FillAsync(second, "90000", "95000", "3");
        await Assertions.Expect(hr.Locator("#facts-dirty")).ToHaveTextAsync("已修改 2 行，尚未保存");
        await hr.Locator("button:has-text('保存更改')").First.ClickAsync();
        await Assertions.Expect(hr.Locator("#facts-outcome .notice")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("已保存 2 人的数据；下一步：计算结果。\\s*去计算结果"));
        await Assertions.Expect(hr.Locator("#facts-dirty")).ToHaveTextAsync(string.Empty);
        await BrowserApp.ScreenshotAsync(hr, "facts-team-saved");

        // A search within the team: one row; a bad value is refused, named by person and field, and nothing is saved.
        await hr.FillAsync("#facts-q", "A00065");
        await hr.ClickAsync("form[role=search] button[type=submit]");
        await hr.WaitForURLAsync(new System.Text.RegularExpressions.Regex("q=A00065"));
        Assert.Contains("team=", hr.Url, StringComparison.Ordinal);
        await Assertions.Expect(hr.Locator("#facts-form tbody tr")).ToHaveCountAsync(1);
        var row = hr.Locator("tr[data-no='A00065']");
        await FillAsync(row, "5分", "90000", "0");
        await hr.Locator("button:has-text('保存更改')").First.ClickAsync();
        await Assertions.Expect(hr.Locator("#facts-outcome .error")).ToContainTextAsync("A00065 销售计划：“5分”无效");
        await Assertions.Expect(row).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("row-error"));
        await row.Locator("input[data-field='salesPlan']").FillAsync("88000");
        await hr.Locator("button:has-text('保存更改')").First.ClickAsync();
        await Assertions.Expect(hr.Locator("#facts-outcome .notice")).ToContainTextAsync("已保存 1 人的数据");

        // Saved again without reloading (the page took the new versions), and the stored values are the typed ones.
        await row.Locator("input[data-field='salesPlan']").FillAsync("88500");
        await hr.Locator("button:has-text('保存更改')").First.ClickAsync();
        await Assertions.Expect(hr.Locator("#facts-outcome .notice")).ToContainTextAsync("已保存 1 人的数据");
        await using var scope = app.Browser.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var stored = await db.Facts.AsNoTracking().Where(f => f.Month!.Month == app.Month && new[] { "A00061", "A00062", "A00065" }.Contains(f.Person!.EmployeeNo))
            .Select(f => new { f.Person!.EmployeeNo, f.SalesPlan, f.SalesActual, f.AbsentDays }).ToDictionaryAsync(f => f.EmployeeNo, TestContext.Current.CancellationToken);
        Assert.Equal(123456.78m, stored["A00061"].SalesActual);
        Assert.Equal(3, stored["A00062"].AbsentDays);
        Assert.Equal(88500m, stored["A00065"].SalesPlan);

        // In English the outcome speaks English.
        await hr.GotoAsync($"/lang/en?returnUrl=/Months/Facts?month={app.Month}%26q=A00065");
        await row.Locator("input[data-field='absentDays']").FillAsync("4");
        await hr.Locator("button:has-text('Save changes')").First.ClickAsync();
        await Assertions.Expect(hr.Locator("#facts-outcome .notice")).ToContainTextAsync("Saved the facts of 1 person; next: compute the results.");
    }

    private static async Task FillAsync(ILocator row, string plan, string actual, string absent)
    {
        await row.Locator("input[data-field='salesPlan']").FillAsync(plan);
        await row.Locator("input[data-field='salesActual']").FillAsync(actual);
        await row.Locator("input[data-field='absentDays']").FillAsync(absent);
    }
}
