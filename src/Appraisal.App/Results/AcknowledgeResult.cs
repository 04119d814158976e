using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Results;

/// <summary>The employee acknowledges their own published result, once (D16).</summary>
public sealed class AcknowledgeResult(AppDbContext db, AuditLog audit, CompanyClock clock)
{
    /// <param name="personId">The person acknowledging, when the caller names one (the API's URL): only they do (D16).</param>
    public async Task ExecuteAsync(Actor actor, int monthId, int? personId, CancellationToken ct = default)
    {
        var me = ResultAccess.EnsureOwn(actor, personId);

        var month = await db.Months.AsNoTracking().FirstOrDefaultAsync(m => m.Id == monthId, ct) ?? throw UserError.NotFound();
        if (month.Status != MonthStatus.Confirmed)
        {
            throw new UserError($"{month.Month} 的结果尚未确认发布，无法确认", $"the {month.Month} results are not published yet", 409);
        }

        if (!await db.Results.AnyAsync(r => r.MonthId == monthId && r.PersonId == me, ct))
        {
            throw new UserError($"您没有 {month.Month} 的考核结果", $"you have no result for {month.Month}", 404);
        }

        if (await db.Acknowledgements.AnyAsync(a => a.MonthId == monthId && a.PersonId == me, ct))
        {
            throw new UserError($"您已确认过 {month.Month} 的结果", $"you have already acknowledged your {month.Month} result", 409);
        }

        db.Acknowledgements.Add(new Acknowledgement { MonthId = monthId, PersonId = me, At = clock.UtcNow });
        audit.Record(actor.UserName, "result.acknowledge", month.Month, me);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The unique (month, person) index: a second click that raced the first.
            throw new UserError($"您已确认过 {month.Month} 的结果", $"you have already acknowledged your {month.Month} result", 409);
        }
    }
}
