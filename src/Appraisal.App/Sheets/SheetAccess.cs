using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Sheets;

/// <summary>How the signed-in user stands to the person whose sheets are asked for (D19).</summary>
public enum SheetRelation
{
    /// <summary>Nobody to them: another team's member, an administrator.</summary>
    None,

    /// <summary>The person themself.</summary>
    Self,

    /// <summary>The supervisor of the person's team, who is not the person (D22: nobody assesses themself).</summary>
    Supervisor,

    /// <summary>HR or the general manager (D19: everyone).</summary>
    Everyone,
}

/// <summary>Where a sheet is: not started, a draft, or submitted and locked (D16).</summary>
public enum SheetState
{
    None,
    Draft,
    Submitted,
}

/// <summary>What one user may do with one sheet.</summary>
/// <param name="See">The sheet's page may be shown (the person is visible and the sheet may reach this user).</param>
/// <param name="Author">This user writes the sheet: the employee their self-assessment, the team's supervisor the assessment.</param>
/// <param name="ReadContent">The scores may be shown: the author always, others once it is submitted.</param>
/// <param name="Edit">It may be saved now: the author, the month open, the sheet not submitted (the window is checked apart, D17).</param>
public sealed record SheetRights(bool See, bool Author, bool ReadContent, bool Edit)
{
    public static readonly SheetRights Nothing = new(false, false, false, false);
}

/// <summary>
/// Who may read and who may write a KPI sheet, in one place for the sheet page, the API and
/// <see cref="SaveSheet"/> (D16, D19, D22):
/// <list type="bullet">
/// <item>Only agents are appraised (第二条, D22): anyone else has no sheet of either kind, and nobody writes a
/// sheet of their own as assessor.</item>
/// <item>The self-assessment: written by the employee; read once submitted by their supervisor, HR and the
/// general manager.</item>
/// <item>The supervisor's assessment: written by the team's supervisor; read once submitted by HR and the
/// general manager, and by the employee once the month is confirmed (published, D16).</item>
/// <item>A draft is its author's alone: others see that it exists, not what it says.</item>
/// <item>Writing needs the month open and the sheet not yet submitted.</item>
/// </list>
/// </summary>
public sealed class SheetAccess(AppDbContext db, Access access)
{
    /// <summary>The rule itself, over plain values (the table tests call it directly).</summary>
    public static SheetRights Decide(SheetRelation relation, SheetKind kind, bool appraised, MonthStatus month, SheetState sheet)
    {
        if (!appraised)
        {
            return SheetRights.Nothing;
        }

        var author = kind == SheetKind.Self ? relation == SheetRelation.Self : relation == SheetRelation.Supervisor;
        var readsSubmitted = kind == SheetKind.Self
            ? relation != SheetRelation.None
            : relation is SheetRelation.Supervisor or SheetRelation.Everyone || (relation == SheetRelation.Self && month == MonthStatus.Confirmed);
        return new SheetRights(
            See: author || readsSubmitted,
            Author: author,
            ReadContent: author || (readsSubmitted && sheet == SheetState.Submitted),
            Edit: author && month == MonthStatus.Open && sheet != SheetState.Submitted);
    }

    /// <summary>How <paramref name="actor"/> stands to <paramref name="personId"/>.</summary>
    public async Task<SheetRelation> RelationAsync(Actor actor, int personId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.PersonId == personId ? SheetRelation.Self
            : actor.SeesEveryone ? SheetRelation.Everyone
            : await access.SupervisesAsync(actor, personId, ct) ? SheetRelation.Supervisor
            : SheetRelation.None;
    }

    /// <summary>
    /// The person whose <paramref name="kind"/> sheet of <paramref name="month"/> is asked for, with the relation;
    /// 403 when this user may not see it whatever its state (before anything about the person is read, not even
    /// whether they exist), 404 when the person does not exist or is not appraised (D22: no sheet at all).
    /// </summary>
    public async Task<(Person Person, SheetRelation Relation)> SubjectAsync(Actor actor, AppraisalMonth month, int personId, SheetKind kind, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(month);
        var relation = await RelationAsync(actor, personId, ct);
        if (!Decide(relation, kind, appraised: true, month.Status, SheetState.Submitted).See)
        {
            throw UserError.Forbidden();
        }

        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == personId, ct) ?? throw UserError.NotFound();
        return person.IsAppraised ? (person, relation) : throw NotAppraised(person);
    }

    /// <summary>What <paramref name="actor"/> may do with the sheet; 403/404 as <see cref="SubjectAsync"/>.</summary>
    public async Task<SheetRights> RightsAsync(Actor actor, AppraisalMonth month, int personId, SheetKind kind, SheetState sheet, CancellationToken ct = default)
    {
        var (_, relation) = await SubjectAsync(actor, month, personId, kind, ct);
        return Decide(relation, kind, appraised: true, month.Status, sheet);
    }

    /// <summary>The state of a stored sheet (null: none yet).</summary>
    public static SheetState StateOf(Sheet? sheet) =>
        sheet is null ? SheetState.None : sheet.SubmittedAt is null ? SheetState.Draft : SheetState.Submitted;

    /// <summary>D22: only agents are appraised; a supervisor, HR, the general manager or an administrator has no sheet.</summary>
    public static UserError NotAppraised(Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return new UserError(
            $"{person.Name} 不是客服，不按本办法考核（第二条），没有考核表",
            $"{person.Name} is not an agent and is not appraised under this policy (第二条): there is no KPI sheet",
            404);
    }
}
