using Appraisal.Core.Policy;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.Results;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Dashboards;

/// <summary>How many appraised people of a month fell in one grade band, and their share of those graded.</summary>
public sealed record GradeCount(string Key, string Label, int Count, decimal Percent);

/// <summary>A month's grade distribution (第八条): one count per band, highest band first, and those not appraised (D15).</summary>
public sealed record MonthGrades(string Month, MonthStatus Status, IReadOnlyList<GradeCount> Grades, int Excluded)
{
    public int Graded => Grades.Sum(g => g.Count);
}

/// <summary>
/// A month's stored results in sums: people and pay (第八条–第十一条); the parts are null when only the total was
/// asked for (the general manager's trend).
/// </summary>
public sealed record MonthTotals(string Month, MonthStatus Status, int People, decimal? PositionSalary, decimal? Commission, decimal? Bonus, decimal? OtherPay, decimal TotalPay);

/// <summary>
/// The figures several dashboards share, each one grouped in the database (no result row is loaded): grade
/// counts per month and band, and pay totals per month. Callers decide whose results they may read
/// (<see cref="ResultAccess"/>) and pass the people as <paramref name="people"/> (null for everyone).
/// </summary>
public static class MonthFigures
{
    /// <summary>The months with stored results, newest first, at most <paramref name="count"/>, optionally only confirmed ones.</summary>
    public static Task<List<AppraisalMonth>> MonthsWithResultsAsync(AppDbContext db, int count, bool onlyConfirmed, CancellationToken ct) =>
        db.Months.AsNoTracking()
            .Where(m => (!onlyConfirmed || m.Status == MonthStatus.Confirmed) && db.Results.Any(r => r.MonthId == m.Id))
            .OrderByDescending(m => m.Month).Take(count).ToListAsync(ct);

    public static IQueryable<StoredResult> Results(AppDbContext db, IEnumerable<int> monthIds, IReadOnlyCollection<int>? people)
    {
        ArgumentNullException.ThrowIfNull(db);
        var ids = monthIds.ToList();
        var query = db.Results.AsNoTracking().Where(r => ids.Contains(r.MonthId));
        if (people is not null)
        {
            var visible = people.ToList();
            query = query.Where(r => visible.Contains(r.PersonId));
        }

        return query;
    }

    /// <summary>
    /// Grade counts per month, oldest first, in the bands of the newest month's policy (labels from each result's own
    /// version, D18); a band key only an older version had is added after them.
    /// </summary>
    public static async Task<(IReadOnlyList<MonthGrades> Months, IReadOnlyList<GradeBand> Bands)> GradesAsync(
        AppDbContext db, IReadOnlyList<AppraisalMonth> months, IReadOnlyCollection<int>? people, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(months);
        var groups = await Results(db, months.Select(m => m.Id), people)
            .GroupBy(r => new { r.MonthId, r.PolicyVersion, r.GradeKey, r.Eligible })
            .Select(g => new { g.Key.MonthId, g.Key.PolicyVersion, g.Key.GradeKey, g.Key.Eligible, Count = g.Count() })
            .ToListAsync(ct);
        var docs = await ResultPolicies.LoadAsync(db, groups.Select(g => g.PolicyVersion).Concat(months.Where(m => m.PolicyVersion is not null).Select(m => m.PolicyVersion!)), ct);
        var labels = new GradeLabels(docs);
        var newest = months.OrderByDescending(m => m.Month, StringComparer.Ordinal).FirstOrDefault();
        var bands = (newest?.PolicyVersion is { } v && docs.TryGetValue(v, out var doc) ? doc : groups.Count > 0 ? docs[groups[0].PolicyVersion] : DefaultPolicy.Instance)
            .Grades.ToList();
        foreach (var g in groups.Where(g => g.Eligible && g.GradeKey is not null && !bands.Exists(b => b.Key == g.GradeKey)))
        {
            if (labels.Band(g.PolicyVersion, g.GradeKey) is { } extra && !bands.Exists(b => b.Key == extra.Key))
            {
                bands.Add(extra);
            }
        }

        var result = months.OrderBy(m => m.Month, StringComparer.Ordinal).Select(m =>
        {
            var mine = groups.Where(g => g.MonthId == m.Id).ToList();
            var graded = mine.Where(g => g.Eligible && g.GradeKey is not null).Sum(g => g.Count);
            var counts = bands.Select(b =>
            {
                var count = mine.Where(g => g.Eligible && g.GradeKey == b.Key).Sum(g => g.Count);
                var label = mine.Where(g => g.GradeKey == b.Key).Select(g => labels.Grade(g.PolicyVersion, g.GradeKey)).FirstOrDefault()
                    ?? b.Label.Get(Localization.L.IsEnglish);
                return new GradeCount(b.Key, label, count, Share(count, graded));
            }).ToList();
            return new MonthGrades(m.Month, m.Status, counts, mine.Where(g => !g.Eligible).Sum(g => g.Count));
        }).ToList();
        return (result, bands);
    }

