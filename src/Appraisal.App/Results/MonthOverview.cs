using Appraisal.Core.Results;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.Pay;
using Appraisal.App.People;
using Appraisal.App.Policy;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Results;

/// <summary>One stored result as the month overview shows it: a flat projection, no entities.</summary>
public sealed record MonthRow(
    int PersonId,
    string EmployeeNo,
    string Name,
    string? Team,
    string PolicyVersion,
    bool Eligible,
    int? SelfTotal,
    int SupervisorTotal,
    decimal? Score,
    string? GradeKey,
    string LevelKey,
    decimal PositionSalary,
    decimal Commission,
    decimal Bonus,
    decimal OtherPay,
    decimal TotalPay,
    int? Rank,
    ResultFlags Flags,
    int AbsentDaysInWindow,
    DateTime ComputedAt)
{
    /// <summary>The two 自动请辞 rules (第十一条, 第十二条) raise an HR review, never an exit (D13).</summary>
    public bool NeedsReview => StoredFlags.NeedsReview(Flags);

    public bool SelfMissing => (Flags & ResultFlags.SelfMissing) != 0;

    /// <summary>HR decided the month's eligibility, not the absence rule (D14).</summary>
    public bool EligibilityOverridden => StoredFlags.IsEligibilityOverridden(Flags);
}

/// <summary>Reading the engine's flags as stored in <see cref="StoredResult.Flags"/>.</summary>
public static class StoredFlags
{
    /// <summary>The two 自动请辞 rules (第十一条, 第十二条), each raising an HR review (D13).</summary>
    public const ResultFlags Review = ResultFlags.ConsecutiveFail | ResultFlags.LastInScoreAndSales;

    public static bool NeedsReview(ResultFlags flags) => (flags & Review) != 0;

    /// <summary>The contract's names of the review flags set, sorted (the names <see cref="FlagReview.Flag"/> keeps).</summary>
    public static IEnumerable<string> ReviewNames(ResultFlags flags) => ResultFlagNames.Of(flags & Review);

    /// <summary>HR decided the month's eligibility with a recorded reason; the absence rule (第二条) was not applied (D14).</summary>
    public static bool IsEligibilityOverridden(ResultFlags flags) => (flags & ResultFlags.EligibilityOverridden) != 0;

    /// <summary>The label of <see cref="ResultFlags.EligibilityOverridden"/> wherever flags are shown.</summary>
    public static string EligibilityOverriddenLabel => Localization.L.T("人事已调整参评资格", "eligibility set by HR");

    /// <summary>What the rule behind a review flag says, for a badge's title (第十一条, 第十二条, D12).</summary>
    public static string RuleText(string flag) => flag switch
    {
        ResultFlagNames.ConsecutiveFail => Localization.L.T("第十一条：连续两个月考核不及格", "第十一条: graded 不及格 two months in a row"),
        ResultFlagNames.LastInScoreAndSales => Localization.L.T("第十二条：当月考核得分和实际销售额都排名最后", "第十二条: lowest score and lowest sales of the month"),
        _ => flag,
    };
}

/// <summary>The month overview (D16): every visible result, sorted, with labels, totals and the month's state.</summary>
public sealed class MonthOverview
{
    public required AppraisalMonth Month { get; init; }

    /// <summary>All months, newest first, for the month picker.</summary>
    public required IReadOnlyList<string> Months { get; init; }

    /// <summary>The visible rows that match the filter, sorted (all visible rows when unfiltered).</summary>
    public required List<MonthRow> Rows { get; init; }

    /// <summary>The page of <see cref="Rows"/> shown (all of them for the files, which are never cut).</summary>
    public required PageOf<MonthRow> Page { get; init; }

    /// <summary>The teams of the month's visible results (the team each person was in that month), by name, for the filter.</summary>
    public required IReadOnlyList<(int Id, string Name)> Teams { get; init; }

    public required string Sort { get; init; }

    public required GradeLabels Labels { get; init; }

    /// <summary>The document that computed most rows (all of them, normally): thresholds for the explanations.</summary>
    public PolicyDocument? Policy { get; init; }

    /// <summary>HR's recorded reasons for excluding someone regardless of absence (D14).</summary>
    public required IReadOnlyDictionary<int, string?> ExcludedByHr { get; init; }

