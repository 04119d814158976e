using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.Pay;
using Appraisal.App.People;
using Appraisal.App.Sheets;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Results;

/// <summary>An appeal with who filed it, for the lists of HR and the general manager.</summary>
public sealed record AppealRow(Appeal Appeal, string Month, string EmployeeNo, string Name, string? Team);

/// <summary>Every appeal (D16) with who filed it, for HR and the general manager (<see cref="ResultAccess.EnsureCompanyWide"/>).</summary>
public sealed class ReadAppeals(AppDbContext db)
{
    /// <summary>All appeals, or the one with <paramref name="id"/>, unordered.</summary>
    public async Task<List<AppealRow>> ExecuteAsync(Actor actor, int? id = null, CancellationToken ct = default)
    {
        ResultAccess.EnsureCompanyWide(actor);
        var query = db.Appeals.AsNoTracking();
        if (id is { } one)
        {
            query = query.Where(a => a.Id == one);
        }

        return await query
            .Join(db.Months, a => a.MonthId, m => m.Id, (a, m) => new { a, m.Month })
            .Join(db.People, x => x.a.PersonId, p => p.Id, (x, p) => new AppealRow(x.a, x.Month, p.EmployeeNo, p.Name, p.Team != null ? p.Team.Name : null))
            .ToListAsync(ct);
    }
}

/// <summary>
/// The employee appeals (复议) their own published result within the policy's appeal days of the
/// confirmation (D16), with a reason; one open appeal at a time.
/// </summary>
public sealed class FileAppeal(AppDbContext db, AuditLog audit, CompanyClock clock, Reminders.Outbox outbox)
{
    public const int MaxReasonLength = 2000;

    /// <param name="personId">The person the appeal is for, when the caller names one (the API's URL): only they appeal (D16).</param>
    public async Task<Appeal> ExecuteAsync(Actor actor, int monthId, int? personId, string? reason, CancellationToken ct = default)
    {
        var me = ResultAccess.EnsureOwn(actor, personId);

        var text = reason?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            throw new UserError("请填写复议理由", "give a reason for the appeal");
        }

        if (text.Length > MaxReasonLength)
        {
            throw new UserError($"复议理由不能超过 {MaxReasonLength} 字", $"the reason may have at most {MaxReasonLength} characters");
        }

        var month = await db.Months.AsNoTracking().FirstOrDefaultAsync(m => m.Id == monthId, ct) ?? throw UserError.NotFound();
        if (month.Status != MonthStatus.Confirmed)
        {
            throw new UserError($"{month.Month} 的结果尚未确认发布，无法复议", $"the {month.Month} results are not published; nothing to appeal yet", 409);
        }

        var version = await db.Results.Where(r => r.MonthId == monthId && r.PersonId == me).Select(r => r.PolicyVersion).FirstOrDefaultAsync(ct)
            ?? throw new UserError($"您没有 {month.Month} 的考核结果", $"you have no result for {month.Month}", 404);
        var policy = await ResultPolicies.LoadAsync(db, version, ct);
        var deadline = AppealWindow.Deadline(month, policy, clock)!.Value;
        if (clock.UtcNow >= deadline)
        {
            var last = Localization.L.Date(AppealWindow.LastDay(month, policy, clock));
            throw new UserError($"复议期限（确认后 {policy.Process.AppealDays} 天）已于 {last} 当日结束时截止",
                $"the appeal period ({policy.Process.AppealDays} days after confirmation) ended at the end of {last}", 409);
        }

        var open = await db.Appeals.Where(a => a.PersonId == me && a.Status == AppealStatus.Open)
            .Join(db.Months, a => a.MonthId, m => m.Id, (a, m) => m.Month).FirstOrDefaultAsync(ct);
        if (open is not null)
        {
            throw new UserError($"您对 {open} 的复议尚在处理中；一次只能有一项未决复议", $"your appeal for {open} is still open; one open appeal at a time", 409);
        }

        var appeal = new Appeal { MonthId = monthId, PersonId = me, Reason = text, At = clock.UtcNow, Status = AppealStatus.Open };
        await outbox.AppealFiledAsync(month, me, appeal.At, ct);
        db.Appeals.Add(appeal);
        audit.Record(actor.UserName, "appeal.file", month.Month, me, text);
        await db.SaveChangesAsync(ct);
        return appeal;
    }
}

/// <summary>
/// HR or the general manager decides an appeal with a note (D16). Upheld: that one supervisor sheet is
/// reopened, the month goes back to Open and its results are stale until recomputed and confirmed again.
/// Rejected: the note only.
/// </summary>
public sealed class DecideAppeal(AppDbContext db, AuditLog audit, CompanyClock clock)
{
    public async Task ExecuteAsync(Actor actor, int appealId, bool upheld, string? note, int expectedVersion, CancellationToken ct = default)
    {
        ResultAccess.EnsureCompanyWide(actor);
        var text = note?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            throw new UserError("请填写处理意见", "write a note with the decision");
        }

        if (text.Length > FileAppeal.MaxReasonLength)
        {
            throw new UserError($"处理意见不能超过 {FileAppeal.MaxReasonLength} 字", $"the note may have at most {FileAppeal.MaxReasonLength} characters");
        }

        var appeal = await db.Appeals.FindAsync([appealId], ct) ?? throw UserError.NotFound();
        if (appeal.Version != expectedVersion)
        {
            throw UserError.Conflict();
        }

        if (appeal.Status != AppealStatus.Open)
        {
            throw new UserError("该复议已处理", "this appeal has already been decided", 409);
        }

        var month = await db.Months.FindAsync([appeal.MonthId], ct) ?? throw UserError.NotFound();
        appeal.Status = upheld ? AppealStatus.Upheld : AppealStatus.Rejected;
        appeal.Decision = text;
        appeal.DecidedBy = actor.UserName;
        appeal.DecidedAt = clock.UtcNow;
        if (upheld)
        {
            // D16: an upheld appeal reopens that one sheet; the month must be recomputed and confirmed again.
            await SheetLock.ReopenSupervisorSheetAsync(db, month.Id, appeal.PersonId, ct);
            month.Status = MonthStatus.Open;
            month.ConfirmedAt = null;
            month.ConfirmedBy = null;
            month.ComputedAt = null;
            month.DataVersion++;

            // The acknowledgement was of the result being changed: the employee acknowledges the new one.
            // Removed in the same save as the decision, so that a refused save leaves it in place.
            db.Acknowledgements.RemoveRange(await db.Acknowledgements.Where(a => a.MonthId == month.Id && a.PersonId == appeal.PersonId).ToListAsync(ct));
        }

        audit.Record(actor.UserName, upheld ? "appeal.uphold" : "appeal.reject", month.Month, appeal.PersonId, text);
        await db.SaveOrConflictAsync(ct);
    }
}
