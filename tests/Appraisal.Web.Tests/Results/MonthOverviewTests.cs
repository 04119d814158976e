using System.Globalization;
using System.Net;
using Appraisal.Core.Months;
using Appraisal.Core.Results;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.Policy;
using Appraisal.Web.Policy;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Web.Tests.Results;

/// <summary>/Results/Month: D19 row-level access, sorting, the GM's confirm and reopen rules (D16), and stored = evaluated.</summary>
public sealed class MonthOverviewTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task Hr_sees_all_twelve_rows_of_a_confirmed_month()
    {
        using var hr = await SignIn.AsAsync(app, "hr");
        using var response = await hr.GetAsync($"/Results/Month?month={app.Month(1)}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(12, Html.PersonRows(await response.TextAsync()).Count);
    }

    [Fact]
    public async Task A_supervisor_sees_only_their_team()
    {
        using var sup1 = await SignIn.AsAsync(app, "sup1");
        using var response = await sup1.GetAsync($"/Results/Month?month={app.Month(1)}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var rows = Html.PersonRows(await response.TextAsync());
        Assert.Equal(6, rows.Count);
        var team = await app.DbAsync(db => db.People.Where(p => p.Team != null && p.Team.Name == "客服一组" && p.Role == "Agent").Select(p => p.Id).ToListAsync());
        Assert.Equal(team.Order(), rows.Order());
    }

    [Fact]
    public async Task Agents_are_refused()
    {
        using var agent = await SignIn.AsAsync(app, "agent01");
        using var response = await agent.GetAsync($"/Results/Month?month={app.Month(1)}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Sorting_by_total_descending_orders_the_rows_by_pay()
    {
        using var hr = await SignIn.AsAsync(app, "hr");
        var month = app.Month(1);
        using var response = await hr.GetAsync($"/Results/Month?month={month}&sort=-total", TestContext.Current.CancellationToken);
        var rows = Html.PersonRows(await response.TextAsync());
        var monthId = (await app.MonthRowAsync(month)).Id;
        var totals = await app.DbAsync(db => db.Results.Where(r => r.MonthId == monthId).ToDictionaryAsync(r => r.PersonId, r => r.TotalPay));
        Assert.Equal(rows.Select(id => totals[id]).OrderDescending(), rows.Select(id => totals[id]));
    }

    [Fact]
    public async Task The_general_manager_cannot_confirm_a_month_without_computed_results()
    {
        using var gm = await SignIn.AsAsync(app, "gm");
        var month = app.Month(0);
        var row = await app.MonthRowAsync(month);
        Assert.Null(row.ComputedAt);
        var page = $"/Results/Month?month={month}";
        using var response = await PageForms.PostAsync(gm, page, $"/Results/Month?handler=Confirm&month={month}", new Dictionary<string, string>
        {
            ["monthId"] = row.Id.ToString(CultureInfo.InvariantCulture),
            ["version"] = row.Version.ToString(CultureInfo.InvariantCulture),
            ["confirmed"] = "true",
        });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("请先计算结果", Html.Error(await response.TextAsync()), StringComparison.Ordinal);
        Assert.Equal(MonthStatus.Open, (await app.MonthRowAsync(month)).Status);
    }

    [Fact]
    public async Task Reopening_a_confirmed_month_requires_a_reason()
    {
        using var gm = await SignIn.AsAsync(app, "gm");
        var month = app.Month(2);
        var row = await app.MonthRowAsync(month);
        var page = $"/Results/Month?month={month}";
        using var response = await PageForms.PostAsync(gm, page, $"/Results/Month?handler=Reopen&month={month}", new Dictionary<string, string>
        {
            ["monthId"] = row.Id.ToString(CultureInfo.InvariantCulture),
            ["version"] = row.Version.ToString(CultureInfo.InvariantCulture),
            ["reason"] = "   ",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("重新开启须填写原因", Html.Error(await response.TextAsync()), StringComparison.Ordinal);
        var after = await app.MonthRowAsync(month);
        Assert.Equal(MonthStatus.Confirmed, after.Status);
        Assert.Equal(row.Version, after.Version);
    }

    [Fact]
    public async Task Hr_sees_the_compute_button_only_while_the_month_is_open()
    {
        using var hr = await SignIn.AsAsync(app, "hr");
        var open = await (await hr.GetAsync($"/Results/Month?month={app.Month(0)}", TestContext.Current.CancellationToken)).TextAsync();
        var confirmed = await (await hr.GetAsync($"/Results/Month?month={app.Month(1)}", TestContext.Current.CancellationToken)).TextAsync();
        Assert.Contains("handler=Compute", open, StringComparison.Ordinal);
        Assert.DoesNotContain("handler=Compute", confirmed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stored_results_equal_the_engine_on_the_same_data_and_the_page_shows_them()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<App.Data.AppDbContext>();
        var policies = scope.ServiceProvider.GetRequiredService<PolicyStore>();
        var months = await db.Months.AsNoTracking().Where(m => m.Status == MonthStatus.Confirmed).OrderBy(m => m.Month).ToListAsync(ct);
        Assert.Equal(3, months.Count);
        using var hr = await SignIn.AsAsync(app, "hr");
        foreach (var month in months)
        {
            var ym = YearMonth.Parse(month.Month);
            var policy = await policies.InForceAsync(ym, ct);
            var input = await ComputeResults.BuildInputAsync(db, policy, month.Month, ct);
            var expected = Evaluator.Evaluate(input, policy).Months.Single(m => m.Month == ym).Results;
            var stored = await db.Results.AsNoTracking().Include(r => r.Person).Where(r => r.MonthId == month.Id).ToListAsync(ct);
            Assert.Equal(expected.Length, stored.Count);
            foreach (var e in expected)
            {
                var s = stored.Single(r => r.Person!.EmployeeNo == e.Id);
                Assert.Equal(policy.Version, s.PolicyVersion);
                Assert.Equal(e.Eligible, s.Eligible);
                Assert.Equal(e.SelfTotal, s.SelfTotal);
                Assert.Equal(e.SupervisorTotal, s.SupervisorTotal);
                Assert.Equal(e.Score, s.Score);
                Assert.Equal(e.Grade?.Key, s.GradeKey);
                Assert.Equal(e.PayGrade.Key, s.LevelKey);
                Assert.Equal(e.PositionSalary, s.PositionSalary);
                Assert.Equal(e.CommissionTier.Rate, s.CommissionRate);
                Assert.Equal(e.Commission, s.Commission);
                Assert.Equal(e.Bonus, s.Bonus);
                Assert.Equal(e.OtherPay, s.OtherPay);
                Assert.Equal(e.TotalPay, s.TotalPay);
                Assert.Equal(e.Rank, s.Rank);
                Assert.Equal(e.SalesRank, s.SalesRank);
                Assert.Equal(e.Flags, s.Flags);
            }

            // The page's totals row is the engine's total pay of the month (money in zh-CN, the default culture).
            var html = await (await hr.GetAsync($"/Results/Month?month={month.Month}", ct)).TextAsync();
            var total = expected.Sum(e => e.TotalPay).ToString("N2", CultureInfo.GetCultureInfo("zh-CN"));
            Assert.Contains($"<td class=\"num\">{total}</td>", html, StringComparison.Ordinal);
        }
    }
}