    /// <summary>When the stored rows were computed (kept even while they are stale).</summary>
    public DateTime? ComputedAt { get; init; }

    /// <summary>Results exist but data changed since, or a newer policy version is now in force for the month (D18).</summary>
    public bool Stale { get; init; }

    public bool PolicyChanged { get; init; }

    public bool SeesEveryone { get; init; }

    /// <summary>The month is not confirmed yet, so this reader sees none of its results (D16).</summary>
    public bool Unpublished { get; init; }

    /// <summary>The totals below are of <see cref="Rows"/>: the filtered people when a filter is set.</summary>
    public decimal TotalPositionSalary { get; init; }

    public decimal TotalCommission { get; init; }

    public decimal TotalBonus { get; init; }

    public decimal TotalOther { get; init; }

    public decimal TotalPay { get; init; }
}

/// <summary>
/// What the month overview is narrowed to (a company of thousands): part of a name or employee number, the team
/// of that month, a status (<see cref="ReadMonthOverview.Statuses"/>), the order and the page. Everything optional.
/// </summary>
public sealed record ResultFilter(string? Query = null, int? Team = null, string? Status = null, string? Sort = null, int Page = 1);

/// <summary>
/// Reads the month overview under <see cref="ResultAccess"/>: HR and the general manager everyone, at any time;
/// a supervisor their team once the month is confirmed (D16, D19). Agents are refused: their own result is on
/// their payslip. Built for 2 000 rows: one projected
/// no-tracking query, labels resolved once, sorting in memory (SQLite cannot order decimals).
/// </summary>
public sealed class ReadMonthOverview(AppDbContext db, PayAccess pay, PolicyStore policies)
{
    /// <summary>Column keys accepted by <c>sort=</c> (a leading '-' reverses).</summary>
    public static readonly IReadOnlyList<string> Columns =
        ["rank", "no", "name", "team", "self", "supervisor", "score", "grade", "level", "salary", "commission", "bonus", "other", "total", "flags"];

    /// <summary>The statuses <c>status=</c> narrows to: flagged for HR's review (第十一条, 第十二条), excluded (第二条), without a self-assessment, eligibility set by HR.</summary>
    public static readonly IReadOnlyList<string> Statuses = ["review", "excluded", "self-missing", "overridden"];

    /// <summary>Every visible row of the month, sorted, uncut: what the files hold.</summary>
    public Task<MonthOverview> ExecuteAsync(Actor actor, string? monthText, string? sort, CancellationToken ct = default) =>
        ReadAsync(actor, monthText, new ResultFilter(Sort: sort), int.MaxValue, ct);

    /// <summary>
    /// One page of the month overview as <paramref name="filter"/> asks: the search, the team and the status are
    /// applied by the database, so that only matching rows are read; they are then sorted here (SQLite cannot order
    /// decimals, and names sort in the reader's collation) and cut into pages of <see cref="Paging.Size"/>.
    /// The totals are of the matching rows; the pay read is audited for the rows shown.
    /// </summary>
    public Task<MonthOverview> PageAsync(Actor actor, string? monthText, ResultFilter filter, CancellationToken ct = default) =>
        ReadAsync(actor, monthText, filter ?? throw new ArgumentNullException(nameof(filter)), Paging.Size, ct);

