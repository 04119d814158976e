using Appraisal.Core.Policy;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Results;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Dashboards;

/// <summary>One team's month: people appraised, average score of those graded, sales against plan.</summary>
public sealed record TeamFigures(int? TeamId, string? Team, string? Supervisor, int People, decimal? AverageScore, decimal SalesPlan, decimal SalesActual)
{
    /// <summary>Sales as a percentage of plan, one decimal; null without a plan.</summary>
    public decimal? PlanPercent => SalesPlan == 0 ? null : Math.Round(SalesActual * 100m / SalesPlan, 1, MidpointRounding.AwayFromZero);
}

/// <summary>A person with a review flag (第十一条, 第十二条, D13) in the month.</summary>
public sealed record FlaggedPerson(int PersonId, string EmployeeNo, string Name, string? Team, IReadOnlyList<string> Flags);

/// <summary>
/// One supervisor's scores (the supervisor sheets' totals) of the month, banded like final scores (第八条), against
/// the company's (D24): mean, median, share per band, and the team's mean in the months before.
/// </summary>
public sealed record Calibration(int? TeamId, string? Team, string? Supervisor, int Sheets, decimal Mean, decimal Median, IReadOnlyList<GradeCount> Bands, IReadOnlyList<decimal?> EarlierMeans)
{
    /// <summary>The mean against the company's mean: above is more lenient, below harsher.</summary>
    public decimal Difference { get; init; }
}

/// <summary>The general manager's month at a glance (issue 9), before confirming.</summary>
public sealed record ManagerDashboard(
    AppraisalMonth? Month,
    bool Stale,
    IReadOnlyList<GradeBand> Bands,
    IReadOnlyList<MonthGrades> Grades,
    IReadOnlyList<TeamFigures> Teams,
    IReadOnlyList<MonthTotals> Pay,
    IReadOnlyList<FlaggedPerson> Flagged,
    Calibration? Company,
    IReadOnlyList<Calibration> Calibrations,
    IReadOnlyList<string> EarlierMonths)
{
    /// <summary>The month's total pay against the month before it (in <see cref="Pay"/>), or null with nothing to compare.</summary>
    public decimal? PayChange => Pay.Count >= 2 ? Pay[^1].TotalPay - Pay[^2].TotalPay : null;
}

/// <summary>
/// Reads the general manager's dashboard for the newest month with results (the one to confirm, or else the last
/// confirmed): company-wide, so HR and the general manager only (<see cref="ResultAccess.EnsureCompanyWide"/>).
/// Every figure is a database aggregate (grouped counts and sums), so it stays fast at 3 000 agents. Calibration
/// informs and never changes a score (D24). Only sums of pay are shown, no one's own, so nothing is audited.
/// </summary>
public sealed class ReadManagerDashboard(AppDbContext db)
{
    /// <summary>The month itself and the six before it (issue 9: the distribution against the previous 6 months).</summary>
    public const int Months = 7;

    public async Task<ManagerDashboard> ExecuteAsync(Actor actor, CancellationToken ct = default)
    {
        ResultAccess.EnsureCompanyWide(actor);
        var months = await MonthFigures.MonthsWithResultsAsync(db, Months, onlyConfirmed: false, ct);
        if (months.Count == 0)
        {
            return new ManagerDashboard(null, false, [], [], [], [], [], null, [], []);
        }

        var month = months[0];
        var (grades, bands) = await MonthFigures.GradesAsync(db, months, null, ct);
        var pay = await MonthFigures.TotalsAsync(db, months, null, ct, parts: false);
        var teamNames = await db.Teams.AsNoTracking()
            .Select(t => new { t.Id, t.Name, Supervisor = t.Supervisor != null ? t.Supervisor.Name : null })
            .ToDictionaryAsync(t => t.Id, ct);

        var teamSums = await db.Results.AsNoTracking().Where(r => r.MonthId == month.Id)
            .GroupBy(r => r.TeamId)
            .Select(g => new
            {
                TeamId = g.Key,
                People = g.Count(),
                Average = g.Where(r => r.Eligible).Average(r => r.Score),
                Plan = g.Sum(r => r.SalesPlan),
                Actual = g.Sum(r => r.SalesActual),
            })
            .ToListAsync(ct);
        var teams = teamSums
            .Select(t => new TeamFigures(t.TeamId, t.TeamId is { } id && teamNames.TryGetValue(id, out var n) ? n.Name : null,
                t.TeamId is { } sid && teamNames.TryGetValue(sid, out var s) ? s.Supervisor : null,
                t.People, t.Average is { } a ? Math.Round(a, 1, MidpointRounding.AwayFromZero) : null, t.Plan, t.Actual))
            .OrderBy(t => t.Team is null).ThenBy(t => t.Team, StringComparer.CurrentCulture).ToList();

        var review = StoredFlags.Review;
        var flagged = (await db.Results.AsNoTracking().Where(r => r.MonthId == month.Id && (r.Flags & review) != 0)
            .Select(r => new { r.PersonId, r.Person!.EmployeeNo, r.Person.Name, Team = r.Team != null ? r.Team.Name : null, r.Flags })
            .ToListAsync(ct))
            .OrderBy(r => r.EmployeeNo, StringComparer.Ordinal)
            .Select(r => new FlaggedPerson(r.PersonId, r.EmployeeNo, r.Name, r.Team, StoredFlags.ReviewNames(r.Flags).ToList()))
            .ToList();

        var policy = (await ResultPolicies.LoadAsync(db, month.PolicyVersion is { } v ? [v] : [], ct)).Values.FirstOrDefault() ?? DefaultPolicy.Instance;
        var (company, calibrations, earlier) = await CalibrateAsync(months, policy, bands, teamNames.ToDictionary(t => t.Key, t => (t.Value.Name, t.Value.Supervisor)), ct);
        return new ManagerDashboard(month, month.Status == MonthStatus.Open && month.ComputedAt is null, bands, grades, teams, pay, flagged, company, calibrations, earlier);
    }

