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
}
