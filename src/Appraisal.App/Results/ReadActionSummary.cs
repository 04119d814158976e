using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Results;

/// <summary>A person named in a summary, with the page about them.</summary>
public sealed record SummaryPerson(int Id, string EmployeeNo, string Name);

/// <summary>
/// What confirming, publishing or reopening a month would do, read before asking once (issue 9): how many people's
/// results, the total pay, the results flagged for HR's review, who has no feedback talk yet (第七条), whether the
/// results are current, and for an upheld appeal or a reopening which sheet would unlock.
/// </summary>
public sealed record MonthActionSummary(
    string Month,
    MonthStatus Status,
    int People,
    decimal TotalPay,
    int ReviewFlags,
    bool Current,
    IReadOnlyList<SummaryPerson> MissingTalks,
    int OpenAppeals);

/// <summary>What upholding an appeal reopens: that person's supervisor sheet and, when it was confirmed, the whole month.</summary>
public sealed record AppealActionSummary(int AppealId, string Month, string EmployeeNo, string Name, bool MonthConfirmed, int People);

/// <summary>An open month that a policy approved from <c>EffectiveFrom</c> would apply to; computed ones must be computed again.</summary>
public sealed record AffectedMonth(string Month, bool Computed);

/// <summary>What approving a policy draft from a month does: the open months it applies to (第十三条).</summary>
public sealed record ApprovalSummary(string EffectiveFrom, IReadOnlyList<AffectedMonth> OpenMonths);

/// <summary>The one read behind the confirmation panels of the month's big actions; it changes nothing and rewrites no rule.</summary>
public sealed class ReadActionSummary(AppDbContext db)
{
    public async Task<MonthActionSummary> MonthAsync(Actor actor, int monthId, CancellationToken ct = default)
    {
        ResultAccess.EnsureCompanyWide(actor);
        var month = await db.Months.AsNoTracking().FirstOrDefaultAsync(m => m.Id == monthId, ct) ?? throw UserError.NotFound();
        var results = await db.Results.AsNoTracking().Where(r => r.MonthId == monthId)
            .Select(r => new { r.PersonId, r.TotalPay, r.Flags }).ToListAsync(ct);
        var talked = (await db.FeedbackTalks.AsNoTracking().Where(t => t.MonthId == monthId).Select(t => t.PersonId).ToListAsync(ct)).ToHashSet();
        var missingIds = results.Select(r => r.PersonId).Where(id => !talked.Contains(id)).ToList();
        var missing = await db.People.AsNoTracking().Where(p => missingIds.Contains(p.Id)).OrderBy(p => p.EmployeeNo)
            .Select(p => new SummaryPerson(p.Id, p.EmployeeNo, p.Name)).ToListAsync(ct);
        var openAppeals = await db.Appeals.AsNoTracking().CountAsync(a => a.MonthId == monthId && a.Status == AppealStatus.Open, ct);
        return new MonthActionSummary(
            month.Month,
            month.Status,
            results.Count,
            results.Sum(r => r.TotalPay),
            results.Count(r => StoredFlags.NeedsReview(r.Flags)),
            month.ComputedAt is not null,
            missing,
            openAppeals);
    }

    public async Task<AppealActionSummary> AppealAsync(Actor actor, int appealId, CancellationToken ct = default)
    {
        ResultAccess.EnsureCompanyWide(actor);
        var appeal = await db.Appeals.AsNoTracking().FirstOrDefaultAsync(a => a.Id == appealId, ct) ?? throw UserError.NotFound();
        var month = await db.Months.AsNoTracking().FirstAsync(m => m.Id == appeal.MonthId, ct);
        var person = await db.People.AsNoTracking().FirstAsync(p => p.Id == appeal.PersonId, ct);
        var people = await db.Results.AsNoTracking().CountAsync(r => r.MonthId == month.Id, ct);
        return new AppealActionSummary(appeal.Id, month.Month, person.EmployeeNo, person.Name, month.Status == MonthStatus.Confirmed, people);
    }

    public async Task<ApprovalSummary> ApprovalAsync(Actor actor, string? effectiveMonth, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsGeneralManager)
        {
            throw UserError.Forbidden();
        }

        var key = MonthLookup.Parse(effectiveMonth?.Trim()).ToString();
        var open = await db.Months.AsNoTracking().Where(m => m.Status == MonthStatus.Open && string.Compare(m.Month, key) >= 0)
            .OrderBy(m => m.Month).Select(m => new AffectedMonth(m.Month, m.ComputedAt != null)).ToListAsync(ct);
        return new ApprovalSummary(key, open);
    }
}
