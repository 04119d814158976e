using System.Net;
using System.Text.RegularExpressions;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Results;

/// <summary>/Results/History and /People under D19.</summary>
public sealed partial class HistoryAndPeopleTests(AppFactory app) : IClassFixture<AppFactory>
{
    [GeneratedRegex("<tr data-month=\"(\\d{4}-\\d{2})\"")]
    private static partial Regex MonthRow();

    [Fact]
    public async Task An_employee_sees_their_own_published_months_only()
    {
        var me = await app.PersonIdAsync("E002");
        using var agent = await SignIn.AsAsync(app, "agent02");
        using var own = await agent.GetAsync($"/Results/History?person={me}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        var months = MonthRow().Matches(await own.TextAsync()).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal([app.Month(1), app.Month(2), app.Month(3)], months);

        var other = await app.PersonIdAsync("E001");
        using var refused = await agent.GetAsync($"/Results/History?person={other}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task A_supervisor_reads_a_team_members_history_and_the_read_is_audited()
    {
        var mine = await app.PersonIdAsync("E002");
        var theirs = await app.PersonIdAsync("E008");
        using var sup1 = await SignIn.AsAsync(app, "sup1");
        using var ok = await sup1.GetAsync($"/Results/History?person={mine}", TestContext.Current.CancellationToken);
        using var refused = await sup1.GetAsync($"/Results/History?person={theirs}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(1, await app.DbAsync(db => db.Audit.CountAsync(a => a.Action == "pay.read" && a.User == "sup1" && a.PersonId == mine && a.Detail == "history")));
    }

    [Fact]
    public async Task People_are_listed_for_hr_and_the_general_manager_only()
    {
        using var gm = await SignIn.AsAsync(app, "gm");
        using var list = await gm.GetAsync("/People", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        Assert.Equal(16, Html.PersonRows(await list.TextAsync()).Count);
        var id = await app.PersonIdAsync("E001");
        using var detail = await gm.GetAsync($"/People/Detail?id={id}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, detail.StatusCode);
        Assert.Contains("agent01", await detail.TextAsync(), StringComparison.Ordinal);

        foreach (var user in new[] { "sup1", "agent01" })
        {
            using var client = await SignIn.AsAsync(app, user);
            using var refused = await client.GetAsync("/People", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
    }
}
