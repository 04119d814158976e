using System.ComponentModel;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.Core.Results;
using Appraisal.App.Audit;
using Appraisal.Web.Audit;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.Pay;
using Appraisal.Web.Pay;
using Appraisal.App.People;
using Appraisal.Web.People;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Appraisal.App.Results;

namespace Appraisal.Web.Results;

/// <summary>
/// <c>GET /api/months/{month}/results</c> and <c>GET /api/people/{id}/results</c>: stored results, filtered
/// by D19 (an agent their own row, a supervisor their team, HR and the general manager everyone).
/// <para>
/// Reads of other people's pay are audited (D19) with ONE <c>pay.read</c> entry per request naming the month
/// (or person) and how many people were in the answer, not one entry per row: a month of 2 000 people
/// would otherwise cost 2 000 inserts per read (the answer must stay under 100 ms), and the entry still
/// says who read whose pay, since the month and the reader's visibility determine the rows.
/// </para>
/// <para>
/// Speed (2 000 rows well under 100 ms): one no-tracking projection query with the people and teams
/// joined, grade and level labels resolved once per policy version, and System.Text.Json source-generated
/// serialization (<see cref="ApiJsonContext"/>) in one synchronous pass (<see cref="JsonBody{T}"/>).
/// </para>
/// </summary>
public static class ResultsApi
{
    public static IEndpointRouteBuilder MapResultsApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var api = app.MapGroup("/api").RequireAuthorization().WithTags("Results").WithUserErrors();
        api.MapGet("/months/{month}/results", MonthAsync)
            .WithName("GetMonthResults")
            .WithSummary("One page of a month's stored results and pay (default 500 rows, at most 2000)")
            .WithDescription("Agents get their own row, supervisors their team, HR and the general manager everyone (D19). "
                + "Agents and supervisors see a month only once it is confirmed (D16). Reads of other people's pay are audited. "
                + "Rows in employee-number order, page by page: the answer gives page, pageSize, total and pages; ask page=1, 2, … up to pages "
                + "(a page beyond the last has no rows). A page below 1 or a pageSize outside 1–2000 is a 400 problem naming the parameter.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/people/{id:int}/results", PersonAsync)
            .WithName("GetPersonResults")
            .WithSummary("One person's results and pay over the months")
            .WithDescription("403 unless the signed-in person may see this person (D19). Reads of other people's pay are audited.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<JsonBody<MonthResultsResponse>> MonthAsync(
        [Description("YYYY-MM")] YearMonth month,
        [Description("The page, from 1 (default 1)")] int? page,
        [Description("Rows per page, 1–2000 (default 500)")] int? pageSize,
        ReadResults read, Actor actor, CancellationToken ct) =>
        new(await read.MonthAsync(actor, month, page, pageSize, ct));

    public static async Task<Ok<PersonResultsResponse>> PersonAsync([Description("The person's id")] int id, ReadResults read, Actor actor, CancellationToken ct) =>
        TypedResults.Ok(await read.PersonAsync(actor, id, ct));
}
