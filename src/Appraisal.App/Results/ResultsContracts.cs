using System.ComponentModel;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.Core.Results;
using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.Pay;
using Appraisal.App.People;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Results;

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

/// <summary>
/// One page of a month's results as the signed-in person may see them (D19), in employee-number order: a month of
/// 20 000 people is walked page by page (issue 10), <see cref="Total"/> and <see cref="Pages"/> say how far.
/// </summary>
public sealed record MonthResultsResponse(
    string Month,
    string Status,
    [property: Description("False until the general manager confirms the month; only HR and the general manager see unpublished results (D16)")] bool Published,
    string? PolicyVersion,
    [property: Description("The page answered, from 1; a page beyond the last has no rows")] int Page,
    [property: Description("Rows per page as asked (default 500, at most 2000)")] int PageSize,
    [property: Description("How many rows the reader may see in this month, on all pages together")] int Total,
    [property: Description("How many pages of PageSize rows those are (0 when there are none)")] int Pages,
    List<ResultRow> Results);

/// <summary>One person's results over the months, as the signed-in person may see them (D19).</summary>
public sealed record PersonResultsResponse(int PersonId, string EmployeeNo, string Name, string? Team, List<ResultRow> Results);


/// <summary>
/// The stored results the API answers with, under <see cref="ResultAccess"/> (D16, D19) and
/// <see cref="PayAccess"/>'s audit of reads of other people's pay.
/// </summary>
public sealed class ReadResults(AppDbContext db, PayAccess pay)
{
    /// <summary>Rows per page of <see cref="MonthAsync"/> when none is asked for.</summary>
    public const int DefaultPageSize = 500;

    /// <summary>The most rows one page of <see cref="MonthAsync"/> may ask for.</summary>
    public const int MaxPageSize = 2000;

    /// <summary>
    /// One page of a month's rows the reader may see (none of an open month unless HR or the general manager), in
    /// employee-number order, counted and cut by the database. A page number below 1 or a page size outside
    /// 1–<see cref="MaxPageSize"/> is refused (400) naming the parameter, before anything is read or audited.
    /// </summary>
    public async Task<MonthResultsResponse> MonthAsync(Actor actor, YearMonth month, int? page = null, int? pageSize = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var number = page ?? 1;
        var size = pageSize ?? DefaultPageSize;
        CheckPage(number, size);
        var row = await MonthLookup.GetAsync(db, month, ct);
        var published = row.Status == MonthStatus.Confirmed;
        var visible = await pay.VisibleAsync(actor, row, ct);
        var rows = new List<ResultRow>();
        var total = 0;
        if (visible is not { Count: 0 })
        {
            var query = db.Results.AsNoTracking().Where(r => r.MonthId == row.Id);
            if (visible is not null)
            {
                var ids = visible.ToArray();
                query = query.Where(r => ids.Contains(r.PersonId));
            }

            total = await query.CountAsync(ct);
            var skip = (long)(number - 1) * size;
            if (skip < total)
            {
                rows = await ReadAsync(db, query, new Dictionary<int, string> { [row.Id] = row.Month }, ct, (int)skip, size);
            }
        }

        var others = rows.Count(r => r.PersonId != actor.PersonId);
        await pay.RecordReadAsync(actor, rows.Select(r => r.PersonId), row.Month, null,
            $"GET /api/months/{row.Month}/results?page={number}&pageSize={size}: {rows.Count} people ({others} other than the reader)", ct);
        return new MonthResultsResponse(row.Month, published ? "confirmed" : "open", published, row.PolicyVersion, number, size, total,
            (total + size - 1) / size, rows);
    }

    /// <summary>The page asked for: a number from 1 and a size from 1 to <see cref="MaxPageSize"/>; each bad one named.</summary>
    private static void CheckPage(int number, int size)
    {
        var errors = new List<ApiError>(2);
        if (number < 1)
        {
            errors.Add(new ApiError("page", $"页码 page 须为从 1 开始的整数，收到的是 {number}", $"page must be a whole number from 1, not {number}"));
        }

        if (size is < 1 or > MaxPageSize)
        {
            errors.Add(new ApiError("pageSize", $"每页行数 pageSize 须在 1 到 {MaxPageSize} 之间，收到的是 {size}", $"pageSize must be from 1 to {MaxPageSize}, not {size}"));
        }

        if (errors.Count > 0)
        {
            throw new UserError(errors[0].Zh, errors[0].En) { Errors = errors };
        }
    }

    /// <summary>One person's rows over the months the reader may see (403 before anything is read when not this person's reader).</summary>
    public async Task<PersonResultsResponse> PersonAsync(Actor actor, int id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);

        // Access first, so that the answer does not tell an agent whether some other id exists (D19).
        await pay.EnsurePersonAsync(actor, id, ct);
        var person = await db.People.AsNoTracking().Where(p => p.Id == id)
            .Select(p => new { p.Id, p.EmployeeNo, p.Name, Team = p.Team != null ? p.Team.Name : null })
            .FirstOrDefaultAsync(ct) ?? throw UserError.NotFound();

        var months = (await db.Months.AsNoTracking().ToListAsync(ct))
            .Where(m => ResultAccess.SeesMonth(actor, m))
            .ToDictionary(m => m.Id, m => m.Month);
        var monthIds = months.Keys.ToArray();
        var rows = await ReadAsync(db, db.Results.AsNoTracking().Where(r => r.PersonId == id && monthIds.Contains(r.MonthId)), months, ct);
        rows.Sort((a, b) => string.CompareOrdinal(a.Month, b.Month));
        await pay.RecordReadAsync(actor, rows.Select(r => r.PersonId), null, id, $"GET /api/people/{id}/results: {rows.Count} month(s)", ct);
        return new PersonResultsResponse(person.Id, person.EmployeeNo, person.Name, person.Team, rows);
    }

    /// <summary>The rows of <paramref name="query"/> in employee-number order (those from <paramref name="skip"/>, at most <paramref name="take"/>), with labels of the policy that computed each.</summary>
    private static async Task<List<ResultRow>> ReadAsync(AppDbContext db, IQueryable<StoredResult> query, Dictionary<int, string> months, CancellationToken ct,
        int skip = 0, int take = int.MaxValue)
    {
        var ordered = query.OrderBy(r => r.Person!.EmployeeNo).ThenBy(r => r.MonthId);
        var raw = await (skip == 0 && take == int.MaxValue ? ordered : ordered.Skip(skip).Take(take))
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