    private async Task<MonthOverview> ReadAsync(Actor actor, string? monthText, ResultFilter filter, int pageSize, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ResultAccess.EnsureOverview(actor);
        var months = await db.Months.AsNoTracking().OrderByDescending(m => m.Month).Select(m => m.Month).ToListAsync(ct);
        var key = string.IsNullOrEmpty(monthText) ? months.FirstOrDefault() : monthText;
        if (key is null)
        {
            throw new UserError("尚无考核月份", "no appraisal month yet", 404);
        }

        var ym = MonthLookup.Parse(key, StatusCodes.Status404NotFound);
        var month = await MonthLookup.GetAsync(db, ym, ct);

        // D16: before the general manager's confirmation only HR and the general manager see the results.
        var visible = await pay.VisibleAsync(actor, month, ct);
        var query = db.Results.AsNoTracking().Where(r => r.MonthId == month.Id);
        if (visible is not null)
        {
            var ids = visible.ToList();
            query = query.Where(r => ids.Contains(r.PersonId));
        }

        // The month's state (when computed, with which versions) is read from all visible rows, not only the
        // matching ones: a search that finds nobody must not make a computed month look uncomputed.
        var total = await query.CountAsync(ct);
        var computedAt = await query.OrderByDescending(r => r.ComputedAt).Select(r => (DateTime?)r.ComputedAt).FirstOrDefaultAsync(ct);
        var allVersions = await query.Select(r => r.PolicyVersion).Distinct().ToListAsync(ct);
        var teamIds = await query.Where(r => r.TeamId != null).Select(r => r.TeamId!.Value).Distinct().ToListAsync(ct);
        var teams = (await db.Teams.AsNoTracking().Where(t => teamIds.Contains(t.Id)).Select(t => new { t.Id, t.Name }).ToListAsync(ct))
            .OrderBy(t => t.Name, StringComparer.CurrentCulture).Select(t => (t.Id, t.Name)).ToList();
        query = Narrow(query, filter);

        var rows = await query
            .Select(r => new MonthRow(
                r.PersonId,
                r.Person!.EmployeeNo,
                r.Person.Name,
                r.Team != null ? r.Team.Name : null,
                r.PolicyVersion,
                r.Eligible,
                r.SelfTotal,
                r.SupervisorTotal,
                r.Score,
                r.GradeKey,
                r.LevelKey,
                r.PositionSalary,
                r.Commission,
                r.Bonus,
                r.OtherPay,
                r.TotalPay,
                r.Rank,
                r.Flags,
                r.AbsentDaysInWindow,
                r.ComputedAt))
            .ToListAsync(ct);

        var docs = await ResultPolicies.LoadAsync(db, allVersions, ct);
        var mainVersion = month.PolicyVersion is { } v && docs.ContainsKey(v) ? v : allVersions.Order(StringComparer.Ordinal).FirstOrDefault();

        // D18: an open month is recomputed with the version in force; if that changed, the rows are stale.
        var policyChanged = false;
        if (month.Status == MonthStatus.Open && total > 0)
        {
            policyChanged = (await policies.InForceAsync(ym, ct)).Version != mainVersion;
        }

        Dictionary<int, string?> excludedByHr = [];
        if (rows.Exists(r => !r.Eligible))
        {
            excludedByHr = await db.Facts.AsNoTracking().Where(f => f.MonthId == month.Id && f.EligibilityOverride == false)
                .ToDictionaryAsync(f => f.PersonId, f => f.OverrideReason, ct);
        }

        var sortKey = Normalize(filter.Sort);
        SortRows(rows, sortKey);
        var size = pageSize >= rows.Count ? Math.Max(rows.Count, 1) : pageSize;
        var number = Math.Clamp(filter.Page, 1, Math.Max(1, (rows.Count + size - 1) / size));
        var shown = size >= rows.Count ? rows : rows.Skip((number - 1) * size).Take(size).ToList();

        // D19: reading other people's pay is audited; one entry per view, not one per row.
        await pay.RecordReadAsync(actor, shown.Select(r => r.PersonId), month.Month, null, $"month overview, {shown.Count} people", ct);

        return new MonthOverview
        {
            Month = month,
            Months = months,
            Rows = rows,
            Page = new PageOf<MonthRow>(shown, number, size, rows.Count, total),
            Teams = teams,
            Sort = sortKey,
            Labels = new GradeLabels(docs),
            Policy = mainVersion is null ? null : docs[mainVersion],
            ExcludedByHr = excludedByHr,
            ComputedAt = computedAt,
            Stale = total > 0 && (month.ComputedAt is null || policyChanged),
            PolicyChanged = policyChanged,
            SeesEveryone = actor.SeesEveryone,
            Unpublished = !ResultAccess.SeesMonth(actor, month),
            TotalPositionSalary = rows.Sum(r => r.PositionSalary),
            TotalCommission = rows.Sum(r => r.Commission),
            TotalBonus = rows.Sum(r => r.Bonus),
            TotalOther = rows.Sum(r => r.OtherPay),
            TotalPay = rows.Sum(r => r.TotalPay),
        };
    }