    /// <summary>
    /// D24: each team's supervisor-sheet totals of the month, counted per total in the database (at most 101 values
    /// per team), banded with the policy's own rule (<see cref="PolicyDocument.GradeFor"/>) and compared with the
    /// company's; the team's means of the months before come from the same grouped counts.
    /// </summary>
    private async Task<(Calibration? Company, List<Calibration> Teams, List<string> Earlier)> CalibrateAsync(
        List<AppraisalMonth> months, PolicyDocument policy, IReadOnlyList<GradeBand> bands, Dictionary<int, (string Name, string? Supervisor)> teamNames, CancellationToken ct)
    {
        var ids = months.Select(m => m.Id).ToList();
        var counts = await db.Results.AsNoTracking().Where(r => ids.Contains(r.MonthId))
            .GroupBy(r => new { r.MonthId, r.TeamId, r.SupervisorTotal })
            .Select(g => new { g.Key.MonthId, g.Key.TeamId, g.Key.SupervisorTotal, Count = g.Count() })
            .ToListAsync(ct);
        var month = months[0];
        var earlier = months.Skip(1).OrderBy(m => m.Month, StringComparer.Ordinal).ToList();
        var byTeam = counts.ToLookup(c => (c.MonthId, c.TeamId), c => (c.SupervisorTotal, c.Count));
        var byMonth = counts.ToLookup(c => c.MonthId, c => (c.SupervisorTotal, c.Count));
        IEnumerable<(int Total, int Count)> Of(int monthId, int? teamId, bool company) => company ? byMonth[monthId] : byTeam[(monthId, teamId)];

        Calibration? Build(int? teamId, bool company)
        {
            var mine = Of(month.Id, teamId, company).ToList();
            var total = mine.Sum(c => c.Count);
            if (total == 0)
            {
                return null;
            }

            var banded = bands.Select(b =>
            {
                var n = mine.Where(c => policy.GradeFor(c.Total).Key == b.Key).Sum(c => c.Count);
                return new GradeCount(b.Key, b.Label.Get(Localization.L.IsEnglish), n, MonthFigures.Share(n, total));
            }).ToList();
            var before = earlier.Select(m => Mean(Of(m.Id, teamId, company))).ToList();
            var (name, supervisor) = teamId is { } id && teamNames.TryGetValue(id, out var t) ? t : (null, null);
            return new Calibration(teamId, company ? null : name, company ? null : supervisor, total, Mean(mine) ?? 0, Median(mine), banded, before);
        }

        var all = Build(null, company: true);
        var teams = counts.Where(c => c.MonthId == month.Id).Select(c => c.TeamId).Distinct()
            .Select(id => Build(id, company: false)!)
            .Select(c => c with { Difference = Math.Round(c.Mean - (all?.Mean ?? 0), 1, MidpointRounding.AwayFromZero) })
            .OrderByDescending(c => c.Difference).ThenBy(c => c.Team, StringComparer.CurrentCulture)
            .ToList();
        return (all, teams, earlier.Select(m => m.Month).ToList());
    }

    private static decimal? Mean(IEnumerable<(int Total, int Count)> counts)
    {
        var list = counts.ToList();
        var n = list.Sum(c => c.Count);
        return n == 0 ? null : Math.Round(list.Sum(c => (decimal)c.Total * c.Count) / n, 1, MidpointRounding.AwayFromZero);
    }

    /// <summary>The median of totals given as (value, how many): the middle value, or the mean of the two middle ones.</summary>
    public static decimal Median(IReadOnlyCollection<(int Total, int Count)> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var n = counts.Sum(c => c.Count);
        if (n == 0)
        {
            return 0;
        }

        decimal At(int index)
        {
            var seen = 0;
            foreach (var (total, count) in counts.OrderBy(c => c.Total))
            {
                seen += count;
                if (index < seen)
                {
                    return total;
                }
            }

            return counts.Max(c => c.Total);
        }

        return n % 2 == 1 ? At(n / 2) : (At((n / 2) - 1) + At(n / 2)) / 2;
    }
}
