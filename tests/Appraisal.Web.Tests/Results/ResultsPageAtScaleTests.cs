using System.Net;
using System.Text.RegularExpressions;
using Appraisal.App.Results;
using Appraisal.Bench;
using Appraisal.Core.Results;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Results;

/// <summary>
/// The month's results page for a company of 3 000 agents in 30 teams: each status and team filter and the search
/// list exactly the matching people, page after page without overlap or gap, in the order asked for, never more
/// than a page of rows at once; the totals are those of the matching people (SQLite and PostgreSQL).
/// </summary>
public sealed partial class ResultsPageAtScaleTests(ResultsPageAtScaleTests.App app) : IClassFixture<ResultsPageAtScaleTests.App>
{
    private const int Agents = 3000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The demo company with 3 000 more agents and a stored result for every agent of the open month, varied.</summary>
    public sealed class App : AppFactory, IAsyncLifetime
    {
        public string Month { get; private set; } = string.Empty;

        async ValueTask IAsyncLifetime.InitializeAsync()
        {
            await InitializeAsync();
            Month = await this.OpenMonthAsync();
            await ManyAgents.AddAsync(Services, Month, Agents, withFacts: false);
            var month = Month;
            await DbAsync(async db =>
            {
                var monthId = await db.Months.Where(m => m.Month == month).Select(m => m.Id).SingleAsync(Ct);
                await db.Results.Where(r => r.MonthId == monthId).ExecuteDeleteAsync(Ct);
                var people = await ComputeResults.Appraised(db, Core.Months.YearMonth.Parse(month)).Select(p => new { p.Id, p.TeamId }).ToListAsync(Ct);
                var random = new Random(20261202);
                var now = DateTime.UtcNow;
                var rank = 0;
                foreach (var p in people)
                {
                    // One in twenty excluded; flags for review, a missing self-assessment and HR's eligibility at various rates.
                    var eligible = random.NextDouble() >= 0.05;
                    var flags = ResultFlags.None;
                    flags |= random.NextDouble() < 0.04 ? ResultFlags.ConsecutiveFail : ResultFlags.None;
                    flags |= random.NextDouble() < 0.01 ? ResultFlags.LastInScoreAndSales : ResultFlags.None;
                    flags |= random.NextDouble() < 0.1 ? ResultFlags.SelfMissing : ResultFlags.None;
                    flags |= random.NextDouble() < 0.02 ? ResultFlags.EligibilityOverridden : ResultFlags.None;
                    var salary = 2000m + (random.Next(0, 5) * 500m);
                    var commission = Math.Round((decimal)random.NextDouble() * 8000m, 2);
                    db.Results.Add(new StoredResult
                    {
                        MonthId = monthId,
                        PersonId = p.Id,
                        TeamId = p.TeamId,
                        PolicyVersion = Core.Policy.DefaultPolicy.Instance.Version,
                        Eligible = eligible,
                        SupervisorTotal = random.Next(40, 101),
                        SelfTotal = (flags & ResultFlags.SelfMissing) != 0 ? null : random.Next(40, 101),
                        Score = eligible ? Math.Round(40m + ((decimal)random.NextDouble() * 60m), 2) : null,
                        GradeKey = eligible ? "good" : null,
                        LevelKey = "good",
                        PositionSalary = salary,
                        Commission = commission,
                        TotalPay = salary + commission,
                        Rank = eligible ? ++rank : null,
                        Flags = eligible ? flags : flags & ResultFlags.EligibilityOverridden,
                        ComputedAt = now,
                    });
                }

                return await db.SaveChangesAsync(Ct);
            });
        }
    }

    private sealed record Row(int PersonId, string EmployeeNo, string Name, int? TeamId, bool Eligible, ResultFlags Flags, decimal TotalPay);

    private Task<List<Row>> RowsAsync() => app.DbAsync(db => db.Results.Where(r => db.Months.Any(m => m.Id == r.MonthId && m.Month == app.Month))
        .Select(r => new Row(r.PersonId, r.Person!.EmployeeNo, r.Person.Name, r.TeamId, r.Eligible, r.Flags, r.TotalPay)).ToListAsync(Ct));

    [GeneratedRegex("<tr data-person=\"(\\d+)\"")]
    private static partial Regex ResultRow();

