using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Appraisal.App.Months;
using Appraisal.App.Results;
using Appraisal.Core.Policy;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Results;

/// <summary>
/// The history page's charts (issue 9): 12 calendar months of score and of total pay, each with its table of the same
/// numbers and each month's grade; a month without a result (not appraised, excluded) is a gap, not a zero; what the
/// next grade needs; the same in English. The demo's three confirmed months are extended to twelve (and one more,
/// outside the window) with results stored directly (SQLite and PostgreSQL).
/// </summary>
public sealed partial class HistoryChartTests(AppFactory app) : IClassFixture<AppFactory>
{
    [GeneratedRegex("<table class=\"chart-table\" data-chart-table=\"(?<id>[^\"]+)\">.*?</table>", RegexOptions.Singleline)]
    private static partial Regex ChartTable();

    [GeneratedRegex("<tr[^>]*data-category=\"(?<month>[^\"]+)\">\\s*<th scope=\"row\">[^<]*</th>(?<cells>.*?)</tr>", RegexOptions.Singleline)]
    private static partial Regex ChartRow();

    [GeneratedRegex("<td[^>]*>(?<text>[^<]*)</td>")]
    private static partial Regex Cell();

    [GeneratedRegex("<polyline ")]
    private static partial Regex Polyline();

    [GeneratedRegex("<circle ")]
    private static partial Regex Dot();

    /// <summary>Months back from the appraised month: 1–3 are the demo's; 4–13 added here, 6 left out, 8 excluded, 10 without E001, 13 outside the window.</summary>
    private static readonly int[] Added = [4, 5, 7, 8, 9, 10, 11, 12, 13];

    private const int Excluded = 8;
    private const int WithoutE001 = 10;

    private static Dictionary<string, List<string[]>> Tables(string html) =>
        ChartTable().Matches(html).ToDictionary(m => m.Groups["id"].Value, m => ChartRow().Matches(m.Value)
            .Select(r => new[] { r.Groups["month"].Value }.Concat(Cell().Matches(r.Groups["cells"].Value).Select(c => WebUtility.HtmlDecode(c.Groups["text"].Value.Trim()))).ToArray())
            .ToList(), StringComparer.Ordinal);

    private async Task SeedAsync(int personId)
    {
        var ct = TestContext.Current.CancellationToken;
        await app.DbAsync(async db =>
        {
            if (await db.Months.AnyAsync(m => m.Month == app.Month(Added[0]), ct))
            {
                return 0;
            }

            var template = await db.Results.AsNoTracking().Join(db.Months, r => r.MonthId, m => m.Id, (r, m) => new { r, m })
                .Where(x => x.r.PersonId == personId && x.m.Month == app.Month(1)).Select(x => x.r).SingleAsync(ct);
            var other = await db.People.Where(p => p.EmployeeNo == "E002").Select(p => p.Id).SingleAsync(ct);
            foreach (var back in Added)
            {
                var month = new AppraisalMonth
                {
                    Month = app.Month(back), Status = MonthStatus.Confirmed, OpenedAt = DateTime.UtcNow, OpenedBy = "test", ComputedAt = DateTime.UtcNow,
                    ConfirmedAt = DateTime.UtcNow, PolicyVersion = template.PolicyVersion,
                };
                db.Months.Add(month);
                await db.SaveChangesAsync(ct);

                // Varied scores (a grade each) and pay; one excluded month (no score, grade or rank, but paid, D15).
                var score = 60m + (back * 3m) + (back % 2 == 0 ? 0.5m : 0m);
                var grade = DefaultPolicy.Instance.GradeFor(score);
                var excluded = back == Excluded;
                db.Results.Add(Result(template, month.Id, other, 80m, "good", 6000m));
                if (back != WithoutE001)
                {
                    db.Results.Add(Result(template, month.Id, personId, excluded ? null : score, excluded ? null : grade.Key, 5000m + (back * 123.45m)));
                }
            }

            return await db.SaveChangesAsync(ct);
        });
    }

    private static StoredResult Result(StoredResult t, int monthId, int personId, decimal? score, string? grade, decimal pay) => new()
    {
        MonthId = monthId, PersonId = personId, TeamId = t.TeamId, PolicyVersion = t.PolicyVersion, Eligible = score is not null, SelfTotal = 80, SupervisorTotal = 80,
        Score = score, GradeKey = grade, LevelKey = grade ?? t.LevelKey, PositionSalary = t.PositionSalary, SalesPlan = 80000m, SalesActual = 81000m,
        CommissionRate = t.CommissionRate, Commission = t.Commission, TotalPay = pay, Rank = score is null ? null : 1, ComputedAt = DateTime.UtcNow,
    };

