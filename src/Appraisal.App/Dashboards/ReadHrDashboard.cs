using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Policy;
using Appraisal.App.Results;
using Appraisal.App.Sheets;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Dashboards;

/// <summary>One team's progress in the open month (第六条, 第七条): of its appraised agents, how many have each part done.</summary>
public sealed record TeamProgress(int? TeamId, string? Team, string? Supervisor, int Agents, int SelfSubmitted, int SupervisorSubmitted, int Facts, int Talks)
{
    public bool Done => SupervisorSubmitted == Agents && Facts == Agents && Talks == Agents;
}

/// <summary>An appraised agent with something of the open month still missing.</summary>
public sealed record LatePerson(int PersonId, string EmployeeNo, string Name, string? Team, bool NoSelf, bool NoSupervisor, bool NoFacts, bool NoTalk);

/// <summary>The counts that feed the decision lists of a confirmed month (D21), with the HR reviews still waiting.</summary>
public sealed record DecisionSummary(string Month, int Promotion, int Training, int ReviewsWaiting);

/// <summary>HR's dashboard (issue 9): the open month's progress with who is behind, the pay run totals, the decision lists.</summary>
public sealed record HrDashboard(
    AppraisalMonth? Open,
    DateOnly? Deadline,
    IReadOnlyList<TeamProgress> Teams,
    IReadOnlyList<LatePerson> Late,
    int LateCount,
    int AppealsOpen,
    IReadOnlyList<MonthTotals> PayRuns,
    DecisionSummary? Decisions)
{
    public TeamProgress Total => new(null, null, null, Teams.Sum(t => t.Agents), Teams.Sum(t => t.SelfSubmitted), Teams.Sum(t => t.SupervisorSubmitted), Teams.Sum(t => t.Facts), Teams.Sum(t => t.Talks));
}

/// <summary>
/// Reads HR's dashboard, company-wide (HR and the general manager, <see cref="ResultAccess.EnsureCompanyWide"/>).
/// Progress is counted per team in the database over the month's appraised agents
/// (<see cref="ComputeResults.AppraisedPeople"/>); the list of those behind is cut at <see cref="LateShown"/>.
/// </summary>
public sealed class ReadHrDashboard(AppDbContext db, PolicyStore policies)
{
    public const int LateShown = 20;