    /// <summary>The person ids listed on every page of the query, in order.</summary>
    private async Task<List<int>> AllPagesAsync(HttpClient client, string query)
    {
        var ids = new List<int>();
        for (var p = 1; p < 60; p++)
        {
            using var response = await client.GetAsync($"/Results/Month?month={app.Month}{query}&p={p}", Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.TextAsync();
            var rows = ResultRow().Matches(html).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
            Assert.InRange(rows.Count, 0, 100);
            ids.AddRange(rows);
            if (!html.Contains("rel=\"next\"", StringComparison.Ordinal))
            {
                return ids;
            }
        }

        throw new InvalidOperationException("more than 60 pages");
    }

    [Theory]
    [InlineData("")]
    [InlineData("review")]
    [InlineData("excluded")]
    [InlineData("self-missing")]
    [InlineData("overridden")]
    public async Task Each_status_lists_exactly_the_matching_people_page_after_page(string status)
    {
        var rows = await RowsAsync();
        var expected = rows.Where(r => status switch
        {
            "review" => (r.Flags & (ResultFlags.ConsecutiveFail | ResultFlags.LastInScoreAndSales)) != 0,
            "excluded" => !r.Eligible,
            "self-missing" => (r.Flags & ResultFlags.SelfMissing) != 0,
            "overridden" => (r.Flags & ResultFlags.EligibilityOverridden) != 0,
            _ => true,
        }).Select(r => r.PersonId).Order().ToList();
        Assert.NotEmpty(expected);

        using var hr = await SignIn.AsAsync(app, "hr");
        var listed = await AllPagesAsync(hr, status.Length == 0 ? string.Empty : $"&status={status}");
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal(expected, listed.Order());
    }

    [Fact]
    public async Task Sorted_by_total_pay_the_pages_follow_one_another_in_that_order()
    {
        var rows = await RowsAsync();
        var team = rows.Where(r => r.TeamId is not null).GroupBy(r => r.TeamId).OrderByDescending(g => g.Count()).First().Key!.Value;
        var expected = rows.Where(r => r.TeamId == team).OrderByDescending(r => r.TotalPay)
            .ThenBy(r => r.EmployeeNo, StringComparer.Ordinal).Select(r => r.PersonId).ToList();

        using var gm = await SignIn.AsAsync(app, "gm");
        Assert.Equal(expected, await AllPagesAsync(gm, $"&team={team}&sort=-total"));

        // The whole company in the same order, across 30 pages.
        var all = rows.OrderByDescending(r => r.TotalPay).ThenBy(r => r.EmployeeNo, StringComparer.Ordinal).Select(r => r.PersonId).ToList();
        Assert.Equal(all, await AllPagesAsync(gm, "&sort=-total"));
    }

    [Fact]
    public async Task The_search_finds_by_part_of_a_name_or_number_and_the_totals_are_of_the_matching_people()
    {
        var rows = await RowsAsync();
        foreach (var q in new[] { "A002", "a01", ManyAgents.AgentName(17)[..2], "不存在的人" })
        {
            var expected = rows.Where(r => r.EmployeeNo.Contains(q, StringComparison.OrdinalIgnoreCase) || r.Name.Contains(q, StringComparison.Ordinal))
                .Select(r => r.PersonId).Order().ToList();
            using var hr = await SignIn.AsAsync(app, "hr");
            Assert.Equal(expected, (await AllPagesAsync(hr, $"&q={Uri.EscapeDataString(q)}")).Order());

            using var response = await hr.GetAsync($"/Results/Month?month={app.Month}&q={Uri.EscapeDataString(q)}", Ct);
            var html = await response.TextAsync();
            if (expected.Count == 0)
            {
                Assert.Contains($"没有符合条件的结果（共 {rows.Count} 人）", html, StringComparison.Ordinal);

                // The month is still computed, and its downloads still offered, when the search finds nobody.
                Assert.DoesNotContain("尚未计算", html, StringComparison.Ordinal);
                Assert.Contains("data-export=\"results-xlsx\"", html, StringComparison.Ordinal);
                continue;
            }

            Assert.Contains($"符合条件 {expected.Count} 人（共 {rows.Count} 人）", html, StringComparison.Ordinal);
            var total = rows.Where(r => expected.Contains(r.PersonId)).Sum(r => r.TotalPay);
            var footer = Regex.Match(html, "<tfoot>.*?</tfoot>", RegexOptions.Singleline).Value;
            Assert.Contains($"符合条件者合计（{expected.Count} 人）", footer, StringComparison.Ordinal);
            Assert.Contains(total.ToString("N2", System.Globalization.CultureInfo.GetCultureInfo("zh-CN")), footer, StringComparison.Ordinal);
        }
    }
}