    [Theory]
    [InlineData("agent01", "zh-CN")]
    [InlineData("hr", "zh-CN")]
    [InlineData("sup1", "en")]
    public async Task The_charts_tables_are_the_stored_results_of_twelve_months_with_gaps(string user, string culture)
    {
        var ct = TestContext.Current.CancellationToken;
        var me = await app.PersonIdAsync("E001");
        await SeedAsync(me);
        var stored = await app.DbAsync(db => db.Results.AsNoTracking().Where(r => r.PersonId == me)
            .Join(db.Months, r => r.MonthId, m => m.Id, (r, m) => new { m.Month, r.Score, r.GradeKey, r.TotalPay, r.Eligible })
            .ToDictionaryAsync(x => x.Month, StringComparer.Ordinal, ct));

        using var client = await SignIn.AsAsync(app, user);
        var english = culture == "en";
        if (english)
        {
            (await client.GetAsync("/lang/en?returnUrl=/", ct)).Dispose();
        }

        using var response = await client.GetAsync($"/Results/History?person={me}", ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.TextAsync();
        var tables = Tables(html);
        var format = CultureInfo.GetCultureInfo(culture);
        var months = Enumerable.Range(1, 12).Reverse().Select(app.Month).ToList();

        // Score: the stored score and the grade in the page's language; a gap ("—") where there is no result or none scored.
        Assert.Equal(months, tables["chart-history-scores"].Select(r => r[0]));
        Assert.Equal(months, tables["chart-history-pay"].Select(r => r[0]));
        foreach (var (row, pay) in tables["chart-history-scores"].Zip(tables["chart-history-pay"]))
        {
            var month = row[0];
            if (!stored.TryGetValue(month, out var r))
            {
                Assert.Equal([month, "—", english ? "no result" : "无结果"], row);
                Assert.Equal([month, "—"], pay);
                continue;
            }

            var grade = r.GradeKey is { } key ? DefaultPolicy.Instance.FindGrade(key)!.Label.Get(english) : english ? "excluded" : "未参加考核";
            Assert.Equal([month, r.Score?.ToString("0.0", format) ?? "—", grade], row);
            Assert.Equal([month, r.TotalPay.ToString("N2", format)], pay);
        }

        // The gaps: a month never held, one without this person, and the excluded one (paid, not scored).
        Assert.Equal("—", tables["chart-history-scores"].Single(r => r[0] == app.Month(6))[1]);
        Assert.Equal("—", tables["chart-history-pay"].Single(r => r[0] == app.Month(WithoutE001))[1]);
        Assert.Equal("—", tables["chart-history-scores"].Single(r => r[0] == app.Month(Excluded))[1]);
        Assert.NotEqual("—", tables["chart-history-pay"].Single(r => r[0] == app.Month(Excluded))[1]);
        Assert.DoesNotContain(app.Month(13), tables["chart-history-scores"].Select(r => r[0]));

        // The line breaks at each gap: one polyline per run of scored months (1–3 ∪ 4–5 | 7 | 9 | 11–12).
        var scores = html[html.IndexOf("id=\"chart-history-scores\"", StringComparison.Ordinal)..html.IndexOf("id=\"chart-history-pay\"", StringComparison.Ordinal)];
        Assert.Equal(4, Polyline().Count(scores));
        Assert.Equal(months.Count(m => stored.TryGetValue(m, out var r) && r.Score is not null), Dot().Count(scores));

        // What the next grade needs after the newest scored month (the demo's newest, E001's).
        var newest = stored[app.Month(1)];
        var next = DefaultPolicy.Instance.NextGradeAbove(newest.Score!.Value);
        Assert.Contains("data-kpi=\"next-grade\"", html, StringComparison.Ordinal);
        if (next is not null)
        {
            Assert.Contains((next.MinScore - newest.Score.Value).ToString("0.0", format), html, StringComparison.Ordinal);
        }

        Assert.Contains(english ? "Score over the last 12 months" : "近 12 个月得分", html, StringComparison.Ordinal);
        Assert.Contains(english ? "Total pay over the last 12 months" : "近 12 个月当月工资", html, StringComparison.Ordinal);
        Assert.DoesNotContain(english ? "近 12 个月得分" : "Score over the last 12 months", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Someone_else_gets_no_chart_and_a_supervisors_read_stays_audited()
    {
        var ct = TestContext.Current.CancellationToken;
        var me = await app.PersonIdAsync("E001");
        await SeedAsync(me);
        using var agent = await SignIn.AsAsync(app, "agent02");
        using var refused = await agent.GetAsync($"/Results/History?person={me}", ct);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.DoesNotContain("chart-history", await refused.TextAsync(), StringComparison.Ordinal);

        var before = await app.DbAsync(db => db.Audit.CountAsync(a => a.Action == "pay.read" && a.User == "sup1" && a.PersonId == me && a.Detail == "history", ct));
        using var sup1 = await SignIn.AsAsync(app, "sup1");
        using var read = await sup1.GetAsync($"/Results/History?person={me}", ct);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(before + 1, await app.DbAsync(db => db.Audit.CountAsync(a => a.Action == "pay.read" && a.User == "sup1" && a.PersonId == me && a.Detail == "history", ct)));
    }
}
