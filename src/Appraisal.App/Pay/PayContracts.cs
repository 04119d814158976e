using System.ComponentModel;
using Appraisal.Core.Months;
using Appraisal.Core.Results;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Results;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Appraisal.App.Pay;

/// <summary>An appeal (D16).</summary>
public sealed record AppealDto(
    int Id,
    string Month,
    int PersonId,
    string? EmployeeNo,
    string? Name,
    string? Team,
    string Reason,
    DateTime At,
    [property: Description("open, upheld or rejected")] string Status,
    string? Decision,
    string? DecidedBy,
    DateTime? DecidedAt,
    [property: Description("Concurrency version to send back with the decision")] int Version)
{
    public static AppealDto From(Appeal a, string month, string? employeeNo = null, string? name = null, string? team = null)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(a.Id, month, a.PersonId, employeeNo, name, team, a.Reason, a.At, StatusName(a.Status), a.Decision, a.DecidedBy, a.DecidedAt, a.Version);
    }

    public static string StatusName(AppealStatus status) => status switch
    {
        AppealStatus.Open => "open",
        AppealStatus.Upheld => "upheld",
        _ => "rejected",
    };
}

/// <summary>One person's payslip of a month (工资条), as the payslip page shows it.</summary>
public sealed record PayslipDto(
    string Month,
    string Status,
    int PersonId,
    string EmployeeNo,
    string Name,
    string? Team,
    string PolicyVersion,
    bool Eligible,
    int? SelfTotal,
    int SupervisorTotal,
    decimal? Score,
    string? Grade,
    string Level,
    int? Rank,
    int? SalesRank,
    int EligibleCount,
    decimal SalesPlan,
    decimal SalesActual,
    decimal PositionSalary,
    decimal CommissionRate,
    decimal Commission,
    decimal Bonus,
    decimal OtherPay,
    decimal TotalPay,
    string[] Flags,
    List<AdjustmentDto> Adjustments,
    DateTime? AcknowledgedAt,
    DateTime? AppealDeadline,
    List<AppealDto> Appeals,
    [property: Description("True when the signed-in person may acknowledge this result now")] bool CanAcknowledge,
    [property: Description("True when the signed-in person may appeal this result now")] bool CanAppeal);

public sealed record AppealRequest([property: Description("Why the result is appealed (required)")] string? Reason);

public sealed record AcknowledgementResponse(string Month, int PersonId, DateTime At);
