using System.ComponentModel;
using Appraisal.Core.Months;
using Appraisal.Core.Results;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Microsoft.AspNetCore.Http.HttpResults;
using Appraisal.App.Pay;

namespace Appraisal.Web.Pay;

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
        [Description("YYYY-MM")] YearMonth month, [Description("The person's id")] int person, ReadPayslip read, Actor actor, CancellationToken ct)
    {
        var p = await read.ExecuteAsync(actor, month, person, ct);
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
        [Description("YYYY-MM")] YearMonth month, [Description("The signed-in person's id")] int person, AppDbContext db, AcknowledgeResult acknowledge,
        CompanyClock clock, Actor actor, CancellationToken ct)
    {
        var row = await MonthLookup.GetAsync(db, month, ct);
        await acknowledge.ExecuteAsync(actor, row.Id, person, ct);
        return TypedResults.Ok(new AcknowledgementResponse(row.Month, person, clock.UtcNow));
    }

    public static async Task<Created<AppealDto>> AppealAsync(
        [Description("YYYY-MM")] YearMonth month, [Description("The signed-in person's id")] int person, AppealRequest body, AppDbContext db, FileAppeal file,
        Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var row = await MonthLookup.GetAsync(db, month, ct);
        var appeal = await file.ExecuteAsync(actor, row.Id, person, body.Reason, ct);
        return TypedResults.Created($"/api/appeals/{appeal.Id}", AppealDto.From(appeal, row.Month));
    }
}
