using System.ComponentModel;
using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.App.Pay;
using Appraisal.App.People;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Results;

public sealed record DecideAppealRequest(
    [property: Description("True to uphold (reopens the month and the supervisor sheet, D16), false to reject")] bool Upheld,
    [property: Description("The decision's note (required)")] string? Note,
    [property: Description("The appeal's Version as last read")] int Version);

public sealed record ReviewStepDto(string Kind, DateOnly Date, string? Note);

public sealed record ReviewEvidenceDto(string Month, string PolicyVersion, decimal? Score, string? Grade, int? Rank, int? SalesRank, decimal SalesActual, int EligibleCount);

/// <summary>A flagged result HR reviews by hand (D13), with the evidence of the flag.</summary>
public sealed record ReviewDto(
    int Id,
    string Month,
    int PersonId,
    string EmployeeNo,
    string Name,
    string? Team,
    string Flag,
    string? Decision,
    string? DecidedBy,
    DateTime? DecidedAt,
    List<ReviewStepDto> Steps,
    List<ReviewEvidenceDto> Evidence,
    decimal? LowestScore,
    decimal? LowestSales,
    [property: Description("Concurrency version to send back with a decision or step")] int Version);

public sealed record DecideReviewRequest([property: Description("HR's decision (required)")] string? Decision, int Version);

public sealed record ReviewStepRequest(
    [property: Description("training, jobChange, reappraisal or notice (in that order, D13)")] string? Kind,
    DateOnly? Date,
    string? Note,
    int Version);
