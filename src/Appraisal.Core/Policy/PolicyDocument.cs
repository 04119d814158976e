using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace Appraisal.Core.Policy;

/// <summary>
/// Text shown to people, Chinese first (the customer's language) with an optional English rendering.
/// </summary>
public sealed record LocalizedText(string Zh, string? En = null)
{
    /// <summary>The English text when asked for and present, else the Chinese.</summary>
    public string Get(bool english) => english && !string.IsNullOrEmpty(En) ? En : Zh;
}

/// <summary>
/// The whole appraisal and pay policy as one versioned document (D18): the KPI sheet
/// 《客服 KPI 考核表》 and the rules of 《客服人员绩效考核管理办法》, with the product's decisions
/// D1–D15 as defaults. The engine reads every number from here; nothing is a constant in code.
/// </summary>
public sealed record PolicyDocument
{
    /// <summary>Where the JSON schema of this document lives, kept so that editors can validate it.</summary>
    [JsonPropertyName("$schema")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Schema { get; init; }

    /// <summary>Version of the document format (not of the policy).</summary>
    public required int SchemaVersion { get; init; }

    /// <summary>The policy version, such as <c>seed-1</c>; results record which version computed them (D18).</summary>
    public required string Version { get; init; }

    /// <summary>The policy's title.</summary>
    public required LocalizedText Title { get; init; }

    /// <summary>Self and supervisor weights of the final score (考评结果个人占 40%，主管占 60%, D4).</summary>
    public required ScoreWeights Weights { get; init; }

    /// <summary>The two groups of the KPI sheet with their items and levels (D1, D2).</summary>
    public required ImmutableArray<ItemGroup> Groups
    {
        get => groups;
        init
        {
            groups = value;
            // Computed here, once, so that Items is a plain read: a lazily cached ImmutableArray? could be read torn
            // (HasValue seen before its array) by another thread sharing the document. A copy made with
            // `with { Groups = ... }` passes here too, so Items (and the score checks of D3) follow the new groups.
            items = value.IsDefault ? [] : [.. value.SelectMany(g => g.Items)];
        }
    }

    private readonly ImmutableArray<ItemGroup> groups;

    /// <summary>Grade bands, highest first (第八条, D6).</summary>
    public required ImmutableArray<GradeBand> Grades { get; init; }

    /// <summary>Sales commission tiers (第九条, D8).</summary>
    public required CommissionPolicy Commission { get; init; }

    /// <summary>The one-off bonus for consecutive firsts (第十一条, D12).</summary>
    public required BonusRule Bonus { get; init; }

    /// <summary>The two 自动请辞 rules, as flags for HR review (第十一条, 第十二条, D12, D13).</summary>
    public required ReviewFlagRules ReviewFlags { get; init; }

    /// <summary>Who takes part in a month's appraisal (第二条, D14).</summary>
    public required EligibilityRule Eligibility { get; init; }

    /// <summary>How money is rounded (D9).</summary>
    public required MoneyRule Money { get; init; }

    /// <summary>Deadlines of the monthly process (第六条, D16, D17).</summary>
    public required ProcessSettings Process { get; init; }

    /// <summary>All items of the sheet in sheet order; score arrays are indexed in this order.</summary>
    [JsonIgnore]
    public ImmutableArray<PolicyItem> Items => items;

    private readonly ImmutableArray<PolicyItem> items;

    /// <summary>The position of the item with <paramref name="key"/> in <see cref="Items"/>, or -1.</summary>
    public int IndexOfItem(string key)
    {
        var all = Items;
        for (var i = 0; i < all.Length; i++)
        {
            if (string.Equals(all[i].Key, key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The band whose lower bound is the highest one not above <paramref name="score"/> (D6).</summary>
    public GradeBand GradeFor(decimal score)
    {
        foreach (var band in Grades)
        {
            if (score >= band.MinScore)
            {
                return band;
            }
        }

        return Grades[^1];
    }

    /// <summary>
    /// The band just above the one <paramref name="score"/> falls in (<see cref="GradeFor"/>), or null at the top:
    /// its lower bound is the score the next grade needs (第八条, D6).
    /// </summary>
    public GradeBand? NextGradeAbove(decimal score)
    {
        var current = GradeFor(score);
        var index = Grades.IndexOf(current);
        return index > 0 ? Grades[index - 1] : null;
    }

    /// <summary>The lowest band: the job level and salary of an employee never appraised (D15).</summary>
    [JsonIgnore]
    public GradeBand LowestGrade => Grades[^1];

    /// <summary>The band with <paramref name="key"/>, or null.</summary>
    public GradeBand? FindGrade(string key)
    {
        foreach (var band in Grades)
        {
            if (string.Equals(band.Key, key, StringComparison.Ordinal))
            {
                return band;
            }
        }

        return null;
    }
}

/// <summary>Weights of the self-assessment and the supervisor's assessment in the final score (D4).</summary>
public sealed record ScoreWeights(decimal Self, decimal Supervisor);

/// <summary>A group of the KPI sheet (行为考核 30%, 岗位职责考核 70%).</summary>
public sealed record ItemGroup(string Key, LocalizedText Name, int Percent, ImmutableArray<PolicyItem> Items);

/// <summary>One item of the KPI sheet with its maximum points and its levels (D1, D2).</summary>
public sealed record PolicyItem(string Key, LocalizedText Name, int Max, ImmutableArray<ItemLevel> Levels)
{
    /// <summary>
    /// The index of the level a score belongs to (D2), or -1 when no level holds it (e.g. above the maximum).
    /// Where two levels share an end point (complaints 5–9 and 0–5 both hold 5) the upper level wins: the one
    /// with the higher lower bound. The sheet page, its script (through the table the page writes out) and
    /// <c>SaveSheet</c> all take the level of a typed score from here.
    /// </summary>
    public int LevelOf(int score)
    {
        var found = -1;
        if (Levels.IsDefault)
        {
            return found;
        }

        for (var l = 0; l < Levels.Length; l++)
        {
            var level = Levels[l];
            if (level.Holds(score) && (found < 0 || level.Min > Levels[found].Min || (level.Min == Levels[found].Min && level.Max > Levels[found].Max)))
            {
                found = l;
            }
        }

        return found;
    }

    /// <summary>True when more than one level holds <paramref name="score"/>: an end point shared by two levels (D2).</summary>
    public bool IsSharedEndPoint(int score) => !Levels.IsDefault && Levels.Count(l => l.Holds(score)) > 1;
}

/// <summary>A level of an item: a description and the whole-point range it allows (D2, D3).</summary>
public sealed record ItemLevel(int Min, int Max, LocalizedText Text)
{
    /// <summary>True when <paramref name="score"/> lies in this level's range.</summary>
    public bool Holds(int score) => score >= Min && score <= Max;
}

/// <summary>
/// A grade band of 第八条 (考核结果应用表): from its lower bound on the unrounded score (D6) up to
/// the next band, with the training need, promotion, job level and position salary it brings.
/// </summary>
public sealed record GradeBand(
    string Key,
    decimal MinScore,
    LocalizedText Label,
    LocalizedText Training,
    LocalizedText? Promotion,
    LocalizedText Level,
    decimal PositionSalary);

/// <summary>Commission tiers of 第九条 as half-open intervals of actual minus plan (D8).</summary>
public sealed record CommissionPolicy(ImmutableArray<CommissionTier> Tiers)
{
    /// <summary>The tier for plan <paramref name="plan"/> and actual <paramref name="actual"/>: the last tier whose lower bound is reached.</summary>
    public CommissionTier TierFor(decimal plan, decimal actual)
    {
        var above = actual - plan;
        var found = Tiers[0];
        foreach (var tier in Tiers)
        {
            if (tier.MinAbovePlan is not { } min || above >= min)
            {
                found = tier;
            }
        }

        return found;
    }
}

/// <summary>
/// A commission tier: applies when actual − plan ≥ <see cref="MinAbovePlan"/> (null: no lower bound),
/// and its rate applies to the whole of the actual sales (全额, D8).
/// </summary>
public sealed record CommissionTier(decimal? MinAbovePlan, decimal Rate);

/// <summary>
/// 第十一条: rank <see cref="Rank"/> in <see cref="ConsecutiveMonths"/> consecutive appraised months pays
/// <see cref="Amount"/> once; the run then starts over (D12).
/// </summary>
public sealed record BonusRule(int Rank, int ConsecutiveMonths, decimal Amount);

/// <summary>The two 自动请辞 rules, which only raise flags for HR review (D13).</summary>
public sealed record ReviewFlagRules(ConsecutiveFailRule ConsecutiveFail, LastInScoreAndSalesRule LastInScoreAndSales);

/// <summary>第十一条: the grade <see cref="Grade"/> in this many consecutive appraised months raises a flag (D12).</summary>
public sealed record ConsecutiveFailRule(string Grade, int ConsecutiveMonths);

/// <summary>第十二条: lowest score and lowest sales of the month, among at least this many eligible employees (D12).</summary>
public sealed record LastInScoreAndSalesRule(int MinEligible);

/// <summary>
/// 第二条 as D14 reads it: excluded when absence over the trailing <see cref="WindowMonths"/> months
/// exceeds <see cref="MaxAbsentDays"/> days.
/// </summary>
public sealed record EligibilityRule(int WindowMonths, int MaxAbsentDays);

/// <summary>Money is rounded to this many decimals, half away from zero (D9).</summary>
public sealed record MoneyRule(int Decimals);

/// <summary>Deadlines of the monthly process: the appraisal window in the following month (第六条, D17) and the appeal period (D16).</summary>
public sealed record ProcessSettings(AppraisalWindow AppraisalWindow, int AppealDays);

/// <summary>Days of the following month in which appraisals are made (第六条: 3~6日, D17).</summary>
public sealed record AppraisalWindow(int FromDay, int ToDay);
