using System.ComponentModel;
using System.Globalization;
using Appraisal.Core.Months;
using Appraisal.App.Audit;
using Appraisal.Web.Audit;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Pay;
using Appraisal.Web.Pay;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Appraisal.App.Sheets;
using Appraisal.Web.Sheets;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Appraisal.App.Months;

namespace Appraisal.Web.Months;

/// <summary>
/// HR's month entries over the same commands as the Facts page: the facts (HR enters, the general manager
/// may read; D19), pay adjustments (D10), window extensions (D17), and the supervisor's feedback talk (D16).
/// </summary>
public static class FactsApi
{
    public static IEndpointRouteBuilder MapFactsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api/months").RequireAuthorization().WithTags("Facts").WithUserErrors();
        api.MapGet("/{month}/facts", GetAsync)
            .WithName("GetMonthFacts")
            .WithSummary("A month's facts, adjustments and extensions (HR, general manager)")
            .WithDescription("Every appraised person's sales, absence and eligibility override; reading it is audited as pay.read (adjustments are pay, D19).")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapPut("/{month}/facts", SaveAsync)
            .WithName("SaveMonthFacts")
            .WithSummary("Save a month's facts for many people (HR)")
            .WithDescription("All or nothing: every row is checked and every problem listed in errors; one bad row saves nothing. 409 when a row changed meanwhile.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{month}/adjustments", AdjustAsync)
            .WithName("AddPayAdjustment")
            .WithSummary("Add a pay adjustment (其他, HR)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/{month}/extensions", ExtendAsync)
            .WithName("ExtendWindow")
            .WithSummary("Extend one person's appraisal window (HR, D17)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPut("/{month}/talks/{person:int}", TalkAsync)
            .WithName("RecordFeedbackTalk")
            .WithSummary("Record the feedback talk with a team member (their supervisor, D16)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Ok<FactsResponse>> GetAsync([Description("YYYY-MM")] YearMonth month, ReadFacts read, Actor actor, CancellationToken ct) =>
        TypedResults.Ok(await read.ExecuteAsync(actor, month, ct));

    public static async Task<Ok<SaveFactsResponse>> SaveAsync(
        [Description("YYYY-MM")] YearMonth month, SaveFactsRequest body, AppDbContext db, SaveFacts save, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var row = await MonthLookup.GetAsync(db, month, ct);
        var entries = (body.Rows ?? []).Select(r => new FactsEntry(r.PersonId, r.SalesPlan, r.SalesActual,
            r.AbsentDays, r.Eligibility, r.OverrideReason, r.Version)).ToList();
        return TypedResults.Ok(new SaveFactsResponse(await save.ExecuteAsync(actor, row.Id, entries, ct)));
    }

    public static async Task<Created<AdjustmentDto>> AdjustAsync(
        [Description("YYYY-MM")] YearMonth month, AdjustmentRequest body, AppDbContext db, AddPayAdjustment add, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var row = await MonthLookup.GetAsync(db, month, ct);
        var a = await add.ExecuteAsync(actor, row.Id, body.Person, body.Amount, body.Reason, ct);
        return TypedResults.Created($"/api/months/{row.Month}/facts", AdjustmentDto.From(a));
    }

    public static async Task<Created<ExtensionDto>> ExtendAsync(
        [Description("YYYY-MM")] YearMonth month, ExtensionRequest body, AppDbContext db, ExtendWindow extend, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var row = await MonthLookup.GetAsync(db, month, ct);
        var e = await extend.ExecuteAsync(actor, row.Id, body.Person, body.Until, body.Reason, ct);
        return TypedResults.Created($"/api/months/{row.Month}/facts", new ExtensionDto(e.Id, e.PersonId, e.Until, e.Reason, e.By, e.At));
    }

    public static async Task<Ok<TalkDto>> TalkAsync(
        [Description("YYYY-MM")] YearMonth month, [Description("The team member's person id")] int person, TalkRequest body, AppDbContext db,
        RecordFeedbackTalk record, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        var row = await MonthLookup.GetAsync(db, month, ct);
        var talk = await record.ExecuteAsync(actor, row.Id, person, body.Date, body.Notes, body.Version, ct);
        return TypedResults.Ok(new TalkDto(talk.PersonId, row.Month, talk.Date, talk.Notes, talk.By, talk.Version));
    }
}
