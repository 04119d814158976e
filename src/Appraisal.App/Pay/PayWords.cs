using Appraisal.Core.Policy;
using Appraisal.App.Policy;
using static Appraisal.App.Localization.L;

namespace Appraisal.App.Pay;

/// <summary>The pay rules in words, read from the policy version that computed the result (D18).</summary>
public static class PayWords
{
    /// <summary>
    /// The commission tier hit (第九条, D8) in words, e.g. "实际销售额 ≥ 计划 + 50 000，按 1.2% 全额提成":
    /// tiers are half-open on actual − plan, lower bound inclusive, and the rate applies to all sales.
    /// </summary>
    public static string Tier(CommissionPolicy policy, CommissionTier tier)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(tier);
        var index = policy.Tiers.IndexOf(tier);
        var next = index >= 0 && index + 1 < policy.Tiers.Length ? policy.Tiers[index + 1].MinAbovePlan : null;
        var rate = PolicyText.Percent(tier.Rate);
        var (zh, en) = (tier.MinAbovePlan, next) switch
        {
            (null, { } upper) => ($"实际销售额 < {Plan(upper, true)}", $"actual sales < {Plan(upper, false)}"),
            ({ } lower, null) => ($"实际销售额 ≥ {Plan(lower, true)}", $"actual sales ≥ {Plan(lower, false)}"),
            ({ } lower, { } upper) => ($"{Plan(lower, true)} ≤ 实际销售额 < {Plan(upper, true)}", $"{Plan(lower, false)} ≤ actual sales < {Plan(upper, false)}"),
            _ => ("任何销售额", "any sales"),
        };
        return T($"{zh}，按 {rate} 全额提成", $"{en}: {rate} of all sales");
    }

    private static string Plan(decimal above, bool chinese)
    {
        var plan = chinese ? "计划" : "plan";
        return above switch
        {
            0m => plan,
            > 0m => $"{plan} + {PolicyText.Amount(above)}",
            _ => $"{plan} − {PolicyText.Amount(-above)}",
        };
    }
}
