using System.Net;
using Appraisal.App.Sheets;
using Appraisal.Web.Sheets;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Sheets;

/// <summary>agent01 fills in the self-assessment of the open month through the page (D2, D3, D16).</summary>
public sealed class SelfSheetTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task AgentSubmitsOwnSelfSheetAfterABadScoreIsRefused()
    {
        var month = await app.OpenMonthAsync();
        var me = await app.PersonIdAsync("E001");
        using var agent = await app.SignInAsync("agent01");
        var url = $"/Sheets/Edit?month={month}&person={me}&kind=Self";
        var page = await agent.PageAsync(url);
        Assert.Contains("行为考核", page);
        Assert.Contains("岗位职责考核", page);
        Assert.Contains("name=\"Mode\" value=\"submit\"", page);

        // 纪律性's first level holds only 5 (D2): 4 under it is refused, whole sheet unsaved.
        using (var bad = await agent.PostAsync(url, PageForms.Sheet("submit", i => i.Key == "discipline" ? (0, "4") : null)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            var html = await bad.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            Assert.Contains("纪律性", Html.Error(html));
            Assert.Contains("5–5", Html.Error(html));
        }

        // A fraction is not a whole point (D3).
        using (var fraction = await agent.PostAsync(url, PageForms.Sheet("save", i => i.Key == "performance" ? (2, "30.5") : null)))
        {
            Assert.Equal(HttpStatusCode.BadRequest, fraction.StatusCode);
            Assert.Contains("整数", Html.Error(await fraction.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        }

        Assert.Null(await SheetAsync(month, me));

        // A partial draft is fine; submitting it needs every item.
        using (var draft = await agent.PostAsync(url, PageForms.Sheet("save").Where(f => !f.Key.StartsWith("Items[7]", StringComparison.Ordinal))))
        {
            Assert.Contains("草稿已保存", Html.Notice(await agent.FollowAsync(draft)));
        }

        var saved = await SheetAsync(month, me);
        Assert.NotNull(saved);
        Assert.Null(saved.SubmittedAt);
        Assert.Equal(7, saved.Items.Count);

        using (var incomplete = await agent.PostAsync(url, PageForms.Sheet("submit").Where(f => !f.Key.StartsWith("Items[7]", StringComparison.Ordinal))
                   .Append(new("Version", saved.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)))))
        {
            Assert.Equal(HttpStatusCode.BadRequest, incomplete.StatusCode);
            Assert.Contains("尚未评分", Html.Error(await incomplete.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)));
        }

        using (var submit = await agent.PostAsync(url, PageForms.Sheet("submit").Append(new("Version", saved.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)))))
        {
            var after = await agent.FollowAsync(submit);
            Assert.Contains("已提交", Html.Notice(after));

            // Read-only from now on: no buttons, no inputs.
            Assert.DoesNotContain("name=\"Mode\"", after);
            Assert.DoesNotContain("type=\"radio\"", after);
        }

        var submitted = await SheetAsync(month, me);
        Assert.NotNull(submitted?.SubmittedAt);
        Assert.Equal(PageForms.DefaultSheetTotal, submitted.Items.Sum(i => i.Score));

        // Locked after submission, even when posted directly.
        using var again = await agent.PostAsync(url, PageForms.Sheet("submit"));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(PageForms.DefaultSheetTotal, (await SheetAsync(month, me))!.Items.Sum(i => i.Score));
    }

    [Fact]
    public async Task SheetShowsTheMonthsFactsAndLastMonthsScoresBesideTheItems()
    {
        var month = await app.OpenMonthAsync();
        var other = await app.PersonIdAsync("E002");
        using var supervisor = await app.SignInAsync("sup1");
        var page = await supervisor.PageAsync($"/Sheets/Edit?month={month}&person={other}&kind=Supervisor");

        // D20 and D16: evidence and the self-assessment beside the supervisor's items.
        Assert.Contains("本月销售计划", page);
        Assert.Contains("达成率", page);
        Assert.Contains("本月缺岗", page);
        Assert.Contains("主管评分 <strong>", page);
        Assert.True(page.Contains("员工自评：", StringComparison.Ordinal) || page.Contains("员工未提交自评", StringComparison.Ordinal));
    }

    private Task<Sheet?> SheetAsync(string month, int personId) => app.DbAsync(db => db.Sheets.Include(s => s.Items)
        .Where(s => s.Month!.Month == month && s.PersonId == personId && s.Kind == SheetKind.Self)
        .FirstOrDefaultAsync(TestContext.Current.CancellationToken));
}
