using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Policy;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Sheets;

/// <summary>One item as entered: the score and the level picked (below 0: none, the score's own level is taken).</summary>
public sealed record SheetItemInput(string ItemKey, int LevelIndex, int Score, string? Comment = null);

/// <summary>
/// Saves or submits a KPI sheet (D16): the employee their own self-assessment, the supervisor their
/// team's assessments. Every item needs a whole score that some level holds (D2, D3), inside the level
/// when one is chosen, else the score's level (<c>PolicyItem.LevelOf</c>: the upper one at a shared end point) is stored; a
/// submitted sheet is locked; after the appraisal window only an extension lets it in (D17). Every save
/// carries the version it read (none for a sheet not started yet): a sheet changed or first created by
/// someone else meanwhile is refused with 409, never overwritten.
/// </summary>
public sealed class SaveSheet(AppDbContext db, SheetAccess sheetAccess, PolicyStore policies, AuditLog audit, CompanyClock clock)
{
    /// <summary>The sheet's comment, as the sheet page states it.</summary>
    public const int MaxCommentLength = 1000;

    /// <summary>One item's comment.</summary>
    public const int MaxItemCommentLength = 500;

    public async Task<Sheet> ExecuteAsync(Actor actor, int monthId, int personId, SheetKind kind, IReadOnlyList<SheetItemInput> items,
        string? comment, bool submit, int? expectedVersion, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(items);
        var month = await db.Months.FindAsync([monthId], ct) ?? throw UserError.NotFound();
        if (!(await sheetAccess.RightsAsync(actor, month, personId, kind, SheetState.None, ct)).Author)
        {
            throw UserError.Forbidden();
        }

        MonthRules.EnsureOpen(month);
        var ym = YearMonth.Parse(month.Month);
        await EnsureWithinWindowAsync(month, ym, personId, ct);

        var sheet = await db.Sheets.Include(s => s.Items).FirstOrDefaultAsync(s => s.MonthId == monthId && s.PersonId == personId && s.Kind == kind, ct);
        if (sheet?.Version != expectedVersion)
        {
            // Also a save without a version over a sheet that exists (another tab, or an API client that did not read it).
            throw UserError.Conflict();
        }

        if (sheet?.SubmittedAt is not null)
        {
            throw new UserError("该考核表已提交，不能再修改", "this sheet has been submitted and can no longer be changed", 409);
        }

        var policy = await policies.InForceAsync(ym, ct);
        var errors = Check(policy, items, submit);
        if (comment?.Trim().Length > MaxCommentLength)
        {
            errors.Add(($"评语最多 {MaxCommentLength} 字", $"the comment may have at most {MaxCommentLength} characters"));
        }

        if (errors.Count > 0)
        {
            throw new UserError(string.Join("；", errors.Select(e => e.Zh)), string.Join("; ", errors.Select(e => e.En)));
        }

        var now = clock.UtcNow;
        if (sheet is null)
        {
            sheet = new Sheet { MonthId = monthId, PersonId = personId, Kind = kind };
            db.Sheets.Add(sheet);
        }

        sheet.Items.Clear();
        foreach (var item in items)
        {
            var levelIndex = item.LevelIndex >= 0 ? item.LevelIndex : policy.Items[policy.IndexOfItem(item.ItemKey)].LevelOf(item.Score);
            sheet.Items.Add(new SheetItem { ItemKey = item.ItemKey, LevelIndex = levelIndex, Score = item.Score, Comment = item.Comment?.Trim() });
        }

        sheet.Comment = comment?.Trim();
        sheet.UpdatedAt = now;
        if (submit)
        {
            sheet.SubmittedAt = now;
            sheet.SubmittedBy = actor.UserName;
        }

        audit.Record(actor.UserName, submit ? "sheet.submit" : "sheet.save", month.Month, personId, kind.ToString());

        // A submitted sheet is data of the results (they become stale); a draft is not, but must still find the month open.
        await MonthRules.SaveChangeAsync(db, month, changesResults: submit, ct);
        if (submit)
        {
            Telemetry.AppMetrics.Submitted(kind.ToString());
        }

        return sheet;
    }