    /// <summary>
    /// Pay totals per month, oldest first (第十条: the month's pay is the sum of its parts). PostgreSQL sums in the
    /// database; SQLite has no decimal type and its decimal sum (EF Core's <c>ef_sum</c>) calls back into .NET for
    /// every value, several times slower than reading the amounts of each row and adding them here; only the total
    /// is read when <paramref name="parts"/> is false (a fifth of the values).
    /// </summary>
    public static async Task<IReadOnlyList<MonthTotals>> TotalsAsync(AppDbContext db, IReadOnlyList<AppraisalMonth> months, IReadOnlyCollection<int>? people, CancellationToken ct, bool parts = true)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(months);
        var results = Results(db, months.Select(m => m.Id), people);
        Dictionary<int, MonthSum> sums;
        if (db.Database.IsSqlite())
        {
            // Without the parts only the month and the total are read; the parts' zeros are added here, not read.
            var rows = parts
                ? results.Select(r => new MonthSum(1, r.PositionSalary, r.Commission, r.Bonus, r.OtherPay, r.TotalPay) { MonthId = r.MonthId })
                : results.Select(r => new MonthSum(1, 0, 0, 0, 0, r.TotalPay) { MonthId = r.MonthId });
            sums = [];
            await foreach (var r in rows.AsAsyncEnumerable().WithCancellation(ct))
            {
                sums[r.MonthId] = sums.TryGetValue(r.MonthId, out var s) ? s + r : r;
            }
        }
        else
        {
            sums = await results.GroupBy(r => r.MonthId)
                .Select(g => new MonthSum(g.Count(), g.Sum(r => r.PositionSalary), g.Sum(r => r.Commission), g.Sum(r => r.Bonus), g.Sum(r => r.OtherPay), g.Sum(r => r.TotalPay))
                {
                    MonthId = g.Key,
                })
                .ToDictionaryAsync(g => g.MonthId, ct);
        }

        return months.OrderBy(m => m.Month, StringComparer.Ordinal).Select(m =>
        {
            var s = sums.GetValueOrDefault(m.Id);
            return parts
                ? new MonthTotals(m.Month, m.Status, s.People, s.Salary, s.Commission, s.Bonus, s.Other, s.Total)
                : new MonthTotals(m.Month, m.Status, s.People, null, null, null, null, s.Total);
        }).ToList();
    }

    /// <summary>A month's people and pay sums, added row by row (a row is a sum of one) or read from the database's sums.</summary>
    private readonly record struct MonthSum(int People, decimal Salary, decimal Commission, decimal Bonus, decimal Other, decimal Total)
    {
        public int MonthId { get; init; }

        public static MonthSum operator +(MonthSum a, MonthSum b) =>
            new(a.People + b.People, a.Salary + b.Salary, a.Commission + b.Commission, a.Bonus + b.Bonus, a.Other + b.Other, a.Total + b.Total) { MonthId = a.MonthId };
    }

    /// <summary>A share in percent with one decimal (0 when there is nothing to share).</summary>
    public static decimal Share(int part, int whole) => whole == 0 ? 0 : Math.Round(part * 100m / whole, 1, MidpointRounding.AwayFromZero);
}
