using System.Globalization;
using System.Net;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Appraisal.App.Sheets;
using Appraisal.Web.Sheets;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Results;

/// <summary>/Results/Appeals (D16): an upheld appeal reopens that one sheet and the month; a rejected one records the note.</summary>
public sealed class AppealDecisionTests(AppFactory app) : IClassFixture<AppFactory>
{
    private async Task<Appeal> FileAsync(string user, string employeeNo, string month)
    {
        var person = await app.PersonIdAsync(employeeNo);
        await app.ConfirmedAnHourAgoAsync(month);
        var row = await app.MonthRowAsync(month);
        using var agent = await SignIn.AsAsync(app, user);
        using var response = await PageForms.PostAsync(agent, $"/Pay/Payslip?month={month}&person={person}",
            $"/Pay/Payslip?handler=Appeal&month={month}&person={person}", new Dictionary<string, string>
            {
                ["monthId"] = row.Id.ToString(CultureInfo.InvariantCulture),
                ["reason"] = "主管评分时漏看了我的客户表扬记录",
            });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return await app.DbAsync(db => db.Appeals.AsNoTracking().SingleAsync(a => a.PersonId == person && a.MonthId == row.Id));
    }

    private static Task<HttpResponseMessage> DecideAsync(HttpClient client, Appeal appeal, bool upheld, string note) =>
        PageForms.PostAsync(client, "/Results/Appeals", "/Results/Appeals?handler=Decide", new Dictionary<string, string>
        {
            ["appealId"] = appeal.Id.ToString(CultureInfo.InvariantCulture),
            ["version"] = appeal.Version.ToString(CultureInfo.InvariantCulture),
            ["upheld"] = upheld ? "true" : "false",
            ["note"] = note,
            ["confirmed"] = "true",
        });

    [Fact]
    public async Task Upholding_asks_once_naming_the_sheet_and_month_that_reopen()
    {
        // Stored directly: the other tests of this class may have reopened the month, which refuses a new appeal.
        var month = app.Month(1);
        var before = await app.MonthRowAsync(month);
        var e009 = await app.PersonIdAsync("E009");
        var appeal = await app.DbAsync(async db =>
        {
            var row = new Appeal { MonthId = before.Id, PersonId = e009, Reason = "请复核", At = DateTime.UtcNow, Status = AppealStatus.Open };
            db.Appeals.Add(row);
            await db.SaveChangesAsync();
            return row;
        });
        using var hr = await SignIn.AsAsync(app, "hr");
        using var ask = await PageForms.PostAsync(hr, "/Results/Appeals", "/Results/Appeals?handler=Decide", new Dictionary<string, string>
        {
            ["appealId"] = appeal.Id.ToString(CultureInfo.InvariantCulture),
            ["version"] = appeal.Version.ToString(CultureInfo.InvariantCulture),
            ["upheld"] = "true",
            ["note"] = "核实后支持",
        });
        var html = await ask.TextAsync();
        Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
        Assert.Contains("id=\"confirm-step\"", html, StringComparison.Ordinal);
        Assert.Contains($"（E009）{month} 的主管评分表", html, StringComparison.Ordinal);
        Assert.Equal(before.Status == MonthStatus.Confirmed, html.Contains($"{month} 回到进行中", StringComparison.Ordinal));
        Assert.Equal(before.Status, (await app.MonthRowAsync(month)).Status);
        Assert.Equal(AppealStatus.Open, (await app.DbAsync(db => db.Appeals.AsNoTracking().SingleAsync(a => a.Id == appeal.Id))).Status);
    }

