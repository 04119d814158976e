using System.Globalization;

namespace Appraisal.Core.Policy;

/// <summary>
/// Checks a policy document for everything that would make the engine's answers wrong or
/// undefined, and reports every problem found (D2, D4, D6, D8, D12, D14).
/// </summary>
public static class PolicyValidator
{
    /// <summary>Every problem of <paramref name="policy"/>; empty when it can be used.</summary>
    public static IReadOnlyList<Problem> Validate(PolicyDocument policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var problems = new List<Problem>();
        void Add(string where, string zh, string en) => problems.Add(new Problem(where, zh, en));

        if (policy.SchemaVersion != 1)
        {
            Add("schemaVersion", $"不支持的格式版本 {policy.SchemaVersion}，应为 1", $"unsupported schemaVersion {policy.SchemaVersion}, expected 1");
        }

        if (string.IsNullOrWhiteSpace(policy.Version))
        {
            Add("version", "策略版本不能为空", "the policy version must not be empty");
        }

        CheckText(policy.Title, "title", Add);

        // D4: the final score is a weighted mean, so the weights must be a partition of 1.
        if (policy.Weights.Self < 0 || policy.Weights.Supervisor < 0 || policy.Weights.Self + policy.Weights.Supervisor != 1m)
        {
            Add("weights", $"自评与主管权重须为非负数且相加等于 1，实际为 {F(policy.Weights.Self)} + {F(policy.Weights.Supervisor)}",
                $"self and supervisor weights must be non-negative and sum to 1, got {F(policy.Weights.Self)} + {F(policy.Weights.Supervisor)}");
        }

        CheckItems(policy, Add);
        CheckGrades(policy, Add);
        CheckCommission(policy, Add);

        var bonus = policy.Bonus;
        if (bonus.Rank < 1)
        {
            Add("bonus.rank", $"奖励名次须不小于 1，实际为 {bonus.Rank}", $"bonus rank must be at least 1, got {bonus.Rank}");
        }

        if (bonus.ConsecutiveMonths < 2)
        {
            Add("bonus.consecutiveMonths", $"连续月数须不小于 2，实际为 {bonus.ConsecutiveMonths}", $"consecutive months must be at least 2, got {bonus.ConsecutiveMonths}");
        }

        if (bonus.Amount < 0 || !Pay.Money.HasAtMostDecimals(bonus.Amount, Math.Max(0, policy.Money.Decimals)))
        {
            Add("bonus.amount", $"奖金须为非负金额，实际为 {F(bonus.Amount)}", $"the bonus must be a non-negative amount, got {F(bonus.Amount)}");
        }

        var fail = policy.ReviewFlags.ConsecutiveFail;
        if (policy.FindGrade(fail.Grade) is null)
        {
            Add("reviewFlags.consecutiveFail.grade", $"等级 \"{fail.Grade}\" 不在等级表中", $"grade \"{fail.Grade}\" is not one of the grade keys");
        }

        if (fail.ConsecutiveMonths < 1)
        {
            Add("reviewFlags.consecutiveFail.consecutiveMonths", $"连续月数须不小于 1，实际为 {fail.ConsecutiveMonths}", $"consecutive months must be at least 1, got {fail.ConsecutiveMonths}");
        }

        if (policy.ReviewFlags.LastInScoreAndSales.MinEligible < 2)
        {
            Add("reviewFlags.lastInScoreAndSales.minEligible", $"最少参评人数须不小于 2，实际为 {policy.ReviewFlags.LastInScoreAndSales.MinEligible}",
                $"the minimum number of eligible employees must be at least 2, got {policy.ReviewFlags.LastInScoreAndSales.MinEligible}");
        }

        if (policy.Eligibility.WindowMonths < 1)
        {
            Add("eligibility.windowMonths", $"缺岗统计窗口须不少于 1 个月，实际为 {policy.Eligibility.WindowMonths}", $"the absence window must be at least 1 month, got {policy.Eligibility.WindowMonths}");
        }

        if (policy.Eligibility.MaxAbsentDays < 0)
        {
            Add("eligibility.maxAbsentDays", $"缺岗天数上限须为非负数，实际为 {policy.Eligibility.MaxAbsentDays}", $"the absence threshold must not be negative, got {policy.Eligibility.MaxAbsentDays}");
        }

        if (policy.Money.Decimals is < 0 or > 4)
        {
            Add("money.decimals", $"金额小数位须在 0 到 4 之间，实际为 {policy.Money.Decimals}", $"money decimals must be from 0 to 4, got {policy.Money.Decimals}");
        }

        var window = policy.Process.AppraisalWindow;
        if (window.FromDay < 1 || window.ToDay > 28 || window.FromDay > window.ToDay)
        {
            Add("process.appraisalWindow", $"考核日期须为 1 到 28 日之间且起始不晚于结束，实际为 {window.FromDay}–{window.ToDay}",
                $"the appraisal window must be days 1 to 28 with from ≤ to, got {window.FromDay}–{window.ToDay}");
        }

        if (policy.Process.AppealDays < 0)
        {
            Add("process.appealDays", $"复议期限须为非负天数，实际为 {policy.Process.AppealDays}", $"the appeal period must not be negative, got {policy.Process.AppealDays}");
        }

        return problems;
    }

