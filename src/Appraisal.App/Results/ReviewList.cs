using Appraisal.Core.Results;
using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Results;

/// <summary>A month's result as evidence for a review: what the rule looked at.</summary>
public sealed record EvidenceMonth(string Month, string PolicyVersion, decimal? Score, string? GradeKey, int? Rank, int? SalesRank, decimal SalesActual, int EligibleCount);

/// <summary>One review with its person and the evidence that raised it (D13).</summary>
public sealed record ReviewItem(
    FlagReview Review,
    string Month,
    string EmployeeNo,
    string Name,
    string? Team,
    IReadOnlyList<EvidenceMonth> Evidence,
    decimal? LowestScore,
    decimal? LowestSales);

/// <summary>The HR review queue: open reviews first, then decided ones.</summary>
public sealed record ReviewList(IReadOnlyList<ReviewItem> Items, GradeLabels Labels, bool CanEdit);

/// <summary>
/// Reads the HR review queue of D13 with the evidence of each flag: for consecutiveFail the run of failing
/// appraised months that raised it; for lastInScoreAndSales the month's lowest score and lowest sales
/// beside the person's. HR edits; the general manager reads.
/// </summary>
public sealed class ReadReviews(AppDbContext db)
{
    public async Task<ReviewList> ExecuteAsync(Actor actor, YearMonth? onlyMonth = null, CancellationToken ct = default)
    {
        ResultAccess.EnsureCompanyWide(actor);
        var months = await db.Months.AsNoTracking().Select(m => new { m.Id, m.Month }).ToDictionaryAsync(m => m.Id, m => m.Month, ct);
        var query = db.FlagReviews.AsNoTracking().Include(r => r.Steps).AsQueryable();
        if (onlyMonth is { } only)
        {
            var monthId = (await MonthLookup.GetAsync(db, only, ct)).Id;
            query = query.Where(r => r.MonthId == monthId);
        }

        var reviews = await query.ToListAsync(ct);
        var personIds = reviews.Select(r => r.PersonId).Distinct().ToList();
        var people = await db.People.AsNoTracking().Where(p => personIds.Contains(p.Id))
            .Select(p => new { p.Id, p.EmployeeNo, p.Name, Team = p.Team != null ? p.Team.Name : null })
            .ToDictionaryAsync(p => p.Id, ct);
        var results = await db.Results.AsNoTracking().Where(r => personIds.Contains(r.PersonId))
            .Select(r => new { r.MonthId, r.PersonId, r.Eligible, r.PolicyVersion, r.Score, r.GradeKey, r.Rank, r.SalesRank, r.SalesActual })
            .ToListAsync(ct);
        var resultMonthIds = results.Select(r => r.MonthId).Distinct().ToList();
        var counts = await db.Results.AsNoTracking().Where(r => resultMonthIds.Contains(r.MonthId) && r.Eligible)
            .GroupBy(r => r.MonthId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);

        // Lowest score and sales of the months with a lastInScoreAndSales review; min over decimals in memory (SQLite stores them as text).
        var lastMonthIds = reviews.Where(r => r.Flag == ResultFlagNames.LastInScoreAndSales).Select(r => r.MonthId).Distinct().ToList();
        var lowest = (await db.Results.AsNoTracking().Where(r => lastMonthIds.Contains(r.MonthId) && r.Eligible)
                .Select(r => new { r.MonthId, r.Score, r.SalesActual }).ToListAsync(ct))
            .GroupBy(r => r.MonthId)
            .ToDictionary(g => g.Key, g => (Score: g.Min(r => r.Score), Sales: g.Min(r => r.SalesActual)));

        var docs = await ResultPolicies.LoadAsync(db, results.Select(r => r.PolicyVersion), ct);
        var byPerson = results.ToLookup(r => r.PersonId);
        var items = new List<ReviewItem>(reviews.Count);
        foreach (var review in reviews)
        {
            var person = people[review.PersonId];
            var mine = byPerson[review.PersonId]
                .Where(r => months.ContainsKey(r.MonthId))
                .ToDictionary(r => YearMonth.Parse(months[r.MonthId]));
            EvidenceMonth Evidence(YearMonth ym)
            {
                var r = mine[ym];
                return new EvidenceMonth(ym.ToString(), r.PolicyVersion, r.Score, r.GradeKey, r.Rank, r.SalesRank, r.SalesActual, counts.GetValueOrDefault(r.MonthId));
            }

            var month = YearMonth.Parse(months[review.MonthId]);
            var evidence = new List<EvidenceMonth>();
            if (review.Flag == ResultFlagNames.ConsecutiveFail)
            {
                // D12: calendar-consecutive appraised months with the failing grade, ending at the review's month.
                for (var ym = month; mine.TryGetValue(ym, out var r) && r.Eligible
                        && docs.TryGetValue(r.PolicyVersion, out var policy) && r.GradeKey == policy.ReviewFlags.ConsecutiveFail.Grade; ym = ym.Previous)
                {
                    evidence.Add(Evidence(ym));
                }
            }
            else if (mine.ContainsKey(month))
            {
                evidence.Add(Evidence(month));
            }

            var low = lowest.TryGetValue(review.MonthId, out var l) ? l : default;
            items.Add(new ReviewItem(review, month.ToString(), person.EmployeeNo, person.Name, person.Team, evidence,
                review.Flag == ResultFlagNames.LastInScoreAndSales ? low.Score : null,
                review.Flag == ResultFlagNames.LastInScoreAndSales ? low.Sales : null));
        }

        var ordered = items
            .OrderBy(i => i.Review.Decision is not null)
            .ThenByDescending(i => i.Month, StringComparer.Ordinal)
            .ThenBy(i => i.EmployeeNo, StringComparer.Ordinal)
            .ToList();
        return new ReviewList(ordered, new GradeLabels(docs), actor.IsHr);
    }
}
