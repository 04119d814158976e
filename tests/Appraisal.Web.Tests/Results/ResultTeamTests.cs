using System.Net;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Results;

/// <summary>A month's results keep the team each person was in when they were computed (its own fixture: it moves a person).</summary>
public sealed class ResultTeamTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task A_computed_month_shows_the_team_of_that_month_after_a_person_moves()
    {
        var month = app.Month(1);
        await app.DbAsync(async db =>
        {
            var person = await db.People.SingleAsync(p => p.EmployeeNo == "E001");
            var other = await db.Teams.SingleAsync(t => t.Name == "客服二组");
            Assert.NotEqual(other.Id, person.TeamId);
            person.TeamId = other.Id;
            return await db.SaveChangesAsync();
        });

        using var hr = await SignIn.AsAsync(app, "hr");
        var rows = (await hr.SendAsync("GET", $"/api/months/{month}/results")).AssertOk().GetProperty("results").EnumerateArray().ToList();
        var moved = rows.Single(r => r.GetProperty("employeeNo").GetString() == "E001");
        Assert.Equal("客服一组", moved.GetProperty("team").GetString());

        // The month overview page says the same.
        using var page = await hr.GetAsync($"/Results/Month?month={month}", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.TextAsync();
        var row = html[html.IndexOf(">E001<", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("客服一组", row, StringComparison.Ordinal);
        Assert.DoesNotContain("客服二组", row, StringComparison.Ordinal);
    }
}
