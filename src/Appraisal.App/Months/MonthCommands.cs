using Appraisal.Core.Months;
using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.People;
using Appraisal.App.Results;
using Appraisal.App.Sheets;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query;

namespace Appraisal.App.Months;

/// <summary>HR opens a month for appraisal (D16).</summary>
public sealed class OpenMonth(AppDbContext db, AuditLog audit, TimeProvider clock)
{
    public async Task<AppraisalMonth> ExecuteAsync(Actor actor, string monthText, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsHr)
        {
            throw UserError.Forbidden();
        }

        if (!YearMonth.TryParse(monthText, out var month))
        {
            throw new UserError($"月份“{monthText}”无效，应为 YYYY-MM", $"month \"{monthText}\" is not valid; expected YYYY-MM");
        }

        var key = month.ToString();
        if (await db.Months.AnyAsync(m => m.Month == key, ct))
        {
            throw new UserError($"{key} 已经开启", $"{key} is already open", 409);
        }

        var row = new AppraisalMonth { Month = key, Status = MonthStatus.Open, OpenedAt = clock.GetUtcNow().UtcDateTime, OpenedBy = actor.UserName };
        db.Months.Add(row);
        audit.Record(actor.UserName, "month.open", key);
        await db.SaveChangesAsync(ct);
        return row;
    }
}

/// <summary>
/// The general manager confirms a month (总经理确认, D16): results must be computed and current, and
/// every feedback talk recorded. Confirmation publishes and locks the month and queues HR reviews (D13).
/// The month's update is conditional on its Version and DataVersion as read: a computation or a change of
/// the data between the check and the save refuses the confirmation (409), so a month is never confirmed on
/// stale or missing results.
/// </summary>
public sealed class ConfirmMonth(AppDbContext db, AuditLog audit, TimeProvider clock, Reminders.Outbox outbox)
{
    public async Task ExecuteAsync(Actor actor, int monthId, int expectedVersion, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsGeneralManager)
        {
            throw UserError.Forbidden();
        }

        var month = await db.Months.FindAsync([monthId], ct) ?? throw UserError.NotFound();
        if (month.Version != expectedVersion)
        {
            throw UserError.Conflict();
        }

        if (month.Status != MonthStatus.Open)
        {
            throw new UserError($"{month.Month} 已确认", $"{month.Month} is already confirmed", 409);
        }

        var results = await db.Results.Where(r => r.MonthId == monthId).Select(r => new { r.PersonId, r.Flags }).ToListAsync(ct);
        var appraised = await ComputeResults.AppraisedPeopleAsync(db, YearMonth.Parse(month.Month), ct);
        if (month.ComputedAt is null || !results.Select(r => r.PersonId).ToHashSet().SetEquals(appraised.Select(p => p.Id)))
        {
            // Stale (data changed since) or not matching the people appraised now (someone hired, left or moved role since).
            throw new UserError("请先计算结果（数据变更后须重新计算）", "compute the results first (data changed since the last computation)", 409);
        }

        var talked = await db.FeedbackTalks.Where(t => t.MonthId == monthId).Select(t => t.PersonId).ToListAsync(ct);
        var missingTalks = results.Select(r => r.PersonId).Except(talked).ToList();
        if (missingTalks.Count > 0)
        {
            var people = await db.People.Where(p => missingTalks.Contains(p.Id)).OrderBy(p => p.EmployeeNo)
                .Select(p => new { p.Id, p.Name, p.EmployeeNo }).ToListAsync(ct);
            var names = people.Select(p => p.Name).ToList();
            throw new UserError($"以下员工尚未记录绩效面谈（第七条）：{string.Join("、", names)}；记录后再确认",
                $"no feedback talk recorded yet (第七条) for: {string.Join(", ", names)}; record them, then confirm")
            {
                // Each person with the team page, where their supervisor records the talk.
                Errors = people.Select(p => new ApiError(
                    $"{p.EmployeeNo}.feedbackTalk",
                    $"{p.Name}（{p.EmployeeNo}）：尚未记录绩效面谈",
                    $"{p.Name} ({p.EmployeeNo}): no feedback talk recorded")
                {
                    Links = [new ErrorLink($"/Months/Team?month={month.Month}#talk-date-{p.Id}", "去组员页面记录面谈", "Record it on the team page")],
                }).ToList(),
            };
        }

        var now = clock.GetUtcNow().UtcDateTime;
        month.Status = MonthStatus.Confirmed;
        month.ConfirmedAt = now;
        month.ConfirmedBy = actor.UserName;

        // D13: each 自动请辞 flag becomes an HR review; nobody is ever marked resigned by the product.
        var existing = await db.FlagReviews.Where(f => f.MonthId == monthId).Select(f => new { f.PersonId, f.Flag }).ToListAsync(ct);
        foreach (var r in results)
        {
            foreach (var flag in StoredFlags.ReviewNames(r.Flags))
            {
                if (!existing.Any(e => e.PersonId == r.PersonId && e.Flag == flag))
                {
                    db.FlagReviews.Add(new FlagReview { MonthId = monthId, PersonId = r.PersonId, Flag = flag });
                }
            }
        }

