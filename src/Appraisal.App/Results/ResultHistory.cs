using Appraisal.Core.Months;
using Appraisal.Core.Results;
using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.Pay;
using Appraisal.App.People;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Results;

/// <summary>One month of a person's history.</summary>
public sealed record HistoryRow(
    string Month,
    MonthStatus Status,
    bool Stale,
    string PolicyVersion,
    bool Eligible,
    decimal? Score,
    string? GradeKey,
    string LevelKey,
    int? Rank,
    int EligibleCount,
    decimal TotalPay,
    ResultFlags Flags);

/// <summary>
/// One calendar month of a person's chart: its result, or none (not appraised that month, not computed, or not
/// published to this reader). An excluded month has a result without a score (D15) but with its pay.
/// </summary>
public sealed record HistoryMonth(string Month, HistoryRow? Row)
{
    public decimal? Score => Row?.Score;

    public decimal? TotalPay => Row?.TotalPay;
}

/// <summary>A person's months, newest first.</summary>
public sealed record ResultHistory(int PersonId, string EmployeeNo, string Name, string? Team, bool Active, IReadOnlyList<HistoryRow> Rows, GradeLabels Labels, bool IsSelf)
{
    /// <summary>How many calendar months the history's charts show.</summary>
    public const int ChartMonths = 12;

    /// <summary>
    /// The <paramref name="count"/> calendar months up to the newest one with a result, oldest first, each with its
    /// result or none: a month without one is a gap in the chart, never a zero. Empty when there are no results.
    /// </summary>
    public IReadOnlyList<HistoryMonth> LastMonths(int count = ChartMonths)
    {
        if (Rows.Count == 0)
        {
            return [];
        }

        var byMonth = Rows.ToDictionary(r => r.Month, StringComparer.Ordinal);
        var newest = Rows.Select(r => YearMonth.Parse(r.Month)).Max();
        return Enumerable.Range(1 - count, count).Select(i => newest.PlusMonths(i).ToString())
            .Select(m => new HistoryMonth(m, byMonth.GetValueOrDefault(m))).ToList();
    }
}

/// <summary>
/// Reads one person's months under <see cref="ResultAccess"/>: an employee only themself, a supervisor their team,
/// both only published (confirmed) months; HR and the general manager everyone, every month (D16, D19).
/// Reading another person's pay is audited (<see cref="PayAccess"/>).
/// </summary>
public sealed class ReadHistory(AppDbContext db, PayAccess pay)
{
    public async Task<ResultHistory> ExecuteAsync(Actor actor, int personId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var isSelf = actor.PersonId == personId;
        await pay.EnsurePersonAsync(actor, personId, ct);
        var person = await db.People.AsNoTracking().Where(p => p.Id == personId)
            .Select(p => new { p.EmployeeNo, p.Name, Team = p.Team != null ? p.Team.Name : null, p.Active })
            .FirstOrDefaultAsync(ct) ?? throw UserError.NotFound();

        // D16: only HR and the general manager see a month's results before it is confirmed (ResultAccess.SeesMonth).
        var onlyPublished = !actor.SeesEveryone;
        var rows = await db.Results.AsNoTracking().Where(r => r.PersonId == personId)
            .Join(db.Months, r => r.MonthId, m => m.Id, (r, m) => new { r, m })
            .Where(x => !onlyPublished || x.m.Status == MonthStatus.Confirmed)
            .Select(x => new
            {
                x.m.Id,
                x.m.Month,
                x.m.Status,
                Stale = x.m.ComputedAt == null,
                x.r.PolicyVersion,
                x.r.Eligible,
                x.r.Score,
                x.r.GradeKey,
                x.r.LevelKey,
                x.r.Rank,
                x.r.TotalPay,
                x.r.Flags,
            })
            .ToListAsync(ct);
        var monthIds = rows.Select(r => r.Id).ToList();

        // D19: an employee sees their own rank, not others' names; the count of those ranked is enough.
        var counts = await db.Results.AsNoTracking().Where(r => monthIds.Contains(r.MonthId) && r.Eligible)
            .GroupBy(r => r.MonthId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var docs = await ResultPolicies.LoadAsync(db, rows.Select(r => r.PolicyVersion), ct);

        if (rows.Count > 0)
        {
            await pay.RecordReadAsync(actor, [personId], null, personId, "history", ct);
        }

        return new ResultHistory(
            personId,
            person.EmployeeNo,
            person.Name,
            person.Team,
            person.Active,
            rows.OrderByDescending(r => r.Month, StringComparer.Ordinal)
                .Select(r => new HistoryRow(r.Month, r.Status, r.Stale, r.PolicyVersion, r.Eligible, r.Score, r.GradeKey, r.LevelKey, r.Rank,
                    counts.GetValueOrDefault(r.Id), r.TotalPay, r.Flags))
                .ToList(),
            new GradeLabels(docs),
            isSelf);
    }
}
