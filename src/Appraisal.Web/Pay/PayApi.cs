using System.ComponentModel;
using Appraisal.Core.Results;
using Appraisal.Web.Data;
using Appraisal.Web.Months;
using Appraisal.Web.People;
using Appraisal.Web.Results;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Appraisal.Web.Pay;

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

/// <summary>
/// The payslip (D19: the person once the month is confirmed, their supervisor, HR, the general manager;
/// others' reads audited) and the person's own acknowledgement and appeal of a confirmed result (D16).
/// </summary>
public static class PayApi
{
    public static IEndpointRouteBuilder MapPayApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api/months").RequireAuthorization().WithTags("Pay").WithUserErrors();
        api.MapGet("/{month}/payslips/{person:int}", PayslipAsync)
            .WithName("GetPayslip")
            .WithSummary("One person's payslip of a month")
            .WithDescription("The person once the month is confirmed, their supervisor, HR and the general manager (D19); others' reads are audited as pay.read.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/{month}/results/{person:int}/acknowledgement", AcknowledgeAsync)
            .WithName("AcknowledgeResult")
            .WithSummary("Acknowledge one's own confirmed result (D16)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{month}/results/{person:int}/appeals", AppealAsync)
            .WithName("FileAppeal")
            .WithSummary("Appeal one's own confirmed result within the appeal period (D16)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Ok<PayslipDto>> PayslipAsync(
        [Description("YYYY-MM")] string month, [Description("The person's id")] int person, AppDbContext db, ReadPayslip read, HttpContext http, CancellationToken ct)
    {
        var row = await MonthsApi.FindAsync(db, month, ct);
        var p = await read.ExecuteAsync(Actor.From(http.User), row.Month, person, ct);
        var r = p.Result;
        return TypedResults.Ok(new PayslipDto(
            p.Month.Month,
            p.Confirmed ? "confirmed" : "open",
            p.PersonId,
            p.EmployeeNo,
            p.Name,
            p.Team,
            r.PolicyVersion,
            r.Eligible,
            r.SelfTotal,
            r.SupervisorTotal,
            r.Score is { } s ? decimal.Round(s, 1) : null,
            p.Grade?.Label.Zh ?? r.GradeKey,
            p.Level.Level.Zh,
            r.Rank,
            r.SalesRank,
            p.EligibleCount,
            r.SalesPlan,
            r.SalesActual,
            r.PositionSalary,
            r.CommissionRate,
            r.Commission,
            r.Bonus,
            r.OtherPay,
            r.TotalPay,
            [.. ResultFlagNames.Of(r.Flags)],
            p.Adjustments.Select(a => new AdjustmentDto(a.Id, a.PersonId, a.Amount, a.Reason, a.By, a.At)).ToList(),
            p.AcknowledgedAt,
            p.AppealDeadline,
            p.Appeals.Select(a => AppealDto.From(a, p.Month.Month, p.EmployeeNo, p.Name, p.Team)).ToList(),
            p.CanAcknowledge,
            p.CanAppeal));
    }

    public static async Task<Ok<AcknowledgementResponse>> AcknowledgeAsync(
        [Description("YYYY-MM")] string month, [Description("The signed-in person's id")] int person, AppDbContext db, AcknowledgeResult acknowledge,
        CompanyClock clock, HttpContext http, CancellationToken ct)
    {
        var actor = Self(http, person);
        var row = await MonthsApi.FindAsync(db, month, ct);
        await acknowledge.ExecuteAsync(actor, row.Id, ct);
        return TypedResults.Ok(new AcknowledgementResponse(row.Month, person, clock.UtcNow));
    }

    public static async Task<Created<AppealDto>> AppealAsync(
        [Description("YYYY-MM")] string month, [Description("The signed-in person's id")] int person, AppealRequest body, AppDbContext db, FileAppeal file,
        HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var actor = Self(http, person);
        var row = await MonthsApi.FindAsync(db, month, ct);
        var appeal = await file.ExecuteAsync(actor, row.Id, body.Reason, ct);
        return TypedResults.Created($"/api/appeals/{appeal.Id}", AppealDto.From(appeal, row.Month));
    }

    /// <summary>Only the person themselves acknowledges or appeals their result (D16).</summary>
    private static Actor Self(HttpContext http, int person)
    {
        var actor = Actor.From(http.User);
        return actor.PersonId == person ? actor : throw UserError.Forbidden();
    }
}
