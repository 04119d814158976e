using System.ComponentModel;
using Appraisal.Core.Policy;
using Appraisal.Core.Results;
using Appraisal.Web.Audit;
using Appraisal.Web.Data;
using Appraisal.Web.Months;
using Appraisal.Web.People;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Results;

/// <summary>
/// One stored result: the fields of the evaluate contract's output (labels in Chinese, as the contract
/// gives them) plus who it is. <c>id</c> is the contract's id, the employee number.
/// </summary>
public sealed record ResultRow(
    string Month,
    [property: Description("The evaluate contract's id: the employee number")] string Id,
    [property: Description("The person's id, for /api/people/{id}/results")] int PersonId,
    string EmployeeNo,
    string Name,
    string? Team,
    bool Eligible,
    int? SelfTotal,
    int SupervisorTotal,
    decimal? Score,
    string? Grade,
    string Level,
    decimal PositionSalary,
    string? Training,
    string? Promotion,
    decimal CommissionRate,
    decimal Commission,
    decimal Bonus,
    decimal OtherPay,
    decimal TotalPay,
    int? Rank,
    int? SalesRank,
    string[] Flags,
    decimal SalesPlan,
    decimal SalesActual,
    [property: Description("The policy version that computed this row (D18)")] string PolicyVersion);

/// <summary>A month's results as the signed-in person may see them (D19).</summary>
public sealed record MonthResultsResponse(
    string Month,
    string Status,
    [property: Description("False until the general manager confirms the month; only HR and the general manager see unpublished results (D16)")] bool Published,
    string? PolicyVersion,
    List<ResultRow> Results);

