using Appraisal.App.People;

namespace Appraisal.App.Months;

/// <summary>Where a month is in the process of D16.</summary>
public enum MonthStatus
{
    /// <summary>Opened by HR: sheets and facts are being entered.</summary>
    Open = 0,

    /// <summary>Confirmed by the general manager (总经理确认): published and locked.</summary>
    Confirmed = 1,
}

/// <summary>One appraisal month and its state (D16).</summary>
public sealed class AppraisalMonth : IVersioned
{
    public int Id { get; set; }

    /// <summary>The month as YYYY-MM (sortable text).</summary>
    public required string Month { get; set; }

    public MonthStatus Status { get; set; }

    public DateTime OpenedAt { get; set; }

    public string? OpenedBy { get; set; }

    /// <summary>
    /// When the stored results were computed; null when there are none or the month's data changed since
    /// (they are stale and must be recomputed before confirmation, D16).
    /// </summary>
    public DateTime? ComputedAt { get; set; }

    /// <summary>
    /// Counts the changes to the data the results are computed from (submitted sheets, facts, adjustments, the
    /// policy in force). Raised atomically in the changing command's transaction, so that many people can enter
    /// data at once without conflicting; a computation stores its results only if it is unchanged since it read
    /// the data, and a confirmation only if nothing changed since the results were computed (D16).
    /// </summary>
    public int DataVersion { get; set; }

    /// <summary>The policy version the stored results were computed with (D18).</summary>
    public string? PolicyVersion { get; set; }

    public DateTime? ConfirmedAt { get; set; }

    public string? ConfirmedBy { get; set; }

    public int Version { get; set; }
}

/// <summary>A person's facts for a month, entered by HR: sales plan and actual, absence (第九条, D14).</summary>
public sealed class MonthFacts : IVersioned
{
    public int Id { get; set; }

    public int MonthId { get; set; }

    public AppraisalMonth? Month { get; set; }

    public int PersonId { get; set; }

    public Person? Person { get; set; }

    public decimal SalesPlan { get; set; }

    public decimal SalesActual { get; set; }

    public int AbsentDays { get; set; }

    /// <summary>HR's override of eligibility for this month (D14), with its reason.</summary>
    public bool? EligibilityOverride { get; set; }

    public string? OverrideReason { get; set; }

    public DateTime UpdatedAt { get; set; }

    public string? UpdatedBy { get; set; }

    public int Version { get; set; }
}

/// <summary>HR's extension of the appraisal window for one person (D17).</summary>
public sealed class WindowExtension
{
    public int Id { get; set; }

    public int MonthId { get; set; }

    public int PersonId { get; set; }

    public DateOnly Until { get; set; }

    public required string Reason { get; set; }

    public required string By { get; set; }

    public DateTime At { get; set; }
}
