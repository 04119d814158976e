using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Sheets;

/// <summary>
/// Reads one KPI sheet under <see cref="SheetAccess"/> (D16, D19, D22): 403 when the user may not see the
/// person's sheet, 404 when there is none or it is a draft of someone else (its content is its author's).
/// </summary>
public sealed class ReadSheet(AppDbContext db, SheetAccess access)
{
    public async Task<(AppraisalMonth Month, Sheet Sheet)> ExecuteAsync(Actor actor, YearMonth month, int personId, SheetKind kind, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var row = await MonthLookup.GetAsync(db, month, ct);
        var (person, relation) = await access.SubjectAsync(actor, row, personId, kind, ct);
        var sheet = await db.Sheets.AsNoTracking().Include(s => s.Items)
            .FirstOrDefaultAsync(s => s.MonthId == row.Id && s.PersonId == personId && s.Kind == kind, ct);
        var rights = SheetAccess.Decide(relation, kind, appraised: true, row.Status, SheetAccess.StateOf(sheet));
        if (sheet is null || !rights.ReadContent)
        {
            throw new UserError(
                $"{person.Name} 在 {row.Month} 没有可查看的{(kind == SheetKind.Self ? "自评表" : "主管评分表")}",
                $"{person.Name} has no {(kind == SheetKind.Self ? "self-assessment" : "supervisor assessment")} for {row.Month} that you may read",
                404);
        }

        return (row, sheet);
    }
}
