using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Results;

namespace Appraisal.App.Pay;

/// <summary>
/// Whose pay a reader sees, and the audit of every read of another person's pay (D19). Pay is part of a
/// month's result (第八条–第十一条), so it reaches exactly the readers of that result (<see cref="ResultAccess"/>):
/// an employee their own once the month is published, a supervisor their team's once published (D19 names
/// "sheets, results and pay" together for the supervisor's team, and the supervisor holds the feedback talk
/// of 第七条 on them), HR and the general manager everyone, before publication too. Every read that includes
/// someone other than the reader is audit-logged as <c>pay.read</c>, once per read (not once per row).
/// </summary>
public sealed class PayAccess(ResultAccess results, AuditLog audit, AppDbContext db)
{
    public const string ReadAction = "pay.read";

    /// <summary>Whose pay of <paramref name="month"/> the reader sees: null for everyone, else the ids.</summary>
    public Task<HashSet<int>?> VisibleAsync(Actor actor, AppraisalMonth month, CancellationToken ct = default) => results.VisibleAsync(actor, month, ct);

    /// <summary>403 unless the reader may see <paramref name="personId"/>'s pay of <paramref name="month"/>.</summary>
    public Task EnsureAsync(Actor actor, AppraisalMonth month, int personId, CancellationToken ct = default) => results.EnsureAsync(actor, month, personId, ct);

    /// <summary>403 unless the reader may see <paramref name="personId"/> at all (D19); checked before the person is read.</summary>
    public Task EnsurePersonAsync(Actor actor, int personId, CancellationToken ct = default) => results.EnsurePersonAsync(actor, personId, ct);

    /// <summary>True when a read of <paramref name="people"/>'s pay must be audited: someone in it is not the reader.</summary>
    public static bool MustAudit(Actor actor, IEnumerable<int> people)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return people.Any(p => p != actor.PersonId);
    }

    /// <summary>Records one <c>pay.read</c> entry when the read included another person's pay (D19), and saves it.</summary>
    public async Task RecordReadAsync(Actor actor, IEnumerable<int> people, string? month, int? personId, string detail, CancellationToken ct = default)
    {
        if (!MustAudit(actor, people))
        {
            return;
        }

        audit.Record(actor.UserName, ReadAction, month, personId, detail);
        await db.SaveChangesAsync(ct);
    }
}
