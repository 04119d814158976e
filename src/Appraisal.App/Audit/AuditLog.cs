using Appraisal.Web.Data;

namespace Appraisal.Web.Audit;

/// <summary>Adds entries to the append-only audit log; they are saved with the change they describe.</summary>
public sealed class AuditLog(AppDbContext db, TimeProvider clock)
{
    /// <param name="changes">The values the change replaced, old → new (D25); none for a read or an event.</param>
    public void Record(string user, string action, string? month = null, int? personId = null, string? detail = null,
        IReadOnlyCollection<AuditChange>? changes = null) =>
        db.Audit.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            User = user,
            Action = action,
            Month = month,
            PersonId = personId,
            Detail = detail,
            Changes = AuditChange.ToJson(changes),
        });
}