        // Issue 9: each agent learns of the published result and the appeal period, in this same save.
        await outbox.PublishedAsync(month, [.. results.Select(r => r.PersonId)], ct);
        audit.Record(actor.UserName, "month.confirm", month.Month);
        await db.SaveOrConflictAsync(ct, MonthRules.ChangedMeanwhile(month));
    }
}

/// <summary>
/// Reopening a confirmed month needs the general manager and a reason, and is audited (D16). The month's
/// results become stale: they must be computed again before the next confirmation.
/// </summary>
public sealed class ReopenMonth(AppDbContext db, AuditLog audit)
{
    public const int MaxReasonLength = 500;

    public async Task ExecuteAsync(Actor actor, int monthId, string reason, int? sheetPersonId, int expectedVersion, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsGeneralManager)
        {
            throw UserError.Forbidden();
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new UserError("重新开启须填写原因", "a reason is required to reopen");
        }

        if (reason.Trim().Length > MaxReasonLength)
        {
            throw new UserError($"重新开启的原因最多 {MaxReasonLength} 字", $"the reason to reopen may have at most {MaxReasonLength} characters");
        }

        var month = await db.Months.FindAsync([monthId], ct) ?? throw UserError.NotFound();
        if (month.Version != expectedVersion)
        {
            throw UserError.Conflict();
        }

        if (month.Status != MonthStatus.Confirmed)
        {
            throw new UserError($"{month.Month} 尚未确认，无需重新开启", $"{month.Month} is not confirmed; nothing to reopen", 409);
        }

        month.Status = MonthStatus.Open;
        month.ComputedAt = null;
        month.DataVersion++;
        month.ConfirmedAt = null;
        month.ConfirmedBy = null;
        if (sheetPersonId is { } personId)
        {
            await SheetLock.ReopenSupervisorSheetAsync(db, monthId, personId, ct);
        }

        audit.Record(actor.UserName, "month.reopen", month.Month, sheetPersonId, reason.Trim());
        await db.SaveOrConflictAsync(ct, MonthRules.ChangedMeanwhile(month));
    }
}

/// <summary>Whether a month still takes changes, and the deadline of its appraisal window (第六条, D17).</summary>
public static class MonthRules
{
    public static void EnsureOpen(AppraisalMonth month)
    {
        ArgumentNullException.ThrowIfNull(month);
        if (month.Status != MonthStatus.Open)
        {
            throw Locked(month);
        }
    }

    /// <summary>
    /// Records, inside the caller's transaction, that data the results are computed from changed (a submitted
    /// sheet, facts, an adjustment, the policy in force): the month's <see cref="AppraisalMonth.DataVersion"/>
    /// goes up by one in SQL and its results become stale (D16). The update holds the month's row until the
    /// caller commits, so that a computation or a confirmation of the month waits for it or fails on it; two
    /// people entering data never conflict with each other. A month confirmed meanwhile refuses the change.
    /// </summary>
    public static Task DataChangedAsync(AppDbContext db, AppraisalMonth month, CancellationToken ct) =>
        UpdateIfOpenAsync(db, month, s => s.SetProperty(m => m.DataVersion, m => m.DataVersion + 1).SetProperty(m => m.ComputedAt, (DateTime?)null), ct);

    /// <summary>
    /// For a change that does not touch the results (a draft): holds the month's row, inside the caller's
    /// transaction, and refuses when the month was confirmed since it was read.
    /// </summary>
    public static Task HoldOpenAsync(AppDbContext db, AppraisalMonth month, CancellationToken ct) =>
        UpdateIfOpenAsync(db, month, s => s.SetProperty(m => m.Status, m => m.Status), ct);

    /// <summary>
    /// Saves the tracked changes of a command on an open month in one transaction with the month's
    /// <see cref="DataChangedAsync"/> (<paramref name="changesResults"/>) or <see cref="HoldOpenAsync"/>; a lost
    /// race (a row changed or created by someone else first) becomes <paramref name="conflict"/>, a 409.
    /// </summary>
    /// <param name="insert">New rows the command writes itself with <see cref="BulkInsert.InsertAsync{T}"/>, in the transaction before SaveChanges.</param>
    public static async Task SaveChangeAsync(AppDbContext db, AppraisalMonth month, bool changesResults, CancellationToken ct, UserError? conflict = null,
        Func<CancellationToken, Task>? insert = null)
    {
        ArgumentNullException.ThrowIfNull(db);

        // Inside a caller's transaction (an import of many rows) the change commits with it.
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;

        // Many new facts at once (an imported file) and their audit entries: multi-row inserts, not one statement per row.
        try
        {
            if (insert is not null)
            {
                await insert(ct);
            }

            await db.InsertAddedAsync<MonthFacts>(ct);
            await db.InsertAddedAsync<Audit.AuditEntry>(ct);
        }
        catch (DbUpdateException ex) when (DbConflicts.IsConflict(ex))
        {
            throw conflict ?? UserError.Conflict();
        }

        await db.SaveOrConflictAsync(ct, conflict);

        // The month's row last (issue 10 §1): it is held from here to the commit, the one row every save of the month
        // shares, so it is held for one statement and the commit, not for the whole change — on PostgreSQL the company's
        // saves queued behind each other's round trips otherwise (p99 25 s, timeouts, in the rush of 200 agents). A month
        // confirmed meanwhile still refuses the change, which then rolls back whole.
        if (changesResults)
        {
            await DataChangedAsync(db, month, ct);
        }
        else
        {
            await HoldOpenAsync(db, month, ct);
        }

        if (tx is not null)
        {
            await tx.CommitAsync(ct);
        }
    }