    [Fact]
    public async Task An_upheld_appeal_reopens_that_sheet_and_the_month()
    {
        var month = app.Month(1);
        var appeal = await FileAsync("agent07", "E007", month);
        using var hr = await SignIn.AsAsync(app, "hr");
        using var response = await DecideAsync(hr, appeal, upheld: true, "核实属实，请主管重新评分");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var after = await app.MonthRowAsync(month);
        Assert.Equal(MonthStatus.Open, after.Status);
        Assert.Null(after.ComputedAt);
        var sheets = await app.DbAsync(db => db.Sheets.AsNoTracking().Where(s => s.MonthId == after.Id && s.Kind == SheetKind.Supervisor)
            .Select(s => new { s.PersonId, s.SubmittedAt }).ToListAsync());
        var reopened = sheets.Where(s => s.SubmittedAt is null).Select(s => s.PersonId).ToList();
        Assert.Equal([appeal.PersonId], reopened);
        var decided = await app.DbAsync(db => db.Appeals.AsNoTracking().SingleAsync(a => a.Id == appeal.Id));
        Assert.Equal(AppealStatus.Upheld, decided.Status);
        Assert.Equal("hr", decided.DecidedBy);
        Assert.Equal(1, await app.DbAsync(db => db.Audit.CountAsync(a => a.Action == "appeal.uphold" && a.PersonId == appeal.PersonId)));

        // The month overview now says the results are stale.
        var html = await (await hr.GetAsync($"/Results/Month?month={month}", TestContext.Current.CancellationToken)).TextAsync();
        Assert.Contains("结果已过期", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_appeal_keeps_the_month_confirmed_and_a_decision_needs_a_note()
    {
        var month = app.Month(2);
        var appeal = await FileAsync("agent08", "E008", month);
        using var gm = await SignIn.AsAsync(app, "gm");

        using var noNote = await DecideAsync(gm, appeal, upheld: false, " ");
        Assert.Equal(HttpStatusCode.BadRequest, noNote.StatusCode);
        Assert.Equal(AppealStatus.Open, (await app.DbAsync(db => db.Appeals.AsNoTracking().SingleAsync(a => a.Id == appeal.Id))).Status);

        using var rejected = await DecideAsync(gm, appeal, upheld: false, "评分依据充分，维持原结果");
        Assert.Equal(HttpStatusCode.Redirect, rejected.StatusCode);
        var decided = await app.DbAsync(db => db.Appeals.AsNoTracking().SingleAsync(a => a.Id == appeal.Id));
        Assert.Equal(AppealStatus.Rejected, decided.Status);
        Assert.Equal("评分依据充分，维持原结果", decided.Decision);
        Assert.Equal(MonthStatus.Confirmed, (await app.MonthRowAsync(month)).Status);

        // Deciding twice is a conflict: the version read is gone.
        using var twice = await DecideAsync(gm, appeal, upheld: true, "改为支持");
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(MonthStatus.Confirmed, (await app.MonthRowAsync(month)).Status);
    }

    [Fact]
    public async Task The_general_manager_reopens_with_a_reason_hr_recomputes_and_the_month_is_confirmed_again()
    {
        var month = app.Month(3);
        var page = $"/Results/Month?month={month}";
        Dictionary<string, string> Fields(AppraisalMonth row, params (string Key, string Value)[] more)
        {
            var fields = new Dictionary<string, string>
            {
                ["monthId"] = row.Id.ToString(CultureInfo.InvariantCulture),
                ["version"] = row.Version.ToString(CultureInfo.InvariantCulture),
            };
            foreach (var (key, value) in more)
            {
                fields[key] = value;
            }

            return fields;
        }

        using var gm = await SignIn.AsAsync(app, "gm");
        using var hr = await SignIn.AsAsync(app, "hr");
        var before = await app.DbAsync(db => db.Results.AsNoTracking().Join(db.Months.Where(m => m.Month == month), r => r.MonthId, m => m.Id, (r, m) => r.TotalPay).ToListAsync());

        using var reopened = await PageForms.PostAsync(gm, page, $"/Results/Month?handler=Reopen&month={month}",
            Fields(await app.MonthRowAsync(month), ("reason", "补录一笔销售调整"), ("confirmed", "true")));
        Assert.Equal(HttpStatusCode.Redirect, reopened.StatusCode);
        var open = await app.MonthRowAsync(month);
        Assert.Equal(MonthStatus.Open, open.Status);
        Assert.Null(open.ComputedAt);
        Assert.Equal(1, await app.DbAsync(db => db.Audit.CountAsync(a => a.Action == "month.reopen" && a.Month == month && a.Detail == "补录一笔销售调整")));

        using var computed = await PageForms.PostAsync(hr, page, $"/Results/Month?handler=Compute&month={month}", Fields(open));
        Assert.Equal(HttpStatusCode.Redirect, computed.StatusCode);
        var ready = await app.MonthRowAsync(month);
        Assert.NotNull(ready.ComputedAt);

        using var confirmed = await PageForms.PostAsync(gm, page, $"/Results/Month?handler=Confirm&month={month}", Fields(ready, ("confirmed", "true")));
        Assert.Equal(HttpStatusCode.Redirect, confirmed.StatusCode);
        Assert.Equal(MonthStatus.Confirmed, (await app.MonthRowAsync(month)).Status);
        var after = await app.DbAsync(db => db.Results.AsNoTracking().Join(db.Months.Where(m => m.Month == month), r => r.MonthId, m => m.Id, (r, m) => r.TotalPay).ToListAsync());
        Assert.Equal(before.Order(), after.Order());
    }

    [Fact]
    public async Task Agents_and_supervisors_cannot_see_or_decide_appeals()
    {
        foreach (var user in new[] { "agent01", "sup1" })
        {
            using var client = await SignIn.AsAsync(app, user);
            using var response = await client.GetAsync("/Results/Appeals", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }
    }
}
