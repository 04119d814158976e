using System.Globalization;
using System.Net;
using Appraisal.Core.Results;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Results;

/// <summary>
/// The web app's compute honours HR's override of eligibility recorded on the facts page (D14): the absence rule is
/// not applied to that month, the stored result carries <see cref="ResultFlags.EligibilityOverridden"/>, and the
/// results pages show it in words.
/// </summary>
public sealed class EligibilityOverrideComputeTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    // agent01's absence in the three months of the window (M−2, M−1, M), HR's choice for M → stored eligible, flagged
    [InlineData(20, 20, 21, SaveFacts.Include, true, true)] // 61 days, included by HR
    [InlineData(0, 0, 0, SaveFacts.Exclude, false, true)] // no absence, excluded by HR
    [InlineData(20, 20, 20, "", true, false)] // exactly 60: the rule includes
    [InlineData(20, 20, 21, "", false, false)] // 61: the rule excludes
    public async Task The_stored_result_follows_the_override_and_carries_the_flag(int m2, int m1, int m, string choice, bool eligible, bool flagged)
    {
        var month = app.Month(1);
        var e001 = await app.PersonIdAsync("E001");
        await ReopenAsync(month);
        // The two months before are confirmed: their absence is set as their history, as an import of past months would.
        await SetAbsenceAsync(app.Month(3), e001, m2);
        await SetAbsenceAsync(app.Month(2), e001, m1);

        using var hr = await app.SignInAsync("hr");
        var facts = await app.DbAsync(db => db.Facts.AsNoTracking().SingleAsync(f => f.PersonId == e001 && f.Month!.Month == month, Ct));
        using (var save = await hr.PostAsync($"/Months/Facts?month={month}&handler=Save", PageForms.FactsRow(
                   0, e001, Text(facts.SalesPlan), Text(facts.SalesActual), Text(m), facts.Version, choice, choice.Length == 0 ? string.Empty : "人事复核后调整参评资格")))
        {
            await hr.FollowAsync(save);
        }

        using (var compute = await hr.PostAsync($"/Months/Facts?month={month}&handler=Compute"))
        {
            Assert.True(compute.StatusCode == HttpStatusCode.Redirect, Html.Error(await compute.TextAsync()));
        }

        var monthId = (await app.MonthRowAsync(month)).Id;
        var stored = await app.DbAsync(db => db.Results.AsNoTracking().SingleAsync(r => r.PersonId == e001 && r.MonthId == monthId, Ct));
        Assert.Equal(eligible, stored.Eligible);
        Assert.Equal(m2 + m1 + m, stored.AbsentDaysInWindow);
        Assert.Equal(flagged, (stored.Flags & ResultFlags.EligibilityOverridden) != 0);
        Assert.Equal(eligible, stored.Score is not null);

        // The overview and the payslip say it in words, never the flag's key.
        var overview = await hr.PageAsync($"/Results/Month?month={month}");
        var payslip = await hr.PageAsync($"/Pay/Payslip?month={month}&person={e001}");
        foreach (var page in new[] { overview, payslip })
        {
            Assert.Equal(flagged, page.Contains("人事已调整参评资格", StringComparison.Ordinal));
            Assert.DoesNotContain(ResultFlagNames.EligibilityOverridden, page, StringComparison.Ordinal);
        }

        if (flagged && !eligible)
        {
            Assert.Contains("人事决定不参加本期考核：人事复核后调整参评资格", overview, StringComparison.Ordinal);
        }
    }

    private static string Text(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    private async Task ReopenAsync(string month)
    {
        var row = await app.MonthRowAsync(month);
        if (row.Status == MonthStatus.Open)
        {
            return;
        }

        using var gm = await app.SignInAsync("gm");
        using var reopened = await gm.PostAsync($"/Results/Month?handler=Reopen&month={month}", new Dictionary<string, string>
        {
            ["monthId"] = Text(row.Id),
            ["version"] = Text(row.Version),
            ["reason"] = "补录参评资格调整",
            ["confirmed"] = "true",
        });
        Assert.Equal(HttpStatusCode.Redirect, reopened.StatusCode);
    }

    private Task<int> SetAbsenceAsync(string month, int personId, int days) =>
        app.DbAsync(db => db.Facts.Where(f => f.PersonId == personId && f.Month!.Month == month)
            .ExecuteUpdateAsync(s => s.SetProperty(f => f.AbsentDays, days), Ct));
}
