using System.Collections.Immutable;
using Appraisal.Core.Policy;

namespace Appraisal.Core.Tests.Policy;

/// <summary>Changes to one part of the seed policy, for validator and what-if tests.</summary>
internal static class PolicyEdit
{
    public static PolicyDocument WithGroup(this PolicyDocument policy, string key, Func<ItemGroup, ItemGroup> change) =>
        policy with { Groups = [.. policy.Groups.Select(g => g.Key == key ? change(g) : g)] };

    public static PolicyDocument WithItem(this PolicyDocument policy, string key, Func<PolicyItem, PolicyItem> change) =>
        policy with { Groups = [.. policy.Groups.Select(g => g with { Items = [.. g.Items.Select(i => i.Key == key ? change(i) : i)] })] };

    public static PolicyDocument WithGrade(this PolicyDocument policy, string key, Func<GradeBand, GradeBand> change) =>
        policy with { Grades = [.. policy.Grades.Select(g => g.Key == key ? change(g) : g)] };

    public static PolicyDocument WithTiers(this PolicyDocument policy, params (decimal? MinAbovePlan, decimal Rate)[] tiers) =>
        policy with { Commission = new([.. tiers.Select(t => new CommissionTier(t.MinAbovePlan, t.Rate))]) };

    public static ImmutableArray<ItemLevel> Levels(params (int Min, int Max)[] ranges) =>
        [.. ranges.Select(r => new ItemLevel(r.Min, r.Max, new LocalizedText($"{r.Min}-{r.Max}")))];
}
