using System.Globalization;
using Appraisal.App.Sheets;
using Appraisal.Web.Sheets;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Months;

/// <summary>
/// The open month of the demo from agent01's self-assessment to computed results, every step through
/// the pages as the people of D16 would take it.
/// </summary>
public sealed class MonthFlowTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task OpenMonthGoesFromSheetsToComputedResultsForAllTwelveAgents()
    {
        var month = await app.OpenMonthAsync();
        var agent01 = await app.PersonIdAsync("E001");
        var id = agent01.ToString(CultureInfo.InvariantCulture);

        // 1. agent01 submits the self-assessment.
        using (var agent = await app.SignInAsync("agent01"))
        {
            using var submit = await agent.PostAsync($"/Sheets/Edit?month={month}&person={id}&kind=Self", PageForms.Sheet("submit"));
            Assert.Contains("已提交", Html.Notice(await agent.FollowAsync(submit)));
        }

        // 2. sup1 sees it beside the items, assesses, and records the feedback talk (第七条).
        using (var sup1 = await app.SignInAsync("sup1"))
        {
            var team = await sup1.PageAsync($"/Months/Team?month={month}");
            Assert.Contains("张伟", team);

            var url = $"/Sheets/Edit?month={month}&person={id}&kind=Supervisor";
            var sheet = await sup1.PageAsync(url);
            Assert.Contains("员工自评：", sheet);
            Assert.Contains("name=\"Mode\" value=\"submit\"", sheet);
            using (var submit = await sup1.PostAsync(url, PageForms.Sheet("submit", i => i.Key == "performance" ? (2, "30") : null)))
            {
                Assert.Contains("已提交", Html.Notice(await sup1.FollowAsync(submit)));
            }

            using var talk = await sup1.PostAsync($"/Months/Team?month={month}&handler=Talk",
                ("TalkPersonId", id), ("TalkDate", app.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("TalkNotes", "肯定了投诉处理，约定下月提高连带销售。"), ("TalkVersion", string.Empty));
            var after = await sup1.FollowAsync(talk);
            Assert.Contains("绩效面谈", Html.Notice(after));
            Assert.Contains("肯定了投诉处理", after);
        }

        var stored = await app.DbAsync(db => db.Sheets.Include(s => s.Items)
            .SingleAsync(s => s.PersonId == agent01 && s.Month!.Month == month && s.Kind == SheetKind.Supervisor, Ct));
        Assert.NotNull(stored.SubmittedAt);
        Assert.Equal("sup1", stored.SubmittedBy);
        Assert.True(await app.DbAsync(db => db.FeedbackTalks.AnyAsync(t => t.PersonId == agent01 && t.By == "sup1" && db.Months.Any(m => m.Id == t.MonthId && m.Month == month), Ct)));
        Assert.True(await app.DbAsync(db => db.Audit.AnyAsync(a => a.Action == "feedback.record" && a.PersonId == agent01, Ct)));

        // 3. HR enters agent01's facts (the other rows are untouched) and computes.
        using var hr = await app.SignInAsync("hr");
        var facts = await hr.PageAsync($"/Months/Facts?month={month}");
        Assert.Contains("E001", facts);
        using (var save = await hr.PostAsync($"/Months/Facts?month={month}&handler=Save", PageForms.FactsRow(0, agent01, "80000", "91234.50", "1", null)))
        {
            Assert.Contains("已保存 1 人的数据", Html.Notice(await hr.FollowAsync(save)));
        }

        using (var compute = await hr.PostAsync($"/Months/Facts?month={month}&handler=Compute"))
        {
            var page = await hr.FollowAsync(compute);
            Assert.Contains("已计算 12 名员工的结果", Html.Notice(page));
            Assert.Contains($"/Results/Month?month={month}", page);
        }

        var results = await app.DbAsync(db => db.Results.Where(r => db.Months.Any(m => m.Id == r.MonthId && m.Month == month)).ToListAsync(Ct));
        Assert.Equal(12, results.Count);
        var mine = Assert.Single(results, r => r.PersonId == agent01);
        Assert.Equal(PageForms.DefaultSheetTotal, mine.SelfTotal);
        Assert.Equal(91234.50m, mine.SalesActual);
        Assert.NotNull(await app.DbAsync(db => db.Months.Where(m => m.Month == month).Select(m => m.ComputedAt).SingleAsync(Ct)));
    }

    [Fact]
    public async Task FeedbackTalkIsCheckedAndVersioned()
    {
        // agent02 and agent03 already have the demo's talk for the open month (Version 0); the flow test uses agent01.
        var month = await app.OpenMonthAsync();
        var agent02 = await app.PersonIdAsync("E002");
        var before = await TalkAsync(agent02, month);
        using var sup1 = await app.SignInAsync("sup1");
        var url = $"/Months/Team?month={month}&handler=Talk";
        var id = agent02.ToString(CultureInfo.InvariantCulture);
        var version = before.Version.ToString(CultureInfo.InvariantCulture);

        using (var future = await sup1.PostAsync(url, ("TalkPersonId", id), ("TalkDate", app.Today.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("TalkNotes", "明天再谈"), ("TalkVersion", version)))
        {
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, future.StatusCode);
            Assert.Contains("不能晚于今天", Html.Error(await future.Content.ReadAsStringAsync(Ct)));
        }

        using (var empty = await sup1.PostAsync(url, ("TalkPersonId", id), ("TalkDate", app.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), ("TalkNotes", "  "), ("TalkVersion", version)))
        {
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, empty.StatusCode);
            Assert.Contains("面谈要点", Html.Error(await empty.Content.ReadAsStringAsync(Ct)));
        }

        Assert.Equal(before.Notes, (await TalkAsync(agent02, month)).Notes);

        var today = app.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using (var ok = await sup1.PostAsync(url, ("TalkPersonId", id), ("TalkDate", today), ("TalkNotes", "补充：下月重点提升投诉处理时效。"), ("TalkVersion", version)))
        {
            Assert.Contains("王芳", Html.Notice(await sup1.FollowAsync(ok)));
        }

        var after = await TalkAsync(agent02, month);
        Assert.Equal(before.Version + 1, after.Version);
        Assert.Equal(app.Today, after.Date);

        // The same form again, with the version it was loaded with: refused, nothing overwritten.
        using var stale = await sup1.PostAsync(url, ("TalkPersonId", id), ("TalkDate", today), ("TalkNotes", "旧页面"), ("TalkVersion", version));
        Assert.Equal(System.Net.HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("补充：下月重点提升投诉处理时效。", (await TalkAsync(agent02, month)).Notes);
    }

    private Task<FeedbackTalk> TalkAsync(int personId, string month) => app.DbAsync(db => db.FeedbackTalks.AsNoTracking()
        .SingleAsync(t => t.PersonId == personId && db.Months.Any(m => m.Id == t.MonthId && m.Month == month), Ct));
}