    /// <summary>The month's state changed between reading it and writing (another computation, a change of its data, a confirmation).</summary>
    public static UserError ChangedMeanwhile(AppraisalMonth month)
    {
        ArgumentNullException.ThrowIfNull(month);
        return new UserError($"{month.Month} 的数据或结果刚被他人修改（例如有人提交了评分、录入了数据或重新计算），未作任何更改；请刷新页面后重试",
            $"{month.Month}'s data or results were just changed by someone else (a sheet submitted, facts entered or a computation); nothing was changed; reload the page and try again", 409);
    }

    private static UserError Locked(AppraisalMonth month) =>
        new($"{month.Month} 已确认并锁定；如需修改请由总经理重新开启", $"{month.Month} is confirmed and locked; the general manager must reopen it to change anything", 409);

    private static async Task UpdateIfOpenAsync(AppDbContext db, AppraisalMonth month, Action<UpdateSettersBuilder<AppraisalMonth>> set, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(month);

        // ExecuteUpdate commits on its own outside a transaction: the month's update and the data must commit together.
        if (db.Database.CurrentTransaction is null)
        {
            throw new InvalidOperationException("A month's data change must run inside the command's transaction.");
        }

        if (await db.Months.Where(m => m.Id == month.Id && m.Status == MonthStatus.Open).ExecuteUpdateAsync(set, ct) == 0)
        {
            throw Locked(month);
        }
    }
}

/// <summary>
/// The one way to find an appraisal month by its <c>YYYY-MM</c>: API endpoints bind a <see cref="YearMonth"/>
/// (a malformed one is the framework's 400 naming the value), pages and queries pass the text they were given.
/// </summary>
public static class MonthLookup
{
    /// <summary>The refusal of a text that is not a month, naming it; 400 for the API, 404 for a page's <c>?month=</c>.</summary>
    public static UserError NotAMonth(string? text, int status = StatusCodes.Status400BadRequest) =>
        new($"月份“{text}”无效，应为 YYYY-MM（例如 2026-10）", $"month \"{text}\" is not valid; expected YYYY-MM (for example 2026-10)", status);

    /// <summary>The refusal of a month that HR has not opened.</summary>
    public static UserError NotOpened(YearMonth month) =>
        new($"{month} 尚未开启；请从“考核月份”中选择一个已开启的月份", $"{month} has not been opened; choose an opened month under Months", 404);

    /// <summary><paramref name="text"/> as a month, or <see cref="NotAMonth"/> with <paramref name="status"/>.</summary>
    public static YearMonth Parse(string? text, int status = StatusCodes.Status400BadRequest) =>
        YearMonth.TryParse(text, out var month) ? month : throw NotAMonth(text, status);

    /// <summary>The month, untracked, or null when it was never opened.</summary>
    public static Task<AppraisalMonth?> FindAsync(AppDbContext db, YearMonth month, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var key = month.ToString();
        return db.Months.AsNoTracking().FirstOrDefaultAsync(m => m.Month == key, ct);
    }

    /// <summary>The month, untracked; <see cref="NotOpened"/> (404) when it was never opened.</summary>
    public static async Task<AppraisalMonth> GetAsync(AppDbContext db, YearMonth month, CancellationToken ct) =>
        await FindAsync(db, month, ct) ?? throw NotOpened(month);

    /// <summary>A page's <c>?month=</c>: the month, or a 404 refusal that names what was typed (the page shows it).</summary>
    public static Task<AppraisalMonth> GetAsync(AppDbContext db, string? text, CancellationToken ct) =>
        GetAsync(db, Parse(text, StatusCodes.Status404NotFound), ct);

    /// <summary>The month, untracked; null when the text is not YYYY-MM or no such month was opened (the page answers 404).</summary>
    public static async Task<(AppraisalMonth Row, YearMonth YearMonth)?> FindAsync(AppDbContext db, string? text, CancellationToken ct) =>
        YearMonth.TryParse(text, out var ym) && await FindAsync(db, ym, ct) is { } month ? (month, ym) : null;
}
