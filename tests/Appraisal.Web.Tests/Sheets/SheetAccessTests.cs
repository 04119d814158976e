using System.Net;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Sheets;

/// <summary>D19 on the sheet and team pages: refused with 403, and nothing of the person is shown.</summary>
public sealed class SheetAccessTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Theory]
    [InlineData("sup2", "Self")]
    [InlineData("sup2", "Supervisor")]
    [InlineData("agent02", "Self")]
    [InlineData("agent02", "Supervisor")]
    [InlineData("agent01", "Supervisor")] // the agent's own supervisor sheet, before the month is confirmed
    [InlineData("admin", "Self")]
    public async Task OthersAreRefusedAgent01sSheet(string user, string kind)
    {
        var month = await app.OpenMonthAsync();
        var agent01 = await app.PersonIdAsync("E001");
        using var browser = await app.SignInAsync(user);
        var url = $"/Sheets/Edit?month={month}&person={agent01}&kind={kind}";

        using var get = await browser.GetAsync(url);
        Assert.True(await browser.IsForbiddenAsync(get), $"GET as {user}: {(int)get.StatusCode}");
        Assert.DoesNotContain("张伟", await get.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));

        using var post = await browser.PostAsync(url, PageForms.Sheet("save"));
        Assert.True(await browser.IsForbiddenAsync(post), $"POST as {user}: {(int)post.StatusCode}");
    }

    [Theory]
    [InlineData("sup1")]
    [InlineData("hr")]
    [InlineData("gm")]
    public async Task SupervisorHrAndGeneralManagerMayReadButNotWriteTheSelfSheet(string user)
    {
        var month = await app.OpenMonthAsync();
        var agent02 = await app.PersonIdAsync("E002");
        using var browser = await app.SignInAsync(user);
        var url = $"/Sheets/Edit?month={month}&person={agent02}&kind=Self";

        var page = await browser.PageAsync(url);
        Assert.Contains("王芳", page);
        Assert.DoesNotContain("name=\"Mode\"", page);

        using var post = await browser.PostAsync(url, PageForms.Sheet("save"));
        Assert.True(await browser.IsForbiddenAsync(post));
    }

    [Fact]
    public async Task AgentReadsOwnSupervisorSheetOnceTheMonthIsConfirmed()
    {
        var confirmed = await app.DbAsync(db => db.Months.Where(m => m.Status == App.Months.MonthStatus.Confirmed)
            .OrderByDescending(m => m.Month).Select(m => m.Month).FirstAsync(TestContext.Current.CancellationToken));
        var agent01 = await app.PersonIdAsync("E001");
        var agent02 = await app.PersonIdAsync("E002");
        using var agent = await app.SignInAsync("agent01");

        var page = await agent.PageAsync($"/Sheets/Edit?month={confirmed}&person={agent01}&kind=Supervisor");
        Assert.Contains("部门主管评分", page);
        Assert.DoesNotContain("name=\"Mode\"", page);

        using var other = await agent.GetAsync($"/Sheets/Edit?month={confirmed}&person={agent02}&kind=Supervisor");
        Assert.True(await agent.IsForbiddenAsync(other));
    }

    [Fact]
    public async Task UnknownKindOrMonthIsNotFound()
    {
        var month = await app.OpenMonthAsync();
        var agent01 = await app.PersonIdAsync("E001");
        using var browser = await app.SignInAsync("agent01");
        using var kind = await browser.GetAsync($"/Sheets/Edit?month={month}&person={agent01}&kind=1");
        Assert.Equal(HttpStatusCode.NotFound, kind.StatusCode);
        using var missing = await browser.GetAsync($"/Sheets/Edit?month=1999-01&person={agent01}&kind=Self");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task TeamPageShowsOnlyTheSupervisorsOwnTeam()
    {
        var month = await app.OpenMonthAsync();
        using var sup2 = await app.SignInAsync("sup2");
        var page = await sup2.PageAsync($"/Months/Team?month={month}");
        Assert.Contains("赵敏", page); // agent07
        Assert.DoesNotContain("张伟", page); // agent01, sup1's team

        using var agent = await app.SignInAsync("agent01");
        using var refused = await agent.GetAsync($"/Months/Team?month={month}");
        Assert.True(await agent.IsForbiddenAsync(refused));
    }

    [Fact]
    public async Task OnlyTheTeamsSupervisorRecordsAFeedbackTalk()
    {
        var month = await app.OpenMonthAsync();
        var agent01 = await app.PersonIdAsync("E001");
        var today = app.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var user in new[] { "sup2", "hr", "agent01" })
        {
            using var browser = await app.SignInAsync(user);
            using var post = await browser.PostAsync($"/Months/Team?month={month}&handler=Talk",
                ("TalkPersonId", agent01.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("TalkDate", today), ("TalkNotes", "越权"), ("TalkVersion", string.Empty));
            Assert.True(await browser.IsForbiddenAsync(post), user);
        }

        Assert.False(await app.DbAsync(db => db.FeedbackTalks.AnyAsync(
            t => t.PersonId == agent01 && db.Months.Any(m => m.Id == t.MonthId && m.Month == month), TestContext.Current.CancellationToken)));
    }

    /// <summary>D22: a supervisor is in his own team, but nobody assesses himself, by the page or by the API.</summary>
    [Theory]
    [InlineData("sup1", "S001", "supervisor")]
    [InlineData("sup1", "S001", "self")]
    [InlineData("sup2", "S002", "supervisor")]
    public async Task NobodySubmitsASheetOfTheirOwnAsAssessor(string user, string employeeNo, string kind)
    {
        var month = await app.OpenMonthAsync();
        var self = await app.PersonIdAsync(employeeNo);
        using var client = await SignIn.AsAsync(app, user);
        var items = Appraisal.Core.Policy.DefaultPolicy.Instance.Items.Select(i => new { itemKey = i.Key, levelIndex = 0, score = i.Levels[0].Min, comment = (string?)null });

        var answer = await client.SendAsync("PUT", $"/api/months/{month}/sheets/{self}/{kind}", new { items, comment = "自己给自己打分", submit = true, version = (int?)null });

        Assert.True(answer.Status is HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"{user} PUT own {kind} sheet: {answer.Status} {answer.Body}");
        answer.AssertProblem(answer.Status);
        Assert.False(await app.DbAsync(db => db.Sheets.AnyAsync(s => s.PersonId == self, TestContext.Current.CancellationToken)));
    }
}
