using System.Globalization;
using System.Net;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Pay;

/// <summary>/Pay/Payslip: D19 pay privacy and its audit, acknowledgement and appeal (D16).</summary>
public sealed class PayslipTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static Dictionary<string, string> MonthField(int monthId, params (string Key, string Value)[] more)
    {
        var fields = new Dictionary<string, string> { ["monthId"] = monthId.ToString(CultureInfo.InvariantCulture) };
        foreach (var (key, value) in more)
        {
            fields[key] = value;
        }

        return fields;
    }

    [Fact]
    public async Task The_employee_sees_their_own_payslip_of_a_confirmed_month_with_every_component_explained()
    {
        var person = await app.PersonIdAsync("E001");
        using var agent = await SignIn.AsAsync(app, "agent01");
        using var response = await agent.GetAsync($"/Pay/Payslip?month={app.Month(1)}&person={person}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.TextAsync();
        Assert.Contains("第八条", html, StringComparison.Ordinal);
        Assert.Contains("全额提成", html, StringComparison.Ordinal);
        Assert.Contains("第十一条", html, StringComparison.Ordinal);
        Assert.Contains("第十条", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_agent_is_refused()
    {
        var person = await app.PersonIdAsync("E001");
        using var other = await SignIn.AsAsync(app, "agent02");
        using var response = await other.GetAsync($"/Pay/Payslip?month={app.Month(1)}&person={person}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task The_employee_does_not_see_an_unconfirmed_month()
    {
        var person = await app.PersonIdAsync("E002");
        using var agent = await SignIn.AsAsync(app, "agent02");
        using var response = await agent.GetAsync($"/Pay/Payslip?month={app.Month(0)}&person={person}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Hr_reads_it_and_the_read_is_audited()
    {
        var person = await app.PersonIdAsync("E001");
        var month = app.Month(1);
        using var hr = await SignIn.AsAsync(app, "hr");
        Task<int> ReadsAsync() => app.DbAsync(db => db.Audit.CountAsync(a => a.Action == "pay.read" && a.User == "hr" && a.PersonId == person && a.Month == month));
        var before = await ReadsAsync();
        using var response = await hr.GetAsync($"/Pay/Payslip?month={month}&person={person}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(before + 1, await ReadsAsync());
    }

    [Fact]
    public async Task The_supervisor_reads_their_team_members_payslip_and_it_is_audited_but_not_another_teams()
    {
        var mine = await app.PersonIdAsync("E003");
        var theirs = await app.PersonIdAsync("E007");
        var month = app.Month(1);
        using var sup1 = await SignIn.AsAsync(app, "sup1");
        using var ok = await sup1.GetAsync($"/Pay/Payslip?month={month}&person={mine}", TestContext.Current.CancellationToken);
        using var refused = await sup1.GetAsync($"/Pay/Payslip?month={month}&person={theirs}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(1, await app.DbAsync(db => db.Audit.CountAsync(a => a.Action == "pay.read" && a.User == "sup1" && a.PersonId == mine)));
    }

    [Fact]
    public async Task The_employee_acknowledges_once()
    {
        var person = await app.PersonIdAsync("E003");
        var month = await app.MonthRowAsync(app.Month(1));
        using var agent = await SignIn.AsAsync(app, "agent03");
        var page = $"/Pay/Payslip?month={month.Month}&person={person}";
        var action = $"/Pay/Payslip?handler=Acknowledge&month={month.Month}&person={person}";
        using var first = await PageForms.PostAsync(agent, page, action, MonthField(month.Id));
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        using var second = await PageForms.PostAsync(agent, page, action, MonthField(month.Id));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Contains("已确认过", Html.Error(await second.TextAsync()), StringComparison.Ordinal);
        Assert.Equal(1, await app.DbAsync(db => db.Acknowledgements.CountAsync(a => a.MonthId == month.Id && a.PersonId == person)));
        Assert.Equal(1, await app.DbAsync(db => db.Audit.CountAsync(a => a.Action == "result.acknowledge" && a.PersonId == person)));
    }

    [Fact]
    public async Task Nobody_acknowledges_for_someone_else()
    {
        var month = await app.MonthRowAsync(app.Month(1));
        var person = await app.PersonIdAsync("E001");
        using var hr = await SignIn.AsAsync(app, "hr");
        using var response = await PageForms.PostAsync(hr, $"/Pay/Payslip?month={month.Month}&person={person}",
            $"/Pay/Payslip?handler=Acknowledge&month={month.Month}&person={person}", MonthField(month.Id));

        // Only the person themself acknowledges their result (D16): the command refuses anyone else.
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0, await app.DbAsync(db => db.Acknowledgements.CountAsync(a => a.PersonId == person)));
    }

    [Fact]
    public async Task The_employee_appeals_within_the_window_with_a_reason_one_open_appeal_at_a_time()
    {
        var person = await app.PersonIdAsync("E004");
        await app.ConfirmedAnHourAgoAsync(app.Month(1));
        var month = await app.MonthRowAsync(app.Month(1));
        using var agent = await SignIn.AsAsync(app, "agent04");
        var page = $"/Pay/Payslip?month={month.Month}&person={person}";
        var action = $"/Pay/Payslip?handler=Appeal&month={month.Month}&person={person}";

        using var noReason = await PageForms.PostAsync(agent, page, action, MonthField(month.Id, ("reason", " ")));
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.Equal(0, await app.DbAsync(db => db.Appeals.CountAsync(a => a.PersonId == person)));

        using var filed = await PageForms.PostAsync(agent, page, action, MonthField(month.Id, ("reason", "工作业绩一项评分偏低，本月有三笔大单未计入")));
        Assert.Equal(HttpStatusCode.Redirect, filed.StatusCode);
        var appeal = await app.DbAsync(db => db.Appeals.SingleAsync(a => a.PersonId == person));
        Assert.Equal(AppealStatus.Open, appeal.Status);
        Assert.Equal(month.Id, appeal.MonthId);

        using var again = await PageForms.PostAsync(agent, page, action, MonthField(month.Id, ("reason", "再次复议")));
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(1, await app.DbAsync(db => db.Appeals.CountAsync(a => a.PersonId == person)));
    }

    [Fact]
    public async Task An_appeal_after_the_window_is_refused()
    {
        var person = await app.PersonIdAsync("E005");
        var month = await app.MonthRowAsync(app.Month(3));

        // Confirmed eight days ago: one day past the seed's 7 (Process.AppealDays).
        await app.DbAsync(db => db.Months.Where(m => m.Id == month.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ConfirmedAt, DateTime.UtcNow.AddDays(-8)), TestContext.Current.CancellationToken));
        using var agent = await SignIn.AsAsync(app, "agent05");
        using var response = await PageForms.PostAsync(agent, $"/Pay/Payslip?month={month.Month}&person={person}",
            $"/Pay/Payslip?handler=Appeal&month={month.Month}&person={person}", MonthField(month.Id, ("reason", "评分有误")));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("复议期限", Html.Error(await response.TextAsync()), StringComparison.Ordinal);
        Assert.Equal(0, await app.DbAsync(db => db.Appeals.CountAsync(a => a.PersonId == person)));
    }
}
