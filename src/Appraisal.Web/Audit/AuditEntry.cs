namespace Appraisal.Web.Audit;

/// <summary>An append-only record of a change or of a read of another person's pay (D16, D19).</summary>
public sealed class AuditEntry
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    public required string User { get; set; }

    /// <summary>What happened, e.g. month.open, sheet.submit, pay.read.</summary>
    public required string Action { get; set; }

    public string? Month { get; set; }

    public int? PersonId { get; set; }

    public string? Detail { get; set; }
}
