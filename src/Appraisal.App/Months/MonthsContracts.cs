using System.ComponentModel;
using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.App.People;
using Appraisal.App.Results;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Months;

/// <summary>A month and where it is in the process of D16.</summary>
public sealed record MonthDto(
    string Month,
    [property: Description("open or confirmed")] string Status,
    DateTime OpenedAt,
    [property: Description("When the stored results were computed; null when there are none or they are stale")] DateTime? ComputedAt,
    [property: Description("The policy version the stored results were computed with (D18)")] string? PolicyVersion,
    DateTime? ConfirmedAt,
    string? ConfirmedBy,
    [property: Description("Concurrency version to send back with confirm and reopen")] int Version)
{
    public static MonthDto From(AppraisalMonth m)
    {
        ArgumentNullException.ThrowIfNull(m);
        return new(m.Month, m.Status == MonthStatus.Confirmed ? "confirmed" : "open", m.OpenedAt, m.ComputedAt, m.PolicyVersion, m.ConfirmedAt, m.ConfirmedBy, m.Version);
    }
}

public sealed record OpenMonthRequest([property: Description("YYYY-MM")] string Month);

public sealed record ConfirmMonthRequest([property: Description("The month's Version as last read")] int Version);

public sealed record ReopenMonthRequest(
    [property: Description("Why the month is reopened; required and audited (D16)")] string Reason,
    [property: Description("Person id whose supervisor sheet is reopened too, if any")] int? Person,
    [property: Description("The month's Version as last read")] int Version);

public sealed record ComputeResponse(MonthDto Month, [property: Description("Number of people computed")] int People);