    /// <summary>The search (name or employee number), the team of the month and the status, as SQL.</summary>
    private IQueryable<StoredResult> Narrow(IQueryable<StoredResult> query, ResultFilter filter)
    {
        if (!string.IsNullOrWhiteSpace(filter.Query))
        {
            var people = Paging.Matching(db.People.AsNoTracking(), filter.Query).Select(p => p.Id);
            query = query.Where(r => people.Contains(r.PersonId));
        }

        if (filter.Team is { } team)
        {
            query = team == 0 ? query.Where(r => r.TeamId == null) : query.Where(r => r.TeamId == team);
        }

        return filter.Status switch
        {
            "review" => query.Where(r => (r.Flags & StoredFlags.Review) != 0),
            "excluded" => query.Where(r => !r.Eligible),
            "self-missing" => query.Where(r => (r.Flags & ResultFlags.SelfMissing) != 0),
            "overridden" => query.Where(r => (r.Flags & ResultFlags.EligibilityOverridden) != 0),
            _ => query,
        };
    }

    /// <summary>A known column with an optional leading '-', else the default: rank.</summary>
    public static string Normalize(string? sort)
    {
        if (string.IsNullOrEmpty(sort))
        {
            return "rank";
        }

        var column = sort.TrimStart('-');
        return !Columns.Contains(column, StringComparer.Ordinal) ? "rank" : sort.StartsWith('-') ? "-" + column : column;
    }

    /// <summary>
    /// Sorts by the column, then by employee number so that the order is total. Empty values (an excluded
    /// employee has no score, grade or rank, D15) go last in either direction.
    /// </summary>
    public static void SortRows(List<MonthRow> rows, string sort)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(sort);
        var descending = sort.StartsWith('-');
        var column = sort.TrimStart('-');
        Comparison<MonthRow> by = column switch
        {
            "no" => (a, b) => string.CompareOrdinal(a.EmployeeNo, b.EmployeeNo),
            "name" => Text(rows, r => r.Name),
            "team" => Text(rows, r => r.Team),
            "self" => Nullable(r => r.SelfTotal),
            "supervisor" => (a, b) => a.SupervisorTotal.CompareTo(b.SupervisorTotal),
            "score" or "grade" => Nullable(r => r.Score),
            "level" or "salary" => (a, b) => a.PositionSalary.CompareTo(b.PositionSalary),
            "commission" => (a, b) => a.Commission.CompareTo(b.Commission),
            "bonus" => (a, b) => a.Bonus.CompareTo(b.Bonus),
            "other" => (a, b) => a.OtherPay.CompareTo(b.OtherPay),
            "total" => (a, b) => a.TotalPay.CompareTo(b.TotalPay),
            "flags" => (a, b) => b.NeedsReview.CompareTo(a.NeedsReview) is var c && c != 0 ? c : ((int)a.Flags).CompareTo((int)b.Flags),
            _ => Nullable(r => r.Rank),
        };
        Func<MonthRow, bool> missing = column switch
        {
            "self" => r => r.SelfTotal is null,
            "score" or "grade" or "rank" => r => r.Score is null,
            _ => _ => false,
        };

        rows.Sort((a, b) =>
        {
            var gap = missing(a).CompareTo(missing(b));
            if (gap != 0)
            {
                return gap;
            }

            var c = by(a, b);
            if (descending)
            {
                c = -c;
            }

            return c != 0 ? c : string.CompareOrdinal(a.EmployeeNo, b.EmployeeNo);
        });
    }

    /// <summary>
    /// Text in the reader's collation (pinyin order under zh-CN), each sort key computed once: comparing
    /// cultures pair by pair would run ~22 000 linguistic comparisons for 2 000 rows.
    /// </summary>
    private static Comparison<MonthRow> Text(List<MonthRow> rows, Func<MonthRow, string?> text)
    {
        var collation = System.Globalization.CultureInfo.CurrentCulture.CompareInfo;
        var keys = new Dictionary<int, System.Globalization.SortKey>(rows.Count);
        foreach (var row in rows)
        {
            keys[row.PersonId] = collation.GetSortKey(text(row) ?? string.Empty);
        }

        return (a, b) => System.Globalization.SortKey.Compare(keys[a.PersonId], keys[b.PersonId]);
    }

    private static Comparison<MonthRow> Nullable<T>(Func<MonthRow, T?> key)
        where T : struct, IComparable<T> =>
        (a, b) => (key(a), key(b)) switch
        {
            ({ } x, { } y) => x.CompareTo(y),
            (null, null) => 0,
            (null, _) => 1,
            _ => -1,
        };
}
