using System.Globalization;
using System.Net;
using Appraisal.App.Sheets;
using Appraisal.Web.Sheets;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Appraisal.Web.Tests.Consistency.RaceHelpers;

namespace Appraisal.Web.Tests.Consistency;

/// <summary>
/// Nothing is lost (issue 7): a new sheet is created once and the second creator is told; a write without
/// the version read never overwrites; a JSON key given twice is refused; free texts keep the length the page
/// states, through the page and the API alike. Every refusal changes nothing.
/// </summary>
public sealed class LostUpdateTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const int Rounds = 8;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_first_saves_of_a_sheet_through_the_API_create_it_once_and_tell_the_second()
    {
        var month = await app.OpenMonthAsync();
        var id = await app.PersonIdAsync("E002");
        using var tab1 = await app.SignInAsync("agent02");
        using var tab2 = await app.SignInAsync("agent02");
        for (var round = 0; round < Rounds; round++)
        {
            await ForgetSelfSheetAsync(app, month, id);
            var answers = await RaceAsync(
                () => tab1.Client.SendAsync("PUT", $"/api/months/{month}/sheets/{id}/self", SheetBody(submit: false, version: null, comment: "tab 1")),
                () => tab2.Client.SendAsync("PUT", $"/api/months/{month}/sheets/{id}/self", SheetBody(submit: false, version: null, comment: "tab 2")));
            Assert.Equal(1, answers.Count(WonOrConflict));
            var loser = answers.Single(a => a.Status != HttpStatusCode.OK);
            Assert.Contains("已被他人修改", loser.Body.GetProperty("zh").GetString(), StringComparison.Ordinal);

            // The stored sheet is the winner's, whole.
            var winner = answers[0].Status == HttpStatusCode.OK ? "tab 1" : "tab 2";
            var sheet = await app.DbAsync(db => db.Sheets.AsNoTracking().SingleAsync(s => s.PersonId == id && s.Kind == SheetKind.Self && s.Month!.Month == month, Ct));
            Assert.Equal(winner, sheet.Comment);
        }
    }

    [Fact]
    public async Task Two_first_saves_of_a_sheet_through_the_page_create_it_once_and_tell_the_second()
    {
        var month = await app.OpenMonthAsync();
        var id = await app.PersonIdAsync("E003");
        var url = $"/Sheets/Edit?month={month}&person={id.ToString(CultureInfo.InvariantCulture)}&kind=Self";
        using var tab1 = await app.SignInAsync("agent03");
        using var tab2 = await app.SignInAsync("agent03");
        for (var round = 0; round < Rounds; round++)
        {
            await ForgetSelfSheetAsync(app, month, id);
            await tab1.PageAsync(url);
            await tab2.PageAsync(url);
            var answers = await RaceAsync(
                () => tab1.PostAsync(url, PageForms.Sheet("save").Append(new("Comment", "tab 1"))),
                () => tab2.PostAsync(url, PageForms.Sheet("save").Append(new("Comment", "tab 2"))));
            try
            {
                Assert.Equal(1, answers.Count(a => a.StatusCode == HttpStatusCode.Redirect));
                var loser = answers.Single(a => a.StatusCode != HttpStatusCode.Redirect);
                Assert.Equal(HttpStatusCode.Conflict, loser.StatusCode);
                Assert.Contains("已被他人修改", Html.Error(await loser.TextAsync()), StringComparison.Ordinal);
                var winner = answers[0].StatusCode == HttpStatusCode.Redirect ? "tab 1" : "tab 2";
                var sheet = await app.DbAsync(db => db.Sheets.AsNoTracking().SingleAsync(s => s.PersonId == id && s.Kind == SheetKind.Self && s.Month!.Month == month, Ct));
                Assert.Equal(winner, sheet.Comment);
            }
            finally
            {
                foreach (var a in answers)
                {
                    a.Dispose();
                }
            }
        }
    }

    [Fact]
    public async Task An_API_save_without_the_version_does_not_overwrite_an_existing_draft()
    {
        var month = await app.OpenMonthAsync();
        var id = await app.PersonIdAsync("E004");
        using var agent = await app.SignInAsync("agent04");
        await ForgetSelfSheetAsync(app, month, id);
        var first = (await agent.Client.SendAsync("PUT", $"/api/months/{month}/sheets/{id}/self", SheetBody(submit: false, version: null, comment: "草稿"))).AssertOk();

        var again = await agent.Client.SendAsync("PUT", $"/api/months/{month}/sheets/{id}/self", SheetBody(submit: true, version: null, comment: "覆盖"));
        AssertConflict(again);
        var stale = await agent.Client.SendAsync("PUT", $"/api/months/{month}/sheets/{id}/self", SheetBody(submit: false, version: first.GetProperty("version").GetInt32() + 1, comment: "覆盖"));
        AssertConflict(stale);

        var sheet = await app.DbAsync(db => db.Sheets.AsNoTracking().SingleAsync(s => s.PersonId == id && s.Kind == SheetKind.Self && s.Month!.Month == month, Ct));
        Assert.Equal("草稿", sheet.Comment);
        Assert.Null(sheet.SubmittedAt);

        // With the version it read, the same save goes through.
        (await agent.Client.SendAsync("PUT", $"/api/months/{month}/sheets/{id}/self", SheetBody(submit: false, version: first.GetProperty("version").GetInt32(), comment: "改过"))).AssertOk();
    }

    [Theory]
    [InlineData("""{"items":[],"comment":"a","comment":"b","submit":false,"version":null}""", "comment")]
    [InlineData("""{"items":[],"comment":"a","submit":false,"submit":true,"version":null}""", "submit")]
    [InlineData("""{"items":[{"itemKey":"performance","levelIndex":1,"levelIndex":0,"score":30}],"submit":false,"version":null}""", "items[0].levelIndex")]
    public async Task A_JSON_key_given_twice_is_refused_naming_it(string json, string where)
    {
        var month = await app.OpenMonthAsync();
        var id = await app.PersonIdAsync("E005");
        using var agent = await app.SignInAsync("agent05");
        await ForgetSelfSheetAsync(app, month, id);
        var answer = await agent.Client.SendJsonTextAsync("PUT", $"/api/months/{month}/sheets/{id}/self", json);
        answer.AssertProblem(HttpStatusCode.BadRequest);
        var error = Assert.Single(answer.Body.GetProperty("errors").EnumerateArray());
        Assert.Equal(where, error.GetProperty("where").GetString(), StringComparer.OrdinalIgnoreCase);
        Assert.Contains("重复", error.GetProperty("zh").GetString(), StringComparison.Ordinal);
        Assert.False(await app.DbAsync(db => db.Sheets.AnyAsync(s => s.PersonId == id && s.Kind == SheetKind.Self && s.Month!.Month == month, Ct)));
    }

    [Fact]
    public async Task A_facts_row_with_a_key_given_twice_is_refused_and_changes_nothing()
    {
        var month = await app.OpenMonthAsync();
        var id = await app.PersonIdAsync("E006");
        using var hr = await app.SignInAsync("hr");
        var before = await app.DbAsync(db => db.Facts.AsNoTracking().SingleAsync(f => f.PersonId == id && f.Month!.Month == month, Ct));
        var json = string.Create(CultureInfo.InvariantCulture,
            $$"""{"rows":[{"personId":{{id}},"salesPlan":1,"salesActual":2,"salesActual":999999,"absentDays":0,"version":{{before.Version}}}]}""");
        var answer = await hr.Client.SendJsonTextAsync("PUT", $"/api/months/{month}/facts", json);
        answer.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal("rows[0].salesActual", Assert.Single(answer.Body.GetProperty("errors").EnumerateArray()).GetProperty("where").GetString(), StringComparer.OrdinalIgnoreCase);
        var after = await app.DbAsync(db => db.Facts.AsNoTracking().SingleAsync(f => f.PersonId == id && f.Month!.Month == month, Ct));
        Assert.Equal((before.SalesActual, before.Version), (after.SalesActual, after.Version));
    }

    [Theory]
    [InlineData(1001, null)]
    [InlineData(3 * 1024 * 1024, null)]
    [InlineData(null, 501)]
    public async Task Sheet_texts_longer_than_the_page_states_are_refused_by_the_API(int? comment, int? itemComment)
    {
        var month = await app.OpenMonthAsync();
        var id = await app.PersonIdAsync("E007");
        using var agent = await app.SignInAsync("agent07");
        await ForgetSelfSheetAsync(app, month, id);
        var answer = await agent.Client.SendAsync("PUT", $"/api/months/{month}/sheets/{id}/self",
            SheetBody(submit: false, version: null, comment: comment is { } c ? new string('长', c) : null, itemComment: itemComment is { } i ? new string('长', i) : null));
        answer.AssertProblem(HttpStatusCode.BadRequest);
        var zh = answer.Body.GetProperty("zh").GetString()!;
        Assert.Contains(comment is null ? "最多 500 字" : "评语最多 1000 字", zh, StringComparison.Ordinal);
        Assert.Contains("at most", answer.Body.GetProperty("en").GetString(), StringComparison.Ordinal);
        Assert.False(await app.DbAsync(db => db.Sheets.AnyAsync(s => s.PersonId == id && s.Kind == SheetKind.Self && s.Month!.Month == month, Ct)));
    }

    [Fact]
    public async Task A_sheet_comment_longer_than_the_page_states_is_refused_by_the_page()
    {
        var month = await app.OpenMonthAsync();
        var id = await app.PersonIdAsync("E008");
        var url = $"/Sheets/Edit?month={month}&person={id.ToString(CultureInfo.InvariantCulture)}&kind=Self";
        using var agent = await app.SignInAsync("agent08");
        await ForgetSelfSheetAsync(app, month, id);
        var page = await agent.PageAsync(url);
        Assert.Contains($"maxlength=\"{SaveSheet.MaxCommentLength}\"", page, StringComparison.Ordinal);
        using var answer = await agent.PostAsync(url, PageForms.Sheet("save").Append(new("Comment", new string('长', SaveSheet.MaxCommentLength + 1))));
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("评语最多 1000 字", Html.Error(await answer.TextAsync()), StringComparison.Ordinal);
        Assert.False(await app.DbAsync(db => db.Sheets.AnyAsync(s => s.PersonId == id && s.Kind == SheetKind.Self && s.Month!.Month == month, Ct)));
    }

    [Fact]
    public async Task Feedback_notes_longer_than_the_page_states_are_refused_by_the_API()
    {
        var month = await app.OpenMonthAsync();
        var id = await app.PersonIdAsync("E009");
        using var sup2 = await app.SignInAsync("sup2");
        var before = await app.DbAsync(db => db.FeedbackTalks.AsNoTracking().SingleOrDefaultAsync(t => t.PersonId == id && db.Months.Any(m => m.Id == t.MonthId && m.Month == month), Ct));
        var answer = await sup2.Client.SendAsync("PUT", $"/api/months/{month}/talks/{id}",
            new { date = app.Today, notes = new string('长', RecordFeedbackTalk.MaxNotesLength + 1), version = before?.Version });
        answer.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains($"最多 {RecordFeedbackTalk.MaxNotesLength} 字", answer.Body.GetProperty("zh").GetString(), StringComparison.Ordinal);
        var after = await app.DbAsync(db => db.FeedbackTalks.AsNoTracking().SingleOrDefaultAsync(t => t.PersonId == id && db.Months.Any(m => m.Id == t.MonthId && m.Month == month), Ct));
        Assert.Equal(before?.Notes, after?.Notes);
    }
}
