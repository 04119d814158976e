using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Results;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Dashboards;

/// <summary>One member's published scores, one per month of <see cref="SupervisorDashboard.Months"/> (null: no result that month).</summary>
public sealed record MemberTrend(int PersonId, string EmployeeNo, string Name, IReadOnlyList<decimal?> Scores, string? LastGrade)
{
    /// <summary>The newest score against the one before it, when both exist.</summary>
    public decimal? Change => Scores.Count >= 2 && Scores[^1] is { } now && Scores[^2] is { } before ? now - before : null;
}

/// <summary>
/// A supervisor's dashboard (issue 9): the open month's progress of their teams, and their members' published
/// scores month by month, with the team's average.
/// </summary>
public sealed record SupervisorDashboard(
    AppraisalMonth? Open,
    IReadOnlyList<TeamProgress> Progress,
    decimal? OwnAverageOpen,
    IReadOnlyList<string> Months,
    IReadOnlyList<decimal?> TeamAverage,
    IReadOnlyList<decimal?> OwnAverage,
    IReadOnlyList<MemberTrend> Members);

/// <summary>
/// Reads a supervisor's dashboard. The open month's progress is <see cref="ReadTeamProgress"/> (its rule: a supervisor
/// sees the teams they lead); scores are only of published months and only of the people <see cref="ResultAccess"/>
/// shows them (D16, D19). The supervisor's own average is of the supervisor sheets they submitted, which are theirs to
/// see in an open month too. No pay is read.
/// </summary>
public sealed class ReadSupervisorDashboard(AppDbContext db, ReadTeamProgress progress, ResultAccess results)
{
    public const int Months = 6;

    public async Task<SupervisorDashboard> ExecuteAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsSupervisor || actor.PersonId is not { } me)
        {
            throw UserError.Forbidden();
        }

        var open = await db.Months.AsNoTracking().Where(m => m.Status == MonthStatus.Open).OrderByDescending(m => m.Month).FirstOrDefaultAsync(ct);
        List<TeamProgress> teams = [];
        decimal? ownOpen = null;
        if (open is not null)
        {
            var (_, blocks) = await progress.ExecuteAsync(actor, open.Month, ct);
            teams = blocks.Select(b => new TeamProgress(b.Id, b.Name, b.SupervisorName, b.Members.Count,
                b.Members.Count(m => m.Self.Submitted), b.Members.Count(m => m.Supervisor.Submitted), 0, b.Members.Count(m => m.Talk is not null))).ToList();
            var totals = blocks.SelectMany(b => b.Members).Where(m => m.Supervisor.Total is not null).Select(m => (decimal)m.Supervisor.Total!.Value).ToList();
            ownOpen = totals.Count == 0 ? null : Round(totals.Average());
        }

        var months = (await MonthFigures.MonthsWithResultsAsync(db, Months, onlyConfirmed: true, ct)).OrderBy(m => m.Month, StringComparer.Ordinal).ToList();
        var rows = new List<(int MonthIndex, int PersonId, string EmployeeNo, string Name, decimal? Score, int SupervisorTotal, string PolicyVersion, string? GradeKey)>();
        for (var i = 0; i < months.Count; i++)
        {
            var visible = (await results.VisibleAsync(actor, months[i], ct))?.Where(id => id != me).ToList();
            var monthId = months[i].Id;
            var query = db.Results.AsNoTracking().Where(r => r.MonthId == monthId);
            if (visible is not null)
            {
                query = query.Where(r => visible.Contains(r.PersonId));
            }

            var index = i;
            rows.AddRange((await query.Select(r => new { r.PersonId, r.Person!.EmployeeNo, r.Person.Name, r.Score, r.SupervisorTotal, r.PolicyVersion, r.GradeKey }).ToListAsync(ct))
                .Select(r => (index, r.PersonId, r.EmployeeNo, r.Name, r.Score, r.SupervisorTotal, r.PolicyVersion, r.GradeKey)));
        }

        var labels = new GradeLabels(await ResultPolicies.LoadAsync(db, rows.Select(r => r.PolicyVersion), ct));
        var members = rows.GroupBy(r => r.PersonId)
            .Select(g =>
            {
                var last = g.MaxBy(r => r.MonthIndex);
                return new MemberTrend(g.Key, last.EmployeeNo, last.Name,
                    Enumerable.Range(0, months.Count).Select(i => g.Where(r => r.MonthIndex == i).Select(r => r.Score).FirstOrDefault()).ToList(),
                    last.MonthIndex == months.Count - 1 ? labels.Grade(last.PolicyVersion, last.GradeKey) : null);
            })
            .OrderBy(m => m.EmployeeNo, StringComparer.Ordinal).ToList();
        var average = Enumerable.Range(0, months.Count)
            .Select(i => rows.Where(r => r.MonthIndex == i && r.Score is not null).Select(r => r.Score!.Value).ToList() is { Count: > 0 } s ? Round(s.Average()) : (decimal?)null).ToList();
        var own = Enumerable.Range(0, months.Count)
            .Select(i => rows.Where(r => r.MonthIndex == i).Select(r => (decimal)r.SupervisorTotal).ToList() is { Count: > 0 } s ? Round(s.Average()) : (decimal?)null).ToList();
        return new SupervisorDashboard(open, teams, ownOpen, months.Select(m => m.Month).ToList(), average, own, members);
    }

    private static decimal Round(decimal value) => Math.Round(value, 1, MidpointRounding.AwayFromZero);
}
