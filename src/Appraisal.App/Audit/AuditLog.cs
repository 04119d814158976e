using Appraisal.App.Data;

namespace Appraisal.App.Audit;

/// <summary>Adds entries to the append-only audit log; they are saved with the change they describe.</summary>
public sealed class AuditLog(AppDbContext db, TimeProvider clock)
{
    /// <summary>
    /// Where the changes of this request come from when not typed in (an imported file: "import sales.xlsx"); added
    /// to every entry's detail, so that each change of an import names the file.
    /// </summary>
    public string? Source { get; set; }

    /// <param name="changes">The values the change replaced, old → new (D25); none for a read or an event.</param>
    public void Record(string user, string action, string? month = null, int? personId = null, string? detail = null,
        IReadOnlyCollection<AuditChange>? changes = null) =>
        db.Audit.Add(Entry(user, action, month, personId, detail, changes));

    /// <summary>
    /// The entry <see cref="Record"/> would add, not added to the context: for a command that writes many entries at
    /// once with <see cref="Data.BulkInsert.InsertAsync{T}"/> in its transaction.
    /// </summary>
    public AuditEntry Entry(string user, string action, string? month = null, int? personId = null, string? detail = null,
        IReadOnlyCollection<AuditChange>? changes = null) =>
        new()
        {
            At = clock.GetUtcNow().UtcDateTime,
            User = user,
            Action = action,
            Month = month,
            PersonId = personId,
            Detail = Source is null ? detail : detail is null ? $"({Source})" : $"{detail} ({Source})",
            Changes = AuditChange.ToJson(changes),
        };
}
