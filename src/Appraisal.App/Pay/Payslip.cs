using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Results;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Pay;

/// <summary>One person's pay for one month with every component traceable to its rule (第八条–第十一条, D6–D12).</summary>
public sealed class Payslip
{
    public required AppraisalMonth Month { get; init; }

    public required int PersonId { get; init; }

    public required string EmployeeNo { get; init; }

    public required string Name { get; init; }

    public string? Team { get; init; }

    public required StoredResult Result { get; init; }

    /// <summary>The version that computed the result (D18), for every label and rule below.</summary>
    public required PolicyDocument Policy { get; init; }

    /// <summary>The grade of the score; null when excluded (D15).</summary>
    public GradeBand? Grade { get; init; }

    /// <summary>The band that pays: the grade, or the last appraised month's for an excluded employee (D7, D15).</summary>
    public required GradeBand Level { get; init; }

    public required CommissionTier Tier { get; init; }

    public required IReadOnlyList<PayAdjustment> Adjustments { get; init; }

    public int EligibleCount { get; init; }

    public DateTime? AcknowledgedAt { get; init; }

    public required IReadOnlyList<Appeal> Appeals { get; init; }

    /// <summary>The viewer is the employee themself (only they acknowledge and appeal, D16).</summary>
    public bool IsSelf { get; init; }

    /// <summary>The end of the appeal window (D16), null while the month is not confirmed.</summary>
    public DateTime? AppealDeadline { get; init; }

    /// <summary>The last company day of the appeal window (<see cref="AppealWindow.LastDay"/>), as people are told it.</summary>
    public DateOnly? AppealLastDay { get; init; }

    /// <summary>Another of the employee's appeals is still open (one at a time).</summary>
    public bool HasOpenAppeal { get; init; }

    public bool AppealWindowOpen { get; init; }

    public bool Confirmed => Month.Status == MonthStatus.Confirmed;

    public bool CanAcknowledge => IsSelf && Confirmed && AcknowledgedAt is null;

    public bool CanAppeal => IsSelf && Confirmed && AppealWindowOpen && !HasOpenAppeal;
}

/// <summary>The commission tier (第九条, D8) a stored result was paid with, for the payslip and the pay run alike.</summary>
public static class PaidTier
{
    public static CommissionTier Of(PolicyDocument policy, decimal plan, decimal actual, decimal paidRate)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var tier = policy.Commission.TierFor(plan, actual);

        // The stored rate is what was paid; a document that disagrees must not rewrite it.
        return tier.Rate == paidRate ? tier : policy.Commission.Tiers.FirstOrDefault(t => t.Rate == paidRate) ?? new CommissionTier(null, paidRate);
    }
}

/// <summary>
/// The appeal window of D16: <c>Process.AppealDays</c> days from the general manager's confirmation, counted in the
/// company's days (D23) and ending when the last of them ends — confirmed on 6 December (company time) with 7 days,
/// an appeal may be filed until the end of 13 December, whatever the hour of the confirmation.
/// </summary>
public static class AppealWindow
{
    /// <summary>The last company day on which an appeal may be filed, or null while the month is not confirmed.</summary>
    public static DateOnly? LastDay(AppraisalMonth month, PolicyDocument policy, CompanyClock clock)
    {
        ArgumentNullException.ThrowIfNull(month);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(clock);
        return month.Status == MonthStatus.Confirmed && month.ConfirmedAt is { } at
            ? DateOnly.FromDateTime(clock.Local(at).DateTime).AddDays(policy.Process.AppealDays)
            : null;
    }

    /// <summary>The UTC instant the window closes (the start of the day after <see cref="LastDay"/> in company time), or null.</summary>
    public static DateTime? Deadline(AppraisalMonth month, PolicyDocument policy, CompanyClock clock) =>
        LastDay(month, policy, clock) is { } last ? clock.StartOfDayUtc(last.AddDays(1)) : null;
}

/// <summary>
/// Reads a payslip under <see cref="PayAccess"/> (D16, D19): the employee their own, their supervisor, HR and
/// the general manager, once the month is published (HR and the general manager before that too). Every
/// read of another person's pay is audited as <c>pay.read</c>.
/// </summary>
public sealed class ReadPayslip(AppDbContext db, PayAccess access, CompanyClock clock)
{
    public async Task<Payslip> ExecuteAsync(Actor actor, YearMonth monthKey, int personId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var month = await MonthLookup.GetAsync(db, monthKey, ct);
        var isSelf = actor.PersonId == personId;
        await access.EnsureAsync(actor, month, personId, ct);

        var person = await db.People.AsNoTracking().Where(p => p.Id == personId)
            .Select(p => new { p.EmployeeNo, p.Name, Team = p.Team != null ? p.Team.Name : null })
            .FirstOrDefaultAsync(ct) ?? throw UserError.NotFound();
        var result = await db.Results.AsNoTracking().FirstOrDefaultAsync(r => r.MonthId == month.Id && r.PersonId == personId, ct)
            ?? throw new UserError($"{person.Name} 没有 {month.Month} 的计算结果", $"{person.Name} has no computed result for {month.Month}", 404);

        var policy = await ResultPolicies.LoadAsync(db, result.PolicyVersion, ct);
        var tier = PaidTier.Of(policy, result.SalesPlan, result.SalesActual, result.CommissionRate);

        var adjustments = await db.PayAdjustments.AsNoTracking().Where(a => a.MonthId == month.Id && a.PersonId == personId)
            .OrderBy(a => a.At).ToListAsync(ct);
        var acknowledged = await db.Acknowledgements.AsNoTracking().Where(a => a.MonthId == month.Id && a.PersonId == personId)
            .Select(a => (DateTime?)a.At).FirstOrDefaultAsync(ct);
        var appeals = await db.Appeals.AsNoTracking().Where(a => a.PersonId == personId).OrderByDescending(a => a.At).ToListAsync(ct);
        var eligible = result.Eligible ? await db.Results.CountAsync(r => r.MonthId == month.Id && r.Eligible, ct) : 0;
        var deadline = AppealWindow.Deadline(month, policy, clock);

        await access.RecordReadAsync(actor, [personId], month.Month, personId, "payslip", ct);

        return new Payslip
        {
            Month = month,
            PersonId = personId,
            EmployeeNo = person.EmployeeNo,
            Name = person.Name,
            Team = person.Team,
            Result = result,
            Policy = policy,
            Grade = result.GradeKey is null ? null : policy.FindGrade(result.GradeKey),
            Level = policy.FindGrade(result.LevelKey) ?? policy.LowestGrade,
            Tier = tier,
            Adjustments = adjustments,
            EligibleCount = eligible,
            AcknowledgedAt = acknowledged,
            Appeals = appeals.Where(a => a.MonthId == month.Id).ToList(),
            IsSelf = isSelf,
            AppealDeadline = deadline,
            AppealLastDay = AppealWindow.LastDay(month, policy, clock),
            HasOpenAppeal = appeals.Exists(a => a.Status == AppealStatus.Open),
            AppealWindowOpen = deadline is { } d && clock.UtcNow < d,
        };
    }
}
