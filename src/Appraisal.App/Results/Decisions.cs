using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.Pay;
using Appraisal.App.People;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Results;

/// <summary>A person in a decision list with the grade that put them there.</summary>
public sealed record DecisionPerson(int PersonId, string EmployeeNo, string Name, string? Team, decimal? Score, int? Rank, GradeBand Grade);

/// <summary>A change of job level or position salary against the month before (第八条 岗位工资调整).</summary>
public sealed record PayChange(int PersonId, string EmployeeNo, string Name, string? Team, GradeBand Before, decimal SalaryBefore, GradeBand After, decimal SalaryAfter)
{
    /// <summary>+1 up, −1 down, 0 when only the level's name changed.</summary>
    public int Direction => Math.Sign(SalaryAfter - SalaryBefore) is var s && s != 0 ? s : 0;
}

/// <summary>A review of the month in the decision lists.</summary>
public sealed record DecisionReview(int PersonId, string EmployeeNo, string Name, string? Team, string Flag, string? Decision, int Steps);

/// <summary>The lists of D21 for one confirmed month.</summary>
public sealed class Decisions
{
    public required AppraisalMonth Month { get; init; }

    /// <summary>The calendar month before, when it has results to compare pay with.</summary>
    public string? PreviousMonth { get; init; }

    /// <summary>Grades whose 职位晋升 is 推荐 or 储备 (第八条).</summary>
    public required IReadOnlyList<DecisionPerson> Promotion { get; init; }

    /// <summary>Grades below the promotion pools, with their 所需培训程度 (较强 / 强 / 很强, 第八条), greatest need first.</summary>
    public required IReadOnlyList<DecisionPerson> Training { get; init; }

    public required IReadOnlyList<PayChange> PayChanges { get; init; }

    public required IReadOnlyList<DecisionReview> Reviews { get; init; }
}

/// <summary>
/// Reads the decision lists of D21 (第一条: results feed pay, training, promotion and job-change decisions)
/// for a confirmed month; HR and the general manager only. The pay-change list reads other people's pay,
/// so each view or download is audited (D19).
/// </summary>
public sealed class ReadDecisions(AppDbContext db, PayAccess pay)
{
    public static readonly IReadOnlyList<string> Lists = ["promotion", "training", "pay", "reviews"];

    public async Task<Decisions> ExecuteAsync(Actor actor, YearMonth monthKey, string purpose, CancellationToken ct = default)
    {
        ResultAccess.EnsureCompanyWide(actor);
        var month = await MonthLookup.GetAsync(db, monthKey, ct);
        if (month.Status != MonthStatus.Confirmed)
        {
            throw new UserError($"{month.Month} 尚未确认；决策清单只针对已确认的月份（第一条、第八条）", $"{month.Month} is not confirmed; decision lists are for confirmed months (第一条, 第八条)", 409);
        }

        var previousKey = monthKey.Previous.ToString();
        var previous = (await MonthLookup.FindAsync(db, monthKey.Previous, ct))?.Id;
        var monthIds = previous is { } p ? new[] { month.Id, p } : [month.Id];
        var rows = await db.Results.AsNoTracking().Where(r => monthIds.Contains(r.MonthId))
            .Select(r => new
            {
                r.MonthId,
                r.PersonId,
                r.Person!.EmployeeNo,
                r.Person.Name,
                Team = r.Team != null ? r.Team.Name : null,
                r.PolicyVersion,
                r.Eligible,
                r.Score,
                r.Rank,
                r.GradeKey,
                r.LevelKey,
                r.PositionSalary,
            })
            .ToListAsync(ct);
        var labels = new GradeLabels(await ResultPolicies.LoadAsync(db, rows.Select(r => r.PolicyVersion), ct));
        var current = rows.Where(r => r.MonthId == month.Id).ToList();
        var before = rows.Where(r => r.MonthId == previous).ToDictionary(r => r.PersonId);

        var graded = current.Where(r => r.Eligible && labels.Band(r.PolicyVersion, r.GradeKey) is not null)
            .Select(r => new DecisionPerson(r.PersonId, r.EmployeeNo, r.Name, r.Team, r.Score, r.Rank, labels.Band(r.PolicyVersion, r.GradeKey)!))
            .ToList();

        // The seed's 第八条 bands are ordered from the top; promotion pools first, then training needs from the greatest.
        var promotion = graded.Where(d => d.Grade.Promotion is not null)
            .OrderByDescending(d => d.Grade.MinScore).ThenByDescending(d => d.Score).ThenBy(d => d.EmployeeNo, StringComparer.Ordinal).ToList();
        var training = graded.Where(d => d.Grade.Promotion is null)
            .OrderBy(d => d.Grade.MinScore).ThenBy(d => d.Score).ThenBy(d => d.EmployeeNo, StringComparer.Ordinal).ToList();

        var changes = new List<PayChange>();
        foreach (var r in current.OrderBy(r => r.EmployeeNo, StringComparer.Ordinal))
        {
            if (before.TryGetValue(r.PersonId, out var b) && (b.LevelKey != r.LevelKey || b.PositionSalary != r.PositionSalary)
                && labels.Band(b.PolicyVersion, b.LevelKey) is { } from && labels.Band(r.PolicyVersion, r.LevelKey) is { } to)
            {
                changes.Add(new PayChange(r.PersonId, r.EmployeeNo, r.Name, r.Team, from, b.PositionSalary, to, r.PositionSalary));
            }
        }

        var reviews = await db.FlagReviews.AsNoTracking().Where(f => f.MonthId == month.Id)
            .Join(db.People, f => f.PersonId, p => p.Id, (f, p) => new DecisionReview(f.PersonId, p.EmployeeNo, p.Name, p.Team != null ? p.Team.Name : null, f.Flag, f.Decision, f.Steps.Count))
            .ToListAsync(ct);

        await pay.RecordReadAsync(actor, changes.Select(c => c.PersonId), month.Month, null, $"decision lists ({purpose}), {changes.Count} pay changes", ct);

        return new Decisions
        {
            Month = month,
            PreviousMonth = previous is null ? null : previousKey,
            Promotion = promotion,
            Training = training,
            PayChanges = changes,
            Reviews = reviews.OrderBy(r => r.EmployeeNo, StringComparer.Ordinal).ThenBy(r => r.Flag, StringComparer.Ordinal).ToList(),
        };
    }
}
