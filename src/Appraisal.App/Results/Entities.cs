using Appraisal.Core.Results;
using Appraisal.App.People;

namespace Appraisal.App.Results;

/// <summary>
/// The engine's result for one person and month, stored as computed (with the policy version) so that
/// a confirmed month never changes when the policy does (D18).
/// </summary>
public sealed class StoredResult
{
    public int Id { get; set; }

    public int MonthId { get; set; }

    public int PersonId { get; set; }

    public Person? Person { get; set; }

    /// <summary>
    /// The person's team when the month was computed: the month's lists show the team the person was in then,
    /// not one they moved to later. Null for someone in no team, and for rows from before this was recorded.
    /// </summary>
    public int? TeamId { get; set; }

    public Team? Team { get; set; }

    public required string PolicyVersion { get; set; }

    public bool Eligible { get; set; }

    public int? SelfTotal { get; set; }

    public int SupervisorTotal { get; set; }

    public decimal? Score { get; set; }

    public string? GradeKey { get; set; }

    public required string LevelKey { get; set; }

    public decimal PositionSalary { get; set; }

    public decimal SalesPlan { get; set; }

    public decimal SalesActual { get; set; }

    public decimal CommissionRate { get; set; }

    public decimal Commission { get; set; }

    public decimal Bonus { get; set; }

    public decimal OtherPay { get; set; }

    public decimal TotalPay { get; set; }

    public int? Rank { get; set; }

    public int? SalesRank { get; set; }

    /// <summary>The engine's flags (第十一条, 第十二条, D5, D13), stored as their integer value.</summary>
    public ResultFlags Flags { get; set; }

    public int AbsentDaysInWindow { get; set; }

    public DateTime ComputedAt { get; set; }
}

/// <summary>Whether an appeal is waiting or decided (D16).</summary>
public enum AppealStatus
{
    Open = 0,
    Upheld = 1,
    Rejected = 2,
}

/// <summary>An employee's appeal (复议) against a published result, within the window (D16).</summary>
public sealed class Appeal : IVersioned
{
    public int Id { get; set; }

    public int MonthId { get; set; }

    public int PersonId { get; set; }

    public required string Reason { get; set; }

    public DateTime At { get; set; }

    public AppealStatus Status { get; set; }

    public string? Decision { get; set; }

    public string? DecidedBy { get; set; }

    public DateTime? DecidedAt { get; set; }

    public int Version { get; set; }
}

/// <summary>An employee's acknowledgement of their own published result (D16).</summary>
public sealed class Acknowledgement
{
    public int Id { get; set; }

    public int MonthId { get; set; }

    public int PersonId { get; set; }

    public DateTime At { get; set; }
}

/// <summary>HR's review of a 自动请辞 flag (D13): the decision and the steps taken; never an automatic exit.</summary>
public sealed class FlagReview : IVersioned
{
    public int Id { get; set; }

    public int MonthId { get; set; }

    public int PersonId { get; set; }

    public required string Flag { get; set; }

    /// <summary>Null while waiting for HR.</summary>
    public string? Decision { get; set; }

    public List<ReviewStep> Steps { get; set; } = [];

    public string? DecidedBy { get; set; }

    public DateTime? DecidedAt { get; set; }

    public int Version { get; set; }
}

/// <summary>A step of the Art. 40(2) path recorded by HR: training, job change, re-appraisal, notice (D13).</summary>
public sealed class ReviewStep
{
    public int Id { get; set; }

    public int FlagReviewId { get; set; }

    /// <summary>training, jobChange, reappraisal or notice.</summary>
    public required string Kind { get; set; }

    public DateOnly Date { get; set; }

    public string? Note { get; set; }
}