    private static void CheckItems(PolicyDocument policy, Action<string, string, string> add)
    {
        if (policy.Groups.IsDefaultOrEmpty)
        {
            add("groups", "至少需要一个考核项目组", "at least one item group is required");
            return;
        }

        var groupKeys = new HashSet<string>(StringComparer.Ordinal);
        var itemKeys = new HashSet<string>(StringComparer.Ordinal);
        var sum = 0;
        for (var g = 0; g < policy.Groups.Length; g++)
        {
            var group = policy.Groups[g];
            var gWhere = $"groups[{g}]({group.Key})";
            CheckKey(group.Key, gWhere, groupKeys, add);
            CheckText(group.Name, gWhere + ".name", add);
            if (group.Items.IsDefaultOrEmpty)
            {
                add(gWhere, "项目组至少需要一个考核项目", "a group needs at least one item");
                continue;
            }

            var groupSum = 0;
            for (var i = 0; i < group.Items.Length; i++)
            {
                var item = group.Items[i];
                var where = $"{gWhere}.items[{i}]({item.Key})";
                CheckKey(item.Key, where, itemKeys, add);
                CheckText(item.Name, where + ".name", add);
                if (item.Max < 1)
                {
                    add(where + ".max", $"满分须为正整数，实际为 {item.Max}", $"the maximum must be a positive whole number, got {item.Max}");
                    continue;
                }

                groupSum += item.Max;
                CheckLevels(item, where, add);
            }

            // The sheet states each group as a percentage of 100 points (行为考核 30%, 岗位职责考核 70%).
            if (group.Percent != groupSum)
            {
                add(gWhere + ".percent", $"项目组占比 {group.Percent}% 与其项目满分之和 {groupSum} 不符",
                    $"group percent {group.Percent}% differs from the sum of its items' maxima, {groupSum}");
            }

            sum += groupSum;
        }

        if (sum != 100)
        {
            add("groups", $"所有项目满分之和须为 100，实际为 {sum}", $"the items' maxima must sum to 100, got {sum}");
        }
    }

    private static void CheckLevels(PolicyItem item, string where, Action<string, string, string> add)
    {
        if (item.Levels.IsDefaultOrEmpty)
        {
            add(where + ".levels", "至少需要一个评分档次", "at least one level is required");
            return;
        }

        for (var l = 0; l < item.Levels.Length; l++)
        {
            var level = item.Levels[l];
            CheckText(level.Text, $"{where}.levels[{l}].text", add);
            if (level.Min < 0 || level.Max > item.Max || level.Min > level.Max)
            {
                add($"{where}.levels[{l}]", $"档次分数范围 {level.Min}–{level.Max} 须在 0–{item.Max} 之内且下限不大于上限",
                    $"level range {level.Min}–{level.Max} must lie within 0–{item.Max} with min ≤ max");
            }
        }

        // D2: every whole score an assessor may give must belong to some level of the sheet.
        var uncovered = Enumerable.Range(0, item.Max + 1).Where(s => !item.Levels.Any(l => l.Holds(s))).ToList();
        if (uncovered.Count > 0)
        {
            var list = string.Join(", ", uncovered.Select(s => s.ToString(CultureInfo.InvariantCulture)));
            add(where + ".levels", $"分数 {list} 不属于任何档次", $"score(s) {list} belong to no level");
        }
    }