/// <summary>One person's results over the months, as the signed-in person may see them (D19).</summary>
public sealed record PersonResultsResponse(int PersonId, string EmployeeNo, string Name, string? Team, List<ResultRow> Results);

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
            .WithSummary("A month's stored results and pay")
            .WithDescription("Agents get their own row, supervisors their team, HR and the general manager everyone (D19). "
                + "Agents and supervisors see a month only once it is confirmed (D16). Reads of other people's pay are audited.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        api.MapGet("/people/{id:int}/results", PersonAsync)
            .WithName("GetPersonResults")
            .WithSummary("One person's results and pay over the months")
            .WithDescription("403 unless the signed-in person may see this person (D19). Reads of other people's pay are audited.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    public static async Task<JsonBody<MonthResultsResponse>> MonthAsync(
        [Description("YYYY-MM")] string month, AppDbContext db, Access access, AuditLog audit, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(http.User);
        var row = await MonthsApi.FindAsync(db, month, ct);
        var published = row.Status == MonthStatus.Confirmed;
        var visible = await access.VisiblePeopleAsync(actor, ct);
        var rows = new List<ResultRow>();

        // D16: results are published by the general manager's confirmation; before it only HR and the GM see them.
        if (visible is null || published)
        {
            var query = db.Results.AsNoTracking().Where(r => r.MonthId == row.Id);
            if (visible is not null)
            {
                var ids = visible.ToArray();
                query = query.Where(r => ids.Contains(r.PersonId));
            }

            rows = await ReadAsync(db, query, new Dictionary<int, string> { [row.Id] = row.Month }, ct);
        }

        var others = rows.Count(r => r.PersonId != actor.PersonId);
        if (others > 0)
        {
            audit.Record(actor.UserName, "pay.read", row.Month, detail: $"GET /api/months/{row.Month}/results: {rows.Count} people ({others} other than the reader)");
            await db.SaveChangesAsync(ct);
        }

        return new JsonBody<MonthResultsResponse>(new MonthResultsResponse(row.Month, row.Status == MonthStatus.Confirmed ? "confirmed" : "open", published, row.PolicyVersion, rows));
    }

    public static async Task<Results<Ok<PersonResultsResponse>, ProblemHttpResult>> PersonAsync(
        [Description("The person's id")] int id, AppDbContext db, Access access, AuditLog audit, HttpContext http, CancellationToken ct)
    {
        var actor = Actor.From(http.User);

        // Access first, so that the answer does not tell an agent whether some other id exists (D19).
        if (!await access.CanSeeAsync(actor, id, ct))
        {
            return ApiProblems.From(UserError.Forbidden());
        }

        var person = await db.People.AsNoTracking().Where(p => p.Id == id)
            .Select(p => new { p.Id, p.EmployeeNo, p.Name, Team = p.Team != null ? p.Team.Name : null })
            .FirstOrDefaultAsync(ct);
        if (person is null)
        {
            return ApiProblems.From(UserError.NotFound());
        }

        var months = await db.Months.AsNoTracking()
            .Where(m => actor.SeesEveryone || m.Status == MonthStatus.Confirmed)
            .ToDictionaryAsync(m => m.Id, m => m.Month, ct);
        var monthIds = months.Keys.ToArray();
        var rows = await ReadAsync(db, db.Results.AsNoTracking().Where(r => r.PersonId == id && monthIds.Contains(r.MonthId)), months, ct);
        rows.Sort((a, b) => string.CompareOrdinal(a.Month, b.Month));

        if (id != actor.PersonId && rows.Count > 0)
        {
            audit.Record(actor.UserName, "pay.read", null, id, $"GET /api/people/{id}/results: {rows.Count} month(s)");
            await db.SaveChangesAsync(ct);
        }

        return TypedResults.Ok(new PersonResultsResponse(person.Id, person.EmployeeNo, person.Name, person.Team, rows));
    }

    /// <summary>The rows of <paramref name="query"/> in employee-number order, with labels of the policy that computed each.</summary>
    private static async Task<List<ResultRow>> ReadAsync(AppDbContext db, IQueryable<StoredResult> query, Dictionary<int, string> months, CancellationToken ct)
    {
        var raw = await query
            .OrderBy(r => r.Person!.EmployeeNo)
            .Select(r => new
            {
                r.MonthId,
                r.PersonId,
                r.Person!.EmployeeNo,
                r.Person.Name,
                Team = r.Team != null ? r.Team.Name : null,
                r.PolicyVersion,
                r.Eligible,
                r.SelfTotal,
                r.SupervisorTotal,
                r.Score,
                r.GradeKey,
                r.LevelKey,
                r.PositionSalary,
                r.CommissionRate,
                r.Commission,
                r.Bonus,
                r.OtherPay,
                r.TotalPay,
                r.Rank,
                r.SalesRank,
                r.Flags,
                r.SalesPlan,
                r.SalesActual,
            })
            .ToListAsync(ct);

        // The labels of the policy version that computed each row, resolved once per version (as the pages do).
        var labels = new GradeLabels(await ResultPolicies.LoadAsync(db, raw.Select(r => r.PolicyVersion), ct));
        var zeros = labels.Policies.ToDictionary(p => p.Key, p => MoneyZero(p.Value), StringComparer.Ordinal);
        var result = new List<ResultRow>(raw.Count);
        foreach (var r in raw)
        {
            var grade = labels.Band(r.PolicyVersion, r.GradeKey);
            var zero = zeros[r.PolicyVersion];
            result.Add(new ResultRow(
                months[r.MonthId],
                r.EmployeeNo,
                r.PersonId,
                r.EmployeeNo,
                r.Name,
                r.Team,
                r.Eligible,
                r.SelfTotal,
                r.SupervisorTotal,
                r.Score is { } s ? decimal.Round(s, 1) : null,
                grade?.Label.Zh ?? r.GradeKey,
                labels.Band(r.PolicyVersion, r.LevelKey)?.Level.Zh ?? r.LevelKey,
                Money(r.PositionSalary, zero),
                grade?.Training.Zh,
                grade?.Promotion?.Zh,
                Normalize(r.CommissionRate),
                Money(r.Commission, zero),
                Money(r.Bonus, zero),
                Money(r.OtherPay, zero),
                Money(r.TotalPay, zero),
                r.Rank,
                r.SalesRank,
                [.. ResultFlagNames.Of(r.Flags)],
                Money(r.SalesPlan, zero),
                Money(r.SalesActual, zero),
                r.PolicyVersion));
        }

        return result;
    }

    // Stored decimals come back with the provider's scale (SQLite text drops trailing zeros, PostgreSQL's
    // numeric(18,4) pads them); money is written as the evaluate contract writes it, with exactly the policy's
    // decimals (D9): round to them (a no-op for stored amounts), then add a zero of that scale.
    private static decimal Money(decimal value, decimal zero) => decimal.Round(value, zero.Scale, MidpointRounding.AwayFromZero) + zero;

    // A rate has no fixed scale; trailing zeros are dropped.
    private static decimal Normalize(decimal value) => value / 1.000000000000000000000000000000000m;

    /// <summary>0 with the policy's money decimals as its scale (0.00 for 2).</summary>
    private static decimal MoneyZero(PolicyDocument policy) => new(0, 0, 0, false, (byte)policy.Money.Decimals);
}
