using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Appraisal.App.Audit;

/// <summary>
/// An append-only record of a change or of a read of another person's pay (D16, D19), searchable by HR and
/// the general manager and part of each person's own data (D25). Nobody edits or deletes one.
/// </summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    public required string User { get; set; }

    /// <summary>What happened, e.g. month.open, sheet.submit, pay.read (labelled for people by <see cref="AuditWords"/>).</summary>
    public required string Action { get; set; }

    public string? Month { get; set; }

    public int? PersonId { get; set; }

    public string? Detail { get; set; }

    /// <summary>The values a change replaced, old → new, as a small JSON array (<see cref="AuditChange"/>); null when none.</summary>
    public string? Changes { get; set; }

    /// <summary>
    /// The indexes of the search (D25): newest first overall, and newest first for one person, user, month or
    /// action, so that a page of a log of millions of rows is an index range, never a scan.
    /// </summary>
    internal static void Configure(EntityTypeBuilder<AuditEntry> e)
    {
        e.HasIndex(a => new { a.At, a.Id });
        e.HasIndex(a => new { a.PersonId, a.At });
        e.HasIndex(a => new { a.User, a.At });
        e.HasIndex(a => new { a.Month, a.At });
        e.HasIndex(a => new { a.Action, a.At });
    }
}