    public async Task<HrDashboard> ExecuteAsync(Actor actor, CancellationToken ct = default)
    {
        ResultAccess.EnsureCompanyWide(actor);
        var open = await db.Months.AsNoTracking().Where(m => m.Status == MonthStatus.Open).OrderByDescending(m => m.Month).FirstOrDefaultAsync(ct);
        var appealsOpen = await db.Appeals.CountAsync(a => a.Status == AppealStatus.Open, ct);
        var confirmed = await MonthFigures.MonthsWithResultsAsync(db, 1, onlyConfirmed: true, ct);
        var payMonths = confirmed.Concat(open is not null && await db.Results.AnyAsync(r => r.MonthId == open.Id, ct) ? [open] : []).ToList();
        var payRuns = await MonthFigures.TotalsAsync(db, payMonths, null, ct);
        var decisions = confirmed.Count == 0 ? null : await DecisionsAsync(confirmed[0], ct);
        if (open is null)
        {
            return new HrDashboard(null, null, [], [], 0, appealsOpen, payRuns, decisions);
        }

        var ym = YearMonth.Parse(open.Month);
        var deadline = WindowRules.Deadline(await policies.InForceAsync(ym, ct), ym);
        var agents = ComputeResults.Appraised(db, ym);
        var id = open.Id;
        var submitted = db.Sheets.Where(s => s.MonthId == id && s.SubmittedAt != null);
        var people = await agents.GroupBy(p => p.TeamId).Select(g => new { TeamId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.TeamId ?? 0, g => g.Count, ct);
        var sheets = await agents.Join(submitted, p => p.Id, s => s.PersonId, (p, s) => new { p.TeamId, s.Kind })
            .GroupBy(x => new { x.TeamId, x.Kind }).Select(g => new { g.Key.TeamId, g.Key.Kind, Count = g.Count() }).ToListAsync(ct);
        var facts = await agents.Join(db.Facts.Where(f => f.MonthId == id), p => p.Id, f => f.PersonId, (p, f) => p.TeamId)
            .GroupBy(t => t).Select(g => new { TeamId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.TeamId ?? 0, g => g.Count, ct);
        var talks = await agents.Join(db.FeedbackTalks.Where(t => t.MonthId == id), p => p.Id, t => t.PersonId, (p, t) => p.TeamId)
            .GroupBy(t => t).Select(g => new { TeamId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.TeamId ?? 0, g => g.Count, ct);
        var teams = await db.Teams.AsNoTracking().Select(t => new { t.Id, t.Name, Supervisor = t.Supervisor != null ? t.Supervisor.Name : null }).ToListAsync(ct);

        int Sheets(int? team, SheetKind kind) => sheets.Where(s => s.TeamId == team && s.Kind == kind).Sum(s => s.Count);
        var progress = teams.Where(t => people.ContainsKey(t.Id))
            .Select(t => new TeamProgress(t.Id, t.Name, t.Supervisor, people[t.Id], Sheets(t.Id, SheetKind.Self), Sheets(t.Id, SheetKind.Supervisor), facts.GetValueOrDefault(t.Id), talks.GetValueOrDefault(t.Id)))
            .OrderBy(t => t.Team, StringComparer.CurrentCulture)
            .ToList();
        if (people.TryGetValue(0, out var unassigned))
        {
            progress.Add(new TeamProgress(null, null, null, unassigned, Sheets(null, SheetKind.Self), Sheets(null, SheetKind.Supervisor), facts.GetValueOrDefault(0), talks.GetValueOrDefault(0)));
        }

        var late = agents.Select(p => new
        {
            p.Id,
            p.EmployeeNo,
            p.Name,
            Team = p.Team != null ? p.Team.Name : null,
            NoSelf = !submitted.Any(s => s.PersonId == p.Id && s.Kind == SheetKind.Self),
            NoSupervisor = !submitted.Any(s => s.PersonId == p.Id && s.Kind == SheetKind.Supervisor),
            NoFacts = !db.Facts.Any(f => f.MonthId == id && f.PersonId == p.Id),
            NoTalk = !db.FeedbackTalks.Any(t => t.MonthId == id && t.PersonId == p.Id),
        }).Where(x => x.NoSelf || x.NoSupervisor || x.NoFacts || x.NoTalk);
        var lateCount = await late.CountAsync(ct);
        var shown = await late.OrderBy(x => x.EmployeeNo).Take(LateShown).ToListAsync(ct);

        return new HrDashboard(open, deadline, progress,
            shown.Select(x => new LatePerson(x.Id, x.EmployeeNo, x.Name, x.Team, x.NoSelf, x.NoSupervisor, x.NoFacts, x.NoTalk)).ToList(),
            lateCount, appealsOpen, payRuns, decisions);
    }

    /// <summary>D21's counts from the grouped grades: promotion pools are the bands with a promotion (推荐, 储备), training the rest.</summary>
    private async Task<DecisionSummary> DecisionsAsync(AppraisalMonth month, CancellationToken ct)
    {
        var (grades, bands) = await MonthFigures.GradesAsync(db, [month], null, ct);
        var promotionKeys = bands.Where(b => b.Promotion is not null).Select(b => b.Key).ToHashSet(StringComparer.Ordinal);
        var counts = grades[0].Grades;
        var waiting = await db.FlagReviews.CountAsync(f => f.MonthId == month.Id && f.Decision == null, ct);
        return new DecisionSummary(month.Month, counts.Where(g => promotionKeys.Contains(g.Key)).Sum(g => g.Count), counts.Where(g => !promotionKeys.Contains(g.Key)).Sum(g => g.Count), waiting);
    }
}