    /// <summary>Checks items against the policy's sheet; a draft may be partial, a submitted sheet must be complete.</summary>
    public static List<(string Zh, string En)> Check(PolicyDocument policy, IReadOnlyList<SheetItemInput> items, bool complete)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(items);
        var errors = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var input in items)
        {
            var index = policy.IndexOfItem(input.ItemKey);
            if (index < 0)
            {
                errors.Add(($"未知考核项目“{input.ItemKey}”", $"unknown item \"{input.ItemKey}\""));
                continue;
            }

            var item = policy.Items[index];
            if (!seen.Add(item.Key))
            {
                errors.Add(($"「{item.Name.Zh}」重复", $"{item.Name.Get(true)} appears twice"));
                continue;
            }

            if (input.Comment?.Trim().Length > MaxItemCommentLength)
            {
                errors.Add(($"「{item.Name.Zh}」的说明最多 {MaxItemCommentLength} 字", $"{item.Name.Get(true)}: the comment may have at most {MaxItemCommentLength} characters"));
            }

            // D2, D3: a score no level holds is out of the item's range, whichever level was chosen.
            if (item.LevelOf(input.Score) < 0)
            {
                errors.Add(($"「{item.Name.Zh}」的分数须为 0–{item.Max} 之间的整数，实际为 {input.Score}",
                    $"{item.Name.Get(true)}: the score must be a whole number from 0 to {item.Max}, got {input.Score}"));
                continue;
            }

            if (input.LevelIndex >= item.Levels.Length)
            {
                errors.Add(($"「{item.Name.Zh}」没有第 {input.LevelIndex + 1} 档", $"{item.Name.Get(true)} has no level {input.LevelIndex + 1}"));
                continue;
            }

            // No level chosen: the score's own level (LevelOf) is taken when saving.
            var level = item.Levels[input.LevelIndex < 0 ? item.LevelOf(input.Score) : input.LevelIndex];
            if (!level.Holds(input.Score))
            {
                errors.Add(($"「{item.Name.Zh}」所选档次的分数须在 {level.Min}–{level.Max} 之间，实际为 {input.Score}",
                    $"{item.Name.Get(true)}: the score must be {level.Min}–{level.Max} for the chosen level, got {input.Score}"));
            }
        }

        if (complete)
        {
            foreach (var item in policy.Items.Where(i => !seen.Contains(i.Key)))
            {
                errors.Add(($"「{item.Name.Zh}」尚未评分", $"{item.Name.Get(true)} has no score yet"));
            }
        }

        return errors;
    }

    private async Task EnsureWithinWindowAsync(AppraisalMonth month, YearMonth ym, int personId, CancellationToken ct)
    {
        var policy = await policies.InForceAsync(ym, ct);
        var deadline = WindowRules.Deadline(policy, ym);
        var today = clock.Today;
        if (today <= deadline)
        {
            return;
        }

        // D17: late only when HR has extended the window for this person.
        var extended = await db.WindowExtensions.AnyAsync(e => e.MonthId == month.Id && e.PersonId == personId && e.Until >= today, ct);
        if (!extended)
        {
            throw new UserError($"{month.Month} 的考核截止日期 {deadline:yyyy-MM-dd} 已过；如需补交请联系人事延长期限",
                $"the appraisal window of {month.Month} closed on {deadline:yyyy-MM-dd}; ask HR to extend it", 409);
        }
    }
}

/// <summary>Reopening one sheet: an upheld appeal or the general manager's reopen (D16).</summary>
public static class SheetLock
{
    public static async Task ReopenSupervisorSheetAsync(AppDbContext db, int monthId, int personId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var sheet = await db.Sheets.FirstOrDefaultAsync(s => s.MonthId == monthId && s.PersonId == personId && s.Kind == SheetKind.Supervisor, ct);
        if (sheet is not null)
        {
            sheet.SubmittedAt = null;
            sheet.SubmittedBy = null;
        }
    }
}