    private static void CheckGrades(PolicyDocument policy, Action<string, string, string> add)
    {
        if (policy.Grades.IsDefaultOrEmpty)
        {
            add("grades", "至少需要一个等级", "at least one grade is required");
            return;
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < policy.Grades.Length; i++)
        {
            var band = policy.Grades[i];
            var where = $"grades[{i}]({band.Key})";
            CheckKey(band.Key, where, keys, add);
            CheckText(band.Label, where + ".label", add);
            CheckText(band.Training, where + ".training", add);
            CheckText(band.Level, where + ".level", add);
            if (band.Promotion is not null)
            {
                CheckText(band.Promotion, where + ".promotion", add);
            }

            if (band.PositionSalary < 0 || !Pay.Money.HasAtMostDecimals(band.PositionSalary, Math.Max(0, policy.Money.Decimals)))
            {
                add(where + ".positionSalary", $"岗位工资须为非负金额，实际为 {F(band.PositionSalary)}", $"the position salary must be a non-negative amount, got {F(band.PositionSalary)}");
            }

            if (band.MinScore is < 0 or > 100)
            {
                add(where + ".minScore", $"分数下限须在 0 到 100 之间，实际为 {F(band.MinScore)}", $"the lower bound must be from 0 to 100, got {F(band.MinScore)}");
            }

            // D6: bands are lower bounds, highest first; equal or rising bounds would overlap.
            if (i > 0 && band.MinScore >= policy.Grades[i - 1].MinScore)
            {
                add(where + ".minScore", $"等级须按分数下限从高到低排列且不重叠：{F(band.MinScore)} 不低于上一等级的 {F(policy.Grades[i - 1].MinScore)}",
                    $"grades must have strictly decreasing lower bounds: {F(band.MinScore)} is not below the previous {F(policy.Grades[i - 1].MinScore)}");
            }
        }

        // A lowest bound above 0 would leave low scores without a grade (a gap).
        if (policy.Grades[^1].MinScore != 0)
        {
            add($"grades[{policy.Grades.Length - 1}].minScore", $"最低等级的分数下限须为 0，实际为 {F(policy.Grades[^1].MinScore)}",
                $"the lowest grade must start at 0, got {F(policy.Grades[^1].MinScore)}");
        }
    }

    private static void CheckCommission(PolicyDocument policy, Action<string, string, string> add)
    {
        var tiers = policy.Commission.Tiers;
        if (tiers.IsDefaultOrEmpty)
        {
            add("commission.tiers", "至少需要一个提成档次", "at least one commission tier is required");
            return;
        }

        for (var i = 0; i < tiers.Length; i++)
        {
            var tier = tiers[i];
            var where = $"commission.tiers[{i}]";
            if (tier.Rate is < 0 or > 1)
            {
                add(where + ".rate", $"提成比例须在 0 到 1 之间，实际为 {F(tier.Rate)}", $"the rate must be from 0 to 1, got {F(tier.Rate)}");
            }

            // D8: the first tier catches everything below the next bound; later tiers rise strictly.
            if (i == 0 && tier.MinAbovePlan is not null)
            {
                add(where + ".minAbovePlan", "第一档不能有下限（应为 null），否则低销售额无档可用", "the first tier must have no lower bound (null), or low sales would have no tier");
            }

            if (i > 0)
            {
                if (tier.MinAbovePlan is not { } min)
                {
                    add(where + ".minAbovePlan", "只有第一档可以没有下限", "only the first tier may have no lower bound");
                }
                else if (tiers[i - 1].MinAbovePlan is { } previous && min <= previous)
                {
                    add(where + ".minAbovePlan", $"提成档次须按下限严格递增且不重叠：{F(min)} 不高于上一档的 {F(previous)}",
                        $"tiers must have strictly increasing lower bounds: {F(min)} is not above the previous {F(previous)}");
                }
            }
        }
    }

    private static void CheckKey(string key, string where, HashSet<string> seen, Action<string, string, string> add)
    {
        if (string.IsNullOrWhiteSpace(key))
        {
            add(where + ".key", "键不能为空", "the key must not be empty");
        }
        else if (!seen.Add(key))
        {
            add(where + ".key", $"键 \"{key}\" 重复", $"duplicate key \"{key}\"");
        }
    }

    private static void CheckText(LocalizedText? text, string where, Action<string, string, string> add)
    {
        if (text is null || string.IsNullOrWhiteSpace(text.Zh))
        {
            add(where, "中文文字不能为空", "the Chinese text must not be empty");
        }
    }

    private static string F(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
