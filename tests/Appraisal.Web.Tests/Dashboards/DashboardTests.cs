using System.Net;
using Appraisal.App;
using Appraisal.App.Dashboards;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Results;
using Appraisal.App.Sheets;
using Appraisal.Core.Policy;
using Appraisal.Core.Results;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Dashboards;

/// <summary>
/// The home page's dashboards (issue 9) on the demo company: each query's numbers against the stored rows,
/// computed here from the rows themselves, and who sees what (D16, D19, D24).
/// </summary>
public sealed class DashboardTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static Actor As(string user, int? person, string role) => new(user, person, new HashSet<string> { role });

    private static decimal Round1(decimal v) => Math.Round(v, 1, MidpointRounding.AwayFromZero);

    private sealed record Row(int MonthId, string Month, int PersonId, int? TeamId, bool Eligible, decimal? Score, string? GradeKey, int SupervisorTotal, decimal SalesPlan, decimal SalesActual, decimal TotalPay, ResultFlags Flags);

    private Task<List<Row>> RowsAsync() => app.DbAsync(db => db.Results.AsNoTracking()
        .Join(db.Months, r => r.MonthId, m => m.Id, (r, m) => new Row(r.MonthId, m.Month, r.PersonId, r.TeamId, r.Eligible, r.Score, r.GradeKey, r.SupervisorTotal, r.SalesPlan, r.SalesActual, r.TotalPay, r.Flags))
        .ToListAsync(TestContext.Current.CancellationToken));

    [Fact]
    public async Task The_general_managers_figures_are_the_stored_results_summed()
    {
        var demo = await Demo.LoadAsync(app);
        var d = await app.WithServiceAsync<ReadManagerDashboard, ManagerDashboard>(q => q.ExecuteAsync(As("gm", demo.Id("M001"), Roles.GeneralManager), TestContext.Current.CancellationToken));
        var rows = await RowsAsync();
        var months = rows.Select(r => r.Month).Distinct().Order(StringComparer.Ordinal).ToList();

        // The newest month with results (the open month has none until HR computes it) and every month before it.
        Assert.Equal(months[^1], d.Month!.Month);
        Assert.Equal(months, d.Grades.Select(g => g.Month));
        Assert.Equal(["excellent", "good", "fair", "pass", "fail"], d.Bands.Select(b => b.Key));
        foreach (var m in d.Grades)
        {
            var mine = rows.Where(r => r.Month == m.Month).ToList();
            var graded = mine.Count(r => r.Eligible);
            Assert.Equal(mine.Count(r => !r.Eligible), m.Excluded);
            foreach (var g in m.Grades)
            {
                var count = mine.Count(r => r.Eligible && r.GradeKey == g.Key);
                Assert.Equal(count, g.Count);
                Assert.Equal(Round1(count * 100m / graded), g.Percent);
            }
        }

        Assert.Equal(months.Select(m => rows.Where(r => r.Month == m).Sum(r => r.TotalPay)), d.Pay.Select(p => p.TotalPay));
        Assert.Equal(rows.Where(r => r.Month == months[^1]).Sum(r => r.TotalPay) - rows.Where(r => r.Month == months[^2]).Sum(r => r.TotalPay), d.PayChange);

        var current = rows.Where(r => r.Month == months[^1]).ToList();
        Assert.Equal(2, d.Teams.Count);
        foreach (var t in d.Teams)
        {
            var team = current.Where(r => r.TeamId == t.TeamId).ToList();
            Assert.Equal(team.Count, t.People);
            Assert.Equal(Round1(team.Where(r => r.Eligible).Average(r => r.Score!.Value)), t.AverageScore);
            Assert.Equal(team.Sum(r => r.SalesPlan), t.SalesPlan);
            Assert.Equal(team.Sum(r => r.SalesActual), t.SalesActual);
        }

        var review = ResultFlags.ConsecutiveFail | ResultFlags.LastInScoreAndSales;
        Assert.Equal(current.Where(r => (r.Flags & review) != 0).Select(r => r.PersonId).Order(), d.Flagged.Select(f => f.PersonId).Order());

        // D24: supervisor sheet totals, banded by the seed's lower bounds (第八条: 95, 85, 75, 65, 0), against the company's.
        var bounds = new[] { ("excellent", 95), ("good", 85), ("fair", 75), ("pass", 65), ("fail", 0) };
        string Band(int total) => bounds.First(b => total >= b.Item2).Item1;
        decimal Median(List<int> v)
        {
            v.Sort();
            return v.Count % 2 == 1 ? v[v.Count / 2] : (v[(v.Count / 2) - 1] + v[v.Count / 2]) / 2m;
        }

        var company = d.Company!;
        Assert.Equal(current.Count, company.Sheets);
        Assert.Equal(Round1((decimal)current.Average(r => r.SupervisorTotal)), company.Mean);
        Assert.Equal(Median(current.Select(r => r.SupervisorTotal).ToList()), company.Median);
        Assert.Equal(2, d.Calibrations.Count);
        foreach (var c in d.Calibrations)
        {
            var team = current.Where(r => r.TeamId == c.TeamId).ToList();
            var mean = Round1((decimal)team.Average(r => r.SupervisorTotal));
            Assert.Equal(mean, c.Mean);
            Assert.Equal(Round1(mean - company.Mean), c.Difference);
            Assert.Equal(Median(team.Select(r => r.SupervisorTotal).ToList()), c.Median);
            Assert.Equal(bounds.Select(b => team.Count(r => Band(r.SupervisorTotal) == b.Item1)), c.Bands.Select(b => b.Count));
            Assert.Equal(months[..^1].Select(m => (decimal?)Round1((decimal)rows.Where(r => r.Month == m && r.TeamId == c.TeamId).Average(r => r.SupervisorTotal))), c.EarlierMeans);
        }

        Assert.True(d.Calibrations[0].Difference >= d.Calibrations[1].Difference, "the most lenient team first");
    }

    [Fact]
    public async Task HRs_progress_counts_each_teams_sheets_facts_and_talks_of_the_open_month()
    {
        var demo = await Demo.LoadAsync(app);
        var d = await app.WithServiceAsync<ReadHrDashboard, HrDashboard>(q => q.ExecuteAsync(As("hr", demo.Id("H001"), Roles.Hr), TestContext.Current.CancellationToken));
        var open = await app.OpenMonthAsync();
        Assert.Equal(open, d.Open!.Month);
        var (agents, sheets, facts, talks) = await app.DbAsync(async db =>
        {
            var monthId = await db.Months.Where(m => m.Month == open).Select(m => m.Id).SingleAsync(TestContext.Current.CancellationToken);
            return (
                await db.People.Where(p => p.Role == Roles.Agent).Select(p => new { p.Id, p.TeamId, p.EmployeeNo }).ToListAsync(TestContext.Current.CancellationToken),
                await db.Sheets.Where(s => s.MonthId == monthId && s.SubmittedAt != null).Select(s => new { s.PersonId, s.Kind }).ToListAsync(TestContext.Current.CancellationToken),
                await db.Facts.Where(f => f.MonthId == monthId).Select(f => f.PersonId).ToListAsync(TestContext.Current.CancellationToken),
                await db.FeedbackTalks.Where(t => t.MonthId == monthId).Select(t => t.PersonId).ToListAsync(TestContext.Current.CancellationToken));
        });

        Assert.Equal(2, d.Teams.Count);
        foreach (var t in d.Teams)
        {
            var ids = agents.Where(a => a.TeamId == t.TeamId).Select(a => a.Id).ToHashSet();
            Assert.Equal(ids.Count, t.Agents);
            Assert.Equal(sheets.Count(s => s.Kind == SheetKind.Self && ids.Contains(s.PersonId)), t.SelfSubmitted);
            Assert.Equal(sheets.Count(s => s.Kind == SheetKind.Supervisor && ids.Contains(s.PersonId)), t.SupervisorSubmitted);
            Assert.Equal(facts.Count(ids.Contains), t.Facts);
            Assert.Equal(talks.Count(ids.Contains), t.Talks);
        }

        // agent01's month is left to be done by hand: everything of theirs is missing, so they are listed first.
        var late = agents.Where(a => !sheets.Any(s => s.PersonId == a.Id && s.Kind == SheetKind.Self) || !sheets.Any(s => s.PersonId == a.Id && s.Kind == SheetKind.Supervisor)
            || !facts.Contains(a.Id) || !talks.Contains(a.Id)).ToList();
        Assert.Equal(late.Count, d.LateCount);
        var first = d.Late[0];
        Assert.Equal(("E001", true, true, true, true), (first.EmployeeNo, first.NoSelf, first.NoSupervisor, first.NoFacts, first.NoTalk));

        // The pay run of the last confirmed month and the counts of its decision lists (D21: 推荐 and 储备 are 优 and 良).
        var previous = demo.Previous.ToString();
        var rows = (await RowsAsync()).Where(r => r.Month == previous).ToList();
        Assert.Equal(rows.Sum(r => r.TotalPay), Assert.Single(d.PayRuns).TotalPay);
        Assert.Equal(previous, d.Decisions!.Month);
        Assert.Equal(rows.Count(r => r.Eligible && r.GradeKey is "excellent" or "good"), d.Decisions.Promotion);
        Assert.Equal(rows.Count(r => r.Eligible && r.GradeKey is "fair" or "pass" or "fail"), d.Decisions.Training);
    }

    [Fact]
    public async Task A_supervisor_sees_only_their_teams_published_scores()
    {
        var demo = await Demo.LoadAsync(app);
        var d = await app.WithServiceAsync<ReadSupervisorDashboard, SupervisorDashboard>(q => q.ExecuteAsync(As("sup1", demo.Id("S001"), Roles.Supervisor), TestContext.Current.CancellationToken));
        var team = Enumerable.Range(1, 6).Select(i => demo.Id($"E{i:D3}")).ToHashSet();
        var rows = (await RowsAsync()).Where(r => team.Contains(r.PersonId)).ToList();
        var confirmed = await app.DbAsync(db => db.Months.Where(m => m.Status == MonthStatus.Confirmed).Select(m => m.Month).ToListAsync(TestContext.Current.CancellationToken));

        Assert.Equal(confirmed.Order(StringComparer.Ordinal), d.Months);
        Assert.Equal(team.Order(), d.Members.Select(m => m.PersonId).Order());
        foreach (var m in d.Members)
        {
            Assert.Equal(d.Months.Select(month => rows.SingleOrDefault(r => r.PersonId == m.PersonId && r.Month == month)?.Score), m.Scores);
        }

        Assert.Equal(d.Months.Select(month => (decimal?)Round1(rows.Where(r => r.Month == month && r.Score is not null).Average(r => r.Score!.Value))), d.TeamAverage);
        var progress = Assert.Single(d.Progress);
        Assert.Equal(6, progress.Agents);
        Assert.Equal(5, progress.SupervisorSubmitted);
    }

    [Fact]
    public async Task An_agent_sees_their_own_months_and_what_the_next_grade_needs()
    {
        var demo = await Demo.LoadAsync(app);
        var me = demo.Id("E002");
        var d = await app.WithServiceAsync<ReadAgentDashboard, AgentDashboard>(q => q.ExecuteAsync(As("agent02", me, Roles.Agent), TestContext.Current.CancellationToken));
        var rows = (await RowsAsync()).Where(r => r.PersonId == me).OrderBy(r => r.Month, StringComparer.Ordinal).ToList();
        Assert.Equal(me, d.History.PersonId);
        Assert.Equal(rows.Select(r => r.Month), d.Months.Select(m => m.Month));
        Assert.Equal(rows.Select(r => r.Score), d.Months.Select(m => m.Score));
        Assert.Equal(rows.Select(r => r.TotalPay), d.Months.Select(m => m.TotalPay));

        var newest = rows.Last(r => r.Score is not null);
        var bounds = new[] { 95m, 85m, 75m, 65m, 0m };
        var above = bounds.Where(b => b > newest.Score!.Value).DefaultIfEmpty(-1).Min();
        Assert.Equal(newest.Month, d.Next!.Month);
        Assert.Equal(above < 0 ? null : above - newest.Score, d.Next.PointsNeeded);
    }

    [Theory]
    [InlineData("agent01", Roles.Agent, "manager")]
    [InlineData("sup1", Roles.Supervisor, "manager")]
    [InlineData("agent01", Roles.Agent, "hr")]
    [InlineData("sup1", Roles.Supervisor, "hr")]
    [InlineData("agent01", Roles.Agent, "supervisor")]
    [InlineData("hr", Roles.Hr, "supervisor")]
    public async Task Each_dashboard_refuses_the_roles_it_is_not_for(string user, string role, string dashboard)
    {
        var demo = await Demo.LoadAsync(app);
        var numbers = new Dictionary<string, string> { ["agent01"] = "E001", ["sup1"] = "S001", ["hr"] = "H001" };
        var actor = As(user, demo.Id(numbers[user]), role);
        var ct = TestContext.Current.CancellationToken;
        var error = await Assert.ThrowsAsync<UserError>(() => dashboard switch
        {
            "manager" => app.WithServiceAsync<ReadManagerDashboard, object>(async q => await q.ExecuteAsync(actor, ct)),
            "hr" => app.WithServiceAsync<ReadHrDashboard, object>(async q => await q.ExecuteAsync(actor, ct)),
            _ => app.WithServiceAsync<ReadSupervisorDashboard, object>(async q => await q.ExecuteAsync(actor, ct)),
        });
        Assert.Equal(403, error.Status);
    }

    [Theory]
    [InlineData("gm", "dashboard-gm", "chart-calibration")]
    [InlineData("hr", "dashboard-hr", "progress")]
    [InlineData("sup1", "dashboard-supervisor", "chart-team-trend")]
    [InlineData("agent02", "dashboard-agent", "chart-my-scores")]
    public async Task The_home_page_shows_the_roles_dashboard_above_the_to_do_list(string user, string section, string part)
    {
        using var client = await SignIn.AsAsync(app, user);
        using var response = await client.GetAsync("/", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.TextAsync();
        Assert.Contains($"id=\"{section}\"", html, StringComparison.Ordinal);
        Assert.Contains(part, html, StringComparison.Ordinal);
        Assert.True(html.IndexOf(section, StringComparison.Ordinal) < html.IndexOf("id=\"todo-title\"", StringComparison.Ordinal));
        Assert.DoesNotContain("style=\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nobody_sees_another_persons_or_another_teams_names_on_their_dashboard()
    {
        var names = await app.DbAsync(db => db.People.ToDictionaryAsync(p => p.EmployeeNo, p => p.Name, TestContext.Current.CancellationToken));
        using var agent = await SignIn.AsAsync(app, "agent02");
        var mine = Html.MainContent(await (await agent.GetAsync("/", TestContext.Current.CancellationToken)).TextAsync());
        Assert.All(names.Where(n => n.Key.StartsWith('E') && n.Key != "E002"), n => Assert.DoesNotContain(n.Value, mine, StringComparison.Ordinal));

        using var sup1 = await SignIn.AsAsync(app, "sup1");
        var team = Html.MainContent(await (await sup1.GetAsync("/", TestContext.Current.CancellationToken)).TextAsync());
        Assert.Contains(names["E002"], team, StringComparison.Ordinal);
        Assert.All(Enumerable.Range(7, 6).Select(i => names[$"E{i:D3}"]), n => Assert.DoesNotContain(n, team, StringComparison.Ordinal));
    }
}
