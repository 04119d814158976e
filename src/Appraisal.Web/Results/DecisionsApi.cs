using System.ComponentModel;
using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Pay;
using Appraisal.Web.Pay;
using Appraisal.App.People;
using Appraisal.Web.People;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Appraisal.App.Results;

namespace Appraisal.Web.Results;

/// <summary>
/// HR's and the general manager's decisions: appeals (D16; HR or the general manager decide) and the
/// flagged-result reviews (D13; both read, HR decides and records the steps).
/// </summary>
public static class DecisionsApi
{
    public static IEndpointRouteBuilder MapDecisionsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("Decisions").WithUserErrors();
        api.MapGet("/appeals", AppealsAsync)
            .WithName("ListAppeals")
            .WithSummary("Every appeal, open ones first (HR, general manager)");
        api.MapPost("/appeals/{id:int}/decision", DecideAppealAsync)
            .WithName("DecideAppeal")
            .WithSummary("Uphold or reject an appeal (HR, general manager)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapGet("/reviews", ReviewsAsync)
            .WithName("ListReviews")
            .WithSummary("Flagged results to review (HR, general manager; D13)");
        api.MapPost("/reviews/{id:int}/decision", DecideReviewAsync)
            .WithName("DecideReview")
            .WithSummary("Record HR's decision on a flagged result (HR)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        api.MapPost("/reviews/{id:int}/steps", AddStepAsync)
            .WithName("AddReviewStep")
            .WithSummary("Record a step of the review: training, job change, re-appraisal, written notice (HR; D13)")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    public static async Task<Ok<List<AppealDto>>> AppealsAsync(ReadAppeals read, Actor actor, CancellationToken ct)
    {
        var rows = await read.ExecuteAsync(actor, ct: ct);
        return TypedResults.Ok(rows
            .OrderBy(r => r.Appeal.Status != AppealStatus.Open)
            .ThenByDescending(r => r.Appeal.DecidedAt ?? r.Appeal.At)
            .Select(ToDto)
            .ToList());
    }

    public static async Task<Ok<AppealDto>> DecideAppealAsync(int id, DecideAppealRequest body, DecideAppeal decide, ReadAppeals read, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        await decide.ExecuteAsync(actor, id, body.Upheld, body.Note, body.Version, ct);
        return TypedResults.Ok(ToDto((await read.ExecuteAsync(actor, id, ct))[0]));
    }

    public static async Task<Ok<List<ReviewDto>>> ReviewsAsync(
        [Description("Only this month's reviews (YYYY-MM)")] YearMonth? month, ReadReviews read, Actor actor, CancellationToken ct)
    {
        var list = await read.ExecuteAsync(actor, month, ct);
        return TypedResults.Ok(list.Items.Select(i => ToDto(i, list.Labels)).ToList());
    }

    public static async Task<Ok<ReviewDto>> DecideReviewAsync(int id, DecideReviewRequest body, DecideFlagReview decide, ReadReviews read, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        await decide.ExecuteAsync(actor, id, body.Decision, body.Version, ct);
        return TypedResults.Ok(await ReviewAsync(read, actor, id, ct));
    }

    public static async Task<Ok<ReviewDto>> AddStepAsync(int id, ReviewStepRequest body, AddReviewStep add, ReadReviews read, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(body);
        await add.ExecuteAsync(actor, id, body.Kind, body.Date, body.Note, body.Version, ct);
        return TypedResults.Ok(await ReviewAsync(read, actor, id, ct));
    }

    private static async Task<ReviewDto> ReviewAsync(ReadReviews read, Actor actor, int id, CancellationToken ct)
    {
        var list = await read.ExecuteAsync(actor, null, ct);
        return ToDto(list.Items.First(i => i.Review.Id == id), list.Labels);
    }

    private static ReviewDto ToDto(ReviewItem i, GradeLabels labels)
    {
        var r = i.Review;
        return new ReviewDto(r.Id, i.Month, r.PersonId, i.EmployeeNo, i.Name, i.Team, r.Flag, r.Decision, r.DecidedBy, r.DecidedAt,
            r.Steps.OrderBy(s => s.Date).ThenBy(s => s.Id).Select(s => new ReviewStepDto(s.Kind, s.Date, s.Note)).ToList(),
            i.Evidence.Select(e => new ReviewEvidenceDto(e.Month, e.PolicyVersion, e.Score is { } s ? decimal.Round(s, 1) : null,
                labels.Band(e.PolicyVersion, e.GradeKey)?.Label.Zh ?? e.GradeKey, e.Rank, e.SalesRank, e.SalesActual, e.EligibleCount)).ToList(),
            i.LowestScore, i.LowestSales, r.Version);
    }

    private static AppealDto ToDto(AppealRow r) => AppealDto.From(r.Appeal, r.Month, r.EmployeeNo, r.Name, r.Team);
}
