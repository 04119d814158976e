using System.Net;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Months;

/// <summary>The months list and HR's opening of a month (D16).</summary>
public sealed class MonthsPageTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HrOpensTheNextMonthOnceOnly()
    {
        var open = await app.OpenMonthAsync();
        var next = Core.Months.YearMonth.Parse(open).Next.ToString();
        using var hr = await app.SignInAsync("hr");
        var page = await hr.PageAsync("/Months");
        Assert.Contains("进行中", page);
        Assert.Contains("已确认", page);
        Assert.Contains($"value=\"{next}\"", page);

        using (var ok = await hr.PostAsync("/Months?handler=Open", ("NewMonth", next)))
        {
            Assert.Contains($"已开启 {next}", Html.Notice(await hr.FollowAsync(ok)));
        }

        Assert.True(await app.DbAsync(db => db.Months.AnyAsync(m => m.Month == next && m.OpenedBy == "hr", Ct)));

        using var twice = await hr.PostAsync("/Months?handler=Open", ("NewMonth", next));
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Contains("已经开启", Html.Error(await twice.Content.ReadAsStringAsync(Ct)));

        using var bad = await hr.PostAsync("/Months?handler=Open", ("NewMonth", "2026-13"));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task AgentSeesOwnLinksOnlyAndCannotOpenAMonth()
    {
        var open = await app.OpenMonthAsync();
        var me = await app.PersonIdAsync("E001");
        using var agent = await app.SignInAsync("agent01");
        var page = await agent.PageAsync("/Months");
        Assert.Contains($"/Sheets/Edit?month={open}&amp;person={me}&amp;kind=Self", page);
        Assert.DoesNotContain("handler=Open", page);
        Assert.DoesNotContain("/Months/Facts", page);
        Assert.DoesNotContain("/Months/Team", page);

        using var post = await agent.PostAsync("/Months?handler=Open", ("NewMonth", "2099-01"));
        Assert.True(await agent.IsForbiddenAsync(post));
        Assert.False(await app.DbAsync(db => db.Months.AnyAsync(m => m.Month == "2099-01", Ct)));
    }
}
