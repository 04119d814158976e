using System.Globalization;
using Appraisal.Core.Policy;
using static Appraisal.App.Localization.L;

namespace Appraisal.App.Policy;

/// <summary>The policy's numbers said in words, as the seed documents say them (第八条, 第九条).</summary>
public static class PolicyText
{
    private static readonly NumberFormatInfo Spaced = new() { NumberGroupSeparator = " ", NumberDecimalSeparator = "." };

    /// <summary>A level's score range: "5" or "3–4" (D2).</summary>
    public static string Range(ItemLevel level)
    {
        ArgumentNullException.ThrowIfNull(level);
        return level.Min == level.Max
            ? level.Min.ToString(CultureInfo.InvariantCulture)
            : string.Create(CultureInfo.InvariantCulture, $"{level.Min}–{level.Max}");
    }

    /// <summary>
    /// A grade band's scores, from its lower bound to the next band's (D6: lower bounds on the unrounded
    /// score, so 94.6 is below 95): "≥ 95", "85 ≤ 分数 &lt; 95", "&lt; 65".
    /// </summary>
    public static string ScoreRange(PolicyDocument policy, int index)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var band = policy.Grades[index];
        var upper = index > 0 ? policy.Grades[index - 1].MinScore : (decimal?)null;
        var score = T("分数", "score");
        return (band.MinScore, upper) switch
        {
            (0, { } u) => $"{score} < {Number(u)}",
            (var m, null) => $"{score} ≥ {Number(m)}",
            (var m, { } u) => $"{Number(m)} ≤ {score} < {Number(u)}",
        };
    }

    /// <summary>
    /// A commission tier in 第九条's words, X the plan and Y the actual sales (D8: half-open, lower bound
    /// inclusive): "Y &lt; X", "X ≤ Y &lt; X + 50 000", "Y ≥ X + 50 000".
    /// </summary>
    public static string TierCondition(CommissionPolicy commission, int index)
    {
        ArgumentNullException.ThrowIfNull(commission);
        var lower = commission.Tiers[index].MinAbovePlan;
        var upper = index + 1 < commission.Tiers.Length ? commission.Tiers[index + 1].MinAbovePlan : null;
        return (lower, upper) switch
        {
            (null, null) => T("任意销售额", "any sales"),
            (null, { } u) => $"Y < {Bound(u)}",
            ({ } l, null) => $"Y ≥ {Bound(l)}",
            ({ } l, { } u) => $"{Bound(l)} ≤ Y < {Bound(u)}",
        };
    }

    /// <summary>A rate as a percentage: 0.005 → "0.5%".</summary>
    public static string Percent(decimal rate) => (rate * 100m).ToString("0.####", CultureInfo.InvariantCulture) + "%";

    /// <summary>A whole amount with spaced thousands, as the policy tables print it: 50000 → "50 000".</summary>
    public static string Amount(decimal value) =>
        value == decimal.Truncate(value) ? value.ToString("#,0", Spaced) : value.ToString("#,0.##", Spaced);

    /// <summary>A score bound: 95 → "95", 84.5 → "84.5".</summary>
    public static string Number(decimal value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Bound(decimal aboveplan) => aboveplan switch
    {
        0 => "X",
        > 0 => $"X + {Amount(aboveplan)}",
        _ => $"X − {Amount(-aboveplan)}",
    };
}
