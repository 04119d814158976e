using System.ComponentModel;
using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Appraisal.App.Months;

namespace Appraisal.Web.Months;

/// <summary>
/// <c>/api/months</c>: the month workflow of D16 over the same commands as the pages; who may do what is
/// decided by the commands (HR opens and computes, the general manager confirms and reopens).
/// </summary>
public static class MonthsApi
{
    public static IEndpointRouteBuilder MapMonthsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api/months").RequireAuthorization().WithTags("Months").WithUserErrors();
        api.MapGet("/", ListAsync)
            .WithName("ListMonths")
            .WithSummary("List appraisal months")
            .WithDescription("Every month, newest first, with its status and the policy version of its results.");
        api.MapGet("/{month}", GetAsync)
            .WithName("GetMonth")
            .WithSummary("One appraisal month")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPost("/", OpenAsync)
            .WithName("OpenMonth")
            .WithSummary("Open a month (HR)")
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{month}/compute", ComputeAsync)
            .WithName("ComputeMonth")
            .WithSummary("Compute a month's results (HR)")
            .WithDescription("Computes with the policy version in force for the month (D18) and stores the snapshot; all or nothing.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{month}/confirm", ConfirmAsync)
            .WithName("ConfirmMonth")
            .WithSummary("Confirm a month (general manager, 总经理确认)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{month}/reopen", ReopenAsync)
            .WithName("ReopenMonth")
            .WithSummary("Reopen a confirmed month (general manager, with a reason)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Ok<List<MonthDto>>> ListAsync(AppDbContext db, CancellationToken ct)
    {
        var months = await db.Months.AsNoTracking().OrderByDescending(m => m.Month).ToListAsync(ct);
        return TypedResults.Ok(months.Select(MonthDto.From).ToList());
    }

    public static async Task<Ok<MonthDto>> GetAsync([Description("YYYY-MM")] YearMonth month, AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(MonthDto.From(await MonthLookup.GetAsync(db, month, ct)));

    public static async Task<Created<MonthDto>> OpenAsync(OpenMonthRequest body, OpenMonth open, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var month = await open.ExecuteAsync(actor, body.Month, ct);
        return TypedResults.Created($"/api/months/{month.Month}", MonthDto.From(month));
    }

    public static async Task<Ok<ComputeResponse>> ComputeAsync(
        [Description("YYYY-MM")] YearMonth month, AppDbContext db, ComputeResults compute, Actor actor, CancellationToken ct)
    {
        var row = await MonthLookup.GetAsync(db, month, ct);
        var people = await compute.ExecuteAsync(actor, row.Id, ct);
        return TypedResults.Ok(new ComputeResponse(MonthDto.From(await ReloadAsync(db, row, ct)), people));
    }

    public static async Task<Ok<MonthDto>> ConfirmAsync(
        [Description("YYYY-MM")] YearMonth month, ConfirmMonthRequest body, AppDbContext db, ConfirmMonth confirm, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var row = await MonthLookup.GetAsync(db, month, ct);
        await confirm.ExecuteAsync(actor, row.Id, body.Version, ct);
        return TypedResults.Ok(MonthDto.From(await ReloadAsync(db, row, ct)));
    }

    public static async Task<Ok<MonthDto>> ReopenAsync(
        [Description("YYYY-MM")] YearMonth month, ReopenMonthRequest body, AppDbContext db, ReopenMonth reopen, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var row = await MonthLookup.GetAsync(db, month, ct);
        await reopen.ExecuteAsync(actor, row.Id, body.Reason ?? string.Empty, body.Person, body.Version, ct);
        return TypedResults.Ok(MonthDto.From(await ReloadAsync(db, row, ct)));
    }

    private static async Task<AppraisalMonth> ReloadAsync(AppDbContext db, AppraisalMonth row, CancellationToken ct) =>
        await db.Months.AsNoTracking().FirstAsync(m => m.Id == row.Id, ct);
}
