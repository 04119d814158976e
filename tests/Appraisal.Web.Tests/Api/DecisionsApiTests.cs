using System.Net;
using Appraisal.Core.Results;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Api;

/// <summary>/api/appeals and /api/reviews: HR's and the general manager's decisions (D13, D16).</summary>
public sealed class DecisionsApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task HR_lists_and_decides_an_appeal_and_agents_may_not()
    {
        var demo = await Demo.LoadAsync(app);
        await app.ConfirmedAnHourAgoAsync(demo.Previous.ToString());
        using var agent = await SignIn.AsAsync(app, "agent02");
        var filed = (await agent.SendAsync("POST", $"/api/months/{demo.Previous}/results/{demo.Id("E002")}/appeals", new { reason = "绩效评分有误" }))
            .AssertOk(HttpStatusCode.Created);
        var id = filed.GetProperty("id").GetInt32();

        (await agent.SendAsync("GET", "/api/appeals")).AssertProblem(HttpStatusCode.Forbidden);
        (await agent.SendAsync("POST", $"/api/appeals/{id}/decision", new { upheld = false, note = "x", version = 0 })).AssertProblem(HttpStatusCode.Forbidden);

        using var hr = await SignIn.AsAsync(app, "hr");
        var listed = (await hr.SendAsync("GET", "/api/appeals")).AssertOk().EnumerateArray().First(a => a.GetProperty("id").GetInt32() == id);
        Assert.Equal("E002", listed.GetProperty("employeeNo").GetString());
        var version = listed.GetProperty("version").GetInt32();

        (await hr.SendAsync("POST", $"/api/appeals/{id}/decision", new { upheld = false, note = " ", version })).AssertProblem(HttpStatusCode.BadRequest);
        (await hr.SendAsync("POST", $"/api/appeals/{id}/decision", new { upheld = false, note = "x", version = version + 7 })).AssertProblem(HttpStatusCode.Conflict);
        var decided = (await hr.SendAsync("POST", $"/api/appeals/{id}/decision", new { upheld = false, note = "评分依据充分，驳回", version })).AssertOk();
        Assert.Equal("rejected", decided.GetProperty("status").GetString());
        Assert.Equal("hr", decided.GetProperty("decidedBy").GetString());
    }

    [Fact]
    public async Task HR_decides_a_review_and_records_its_steps_in_order()
    {
        var demo = await Demo.LoadAsync(app);
        var reviewId = await app.DbAsync(async db =>
        {
            var month = await db.Months.FirstAsync(m => m.Month == demo.Previous.ToString());
            var review = new FlagReview { MonthId = month.Id, PersonId = demo.Id("E012"), Flag = ResultFlagNames.LastInScoreAndSales };
            db.FlagReviews.Add(review);
            await db.SaveChangesAsync();
            return review.Id;
        });

        using var agent = await SignIn.AsAsync(app, "agent12");
        (await agent.SendAsync("GET", "/api/reviews")).AssertProblem(HttpStatusCode.Forbidden);
        using var gm = await SignIn.AsAsync(app, "gm");
        var listed = (await gm.SendAsync("GET", $"/api/reviews?month={demo.Previous}")).AssertOk().EnumerateArray().First(r => r.GetProperty("id").GetInt32() == reviewId);
        Assert.Equal("E012", listed.GetProperty("employeeNo").GetString());
        var version = listed.GetProperty("version").GetInt32();
        (await gm.SendAsync("POST", $"/api/reviews/{reviewId}/decision", new { decision = "培训", version })).AssertProblem(HttpStatusCode.Forbidden);

        using var hr = await SignIn.AsAsync(app, "hr");
        (await hr.SendAsync("POST", $"/api/reviews/{reviewId}/decision", new { decision = "", version })).AssertProblem(HttpStatusCode.BadRequest);
        var decided = (await hr.SendAsync("POST", $"/api/reviews/{reviewId}/decision", new { decision = "安排培训后重新考核", version })).AssertOk();
        version = decided.GetProperty("version").GetInt32();

        // D13: a re-appraisal only after training or a job change.
        (await hr.SendAsync("POST", $"/api/reviews/{reviewId}/steps", new { kind = "reappraisal", date = app.Today, version })).AssertProblem(HttpStatusCode.BadRequest);
        (await hr.SendAsync("POST", $"/api/reviews/{reviewId}/steps", new { kind = "other", date = app.Today, version })).AssertProblem(HttpStatusCode.BadRequest);
        var stepped = (await hr.SendAsync("POST", $"/api/reviews/{reviewId}/steps", new { kind = "training", date = app.Today, note = "产品培训", version })).AssertOk();
        Assert.Equal("training", Assert.Single(stepped.GetProperty("steps").EnumerateArray()).GetProperty("kind").GetString());
    }
}
