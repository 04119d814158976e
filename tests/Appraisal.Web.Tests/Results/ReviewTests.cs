using Appraisal.Core.Results;
using System.Globalization;
using System.Net;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Results;

/// <summary>/Results/Reviews (D13): HR records the decision and the Art. 40(2) steps; nobody is ever marked resigned.</summary>
public sealed class ReviewTests(AppFactory app) : IClassFixture<AppFactory>
{
    /// <summary>A review of the demo data (its agents fail two months running), or one made for the test.</summary>
    private async Task<FlagReview> ReviewAsync(string flag)
    {
        var existing = await app.DbAsync(db => db.FlagReviews.AsNoTracking().Where(r => r.Flag == flag).OrderBy(r => r.Id).FirstOrDefaultAsync());
        if (existing is not null)
        {
            return existing;
        }

        var month = await app.MonthRowAsync(app.Month(1));
        var person = await app.PersonIdAsync("E012");
        return await app.DbAsync(async db =>
        {
            var review = new FlagReview { MonthId = month.Id, PersonId = person, Flag = flag };
            db.FlagReviews.Add(review);
            await db.SaveChangesAsync();
            return review;
        });
    }

    private static Dictionary<string, string> Fields(FlagReview review, params (string Key, string Value)[] more)
    {
        var fields = new Dictionary<string, string>
        {
            ["reviewId"] = review.Id.ToString(CultureInfo.InvariantCulture),
            ["version"] = review.Version.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in more)
        {
            fields[key] = value;
        }

        return fields;
    }

    private Task<FlagReview> ReloadAsync(int id) =>
        app.DbAsync(db => db.FlagReviews.AsNoTracking().Include(r => r.Steps).SingleAsync(r => r.Id == id));

    [Fact]
    public async Task The_queue_shows_the_evidence_and_why_nobody_is_marked_resigned()
    {
        var review = await ReviewAsync(ResultFlagNames.ConsecutiveFail);
        using var gm = await SignIn.AsAsync(app, "gm");
        using var response = await gm.GetAsync("/Results/Reviews", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.TextAsync();
        Assert.Contains($"id=\"review-{review.Id}\"", html, StringComparison.Ordinal);
        Assert.Contains("需人事复核", html, StringComparison.Ordinal);
        Assert.Contains("第四十条第二项", html, StringComparison.Ordinal);
        Assert.Contains("指导案例 18 号", html, StringComparison.Ordinal);

        // The general manager reads only.
        Assert.DoesNotContain("handler=Decide", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hr_records_the_decision_and_the_steps_in_the_order_of_Art_40_2()
    {
        var review = await ReviewAsync(ResultFlagNames.ConsecutiveFail);
        using var hr = await SignIn.AsAsync(app, "hr");
        const string Page = "/Results/Reviews";

        using var decided = await PageForms.PostAsync(hr, Page, "/Results/Reviews?handler=Decide", Fields(review, ("decision", "安排产品知识培训两周，之后重新考核")));
        Assert.Equal(HttpStatusCode.Redirect, decided.StatusCode);
        review = await ReloadAsync(review.Id);
        Assert.Equal("安排产品知识培训两周，之后重新考核", review.Decision);

        // Written notice before training and re-appraisal is refused and changes nothing.
        using var early = await PageForms.PostAsync(hr, Page, "/Results/Reviews?handler=Step", Fields(review, ("kind", "notice"), ("date", "2026-12-01")));
        Assert.Equal(HttpStatusCode.BadRequest, early.StatusCode);
        Assert.Contains("第四十条第二项", Html.Error(await early.TextAsync()), StringComparison.Ordinal);
        Assert.Empty((await ReloadAsync(review.Id)).Steps);

        foreach (var (kind, date) in new[] { ("training", "2026-12-01"), ("reappraisal", "2026-12-20"), ("notice", "2026-12-28") })
        {
            using var step = await PageForms.PostAsync(hr, Page, "/Results/Reviews?handler=Step", Fields(review, ("kind", kind), ("date", date), ("note", kind)));
            Assert.Equal(HttpStatusCode.Redirect, step.StatusCode);
            review = await ReloadAsync(review.Id);
        }

        var month = (await app.DbAsync(db => db.Months.SingleAsync(m => m.Id == review.MonthId))).Month;
        Assert.Equal(["training", "reappraisal", "notice"], review.Steps.OrderBy(s => s.Date).Select(s => s.Kind));
        Assert.Equal(4, await app.DbAsync(db => db.Audit.CountAsync(a => (a.Action == "review.decide" || a.Action == "review.step") && a.PersonId == review.PersonId
            && a.Month == month && a.Detail!.StartsWith(ResultFlagNames.ConsecutiveFail))));
    }

    [Fact]
    public async Task A_stale_version_is_a_conflict()
    {
        var review = await ReviewAsync(ResultFlagNames.LastInScoreAndSales);
        using var hr = await SignIn.AsAsync(app, "hr");
        using var first = await PageForms.PostAsync(hr, "/Results/Reviews", "/Results/Reviews?handler=Decide", Fields(review, ("decision", "先与员工面谈")));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        using var stale = await PageForms.PostAsync(hr, "/Results/Reviews", "/Results/Reviews?handler=Decide", Fields(review, ("decision", "覆盖")));
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("先与员工面谈", (await ReloadAsync(review.Id)).Decision);
    }

    [Fact]
    public async Task Only_hr_changes_a_review()
    {
        var review = await ReviewAsync(ResultFlagNames.ConsecutiveFail);
        using var gm = await SignIn.AsAsync(app, "gm");
        using var response = await PageForms.PostAsync(gm, "/Results/Reviews", "/Results/Reviews?handler=Decide", Fields(review, ("decision", "总经理决定")));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
