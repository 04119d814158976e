using System.Globalization;
using Appraisal.Core.Months;
using Appraisal.Core.Pay;
using Appraisal.Core.Policy;

namespace Appraisal.Core.Results;

/// <summary>
/// Checks the facts of an <see cref="EvaluationInput"/> against the policy and reports every
/// problem with its month, employee, field and what was expected (D3, evaluate contract).
/// </summary>
public static class InputValidator
{
    /// <summary>
    /// <paramref name="input"/> as checked against <paramref name="policy"/>, for the engine to compute without checking
    /// again; throws <see cref="ProblemsException"/> with every problem when it is not valid (D3).
    /// </summary>
    public static ValidatedInput Check(EvaluationInput input, PolicyDocument policy) => Check(input, policy, []);

    /// <summary>
    /// As <see cref="Check(EvaluationInput, PolicyDocument)"/>, after <paramref name="earlier"/>: problems a reader found
    /// before these checks (types, unknown or missing fields), reported first and together with these.
    /// </summary>
    internal static ValidatedInput Check(EvaluationInput input, PolicyDocument policy, List<Problem> earlier)
    {
        earlier.AddRange(Validate(input, policy));
        if (earlier.Count > 0)
        {
            throw new ProblemsException(earlier);
        }

        return new ValidatedInput(input, policy);
    }

    /// <summary>Every problem of <paramref name="input"/>; empty when the engine can run on it.</summary>
    public static IReadOnlyList<Problem> Validate(EvaluationInput input, PolicyDocument policy)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(policy);
        var problems = new List<Problem>();
        var months = new HashSet<YearMonth>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var month in input.Months)
        {
            if (!months.Add(month.Month))
            {
                problems.Add(new Problem(Where(month.Month.ToString(), null, "month"), "月份重复出现", "the month appears more than once"));
            }

            ids.Clear();
            foreach (var employee in month.Employees)
            {
                ValidateEmployee(month.Month, employee, policy, ids, problems);
            }
        }

        return problems;
    }

    /// <summary>Where a problem is: month, employee id and field, each when known.</summary>
    public static string Where(string? month, string? employeeId, string? field)
    {
        var parts = new List<string>(3);
        if (!string.IsNullOrEmpty(month))
        {
            parts.Add($"月份 month {month}");
        }

        if (!string.IsNullOrEmpty(employeeId))
        {
            parts.Add($"员工 employee {employeeId}");
        }

        if (!string.IsNullOrEmpty(field))
        {
            parts.Add($"字段 field {field}");
        }

        return string.Join(", ", parts);
    }

    private static void ValidateEmployee(YearMonth month, EmployeeMonthInput e, PolicyDocument policy, HashSet<string> ids, List<Problem> problems)
    {
        if (string.IsNullOrWhiteSpace(e.Id))
        {
            problems.Add(new Problem(Where(month.ToString(), null, "id"), "员工编号不能为空", "the employee id must not be empty"));
        }
        else if (!ids.Add(e.Id))
        {
            problems.Add(new Problem(Where(month.ToString(), e.Id, "id"), "同一月份中员工编号重复", "the employee id appears more than once in this month"));
        }

        if (e.Self is not null)
        {
            ValidateScores(month, e.Id, "self", "自评", e.Self, policy, problems);
        }

        if (e.Supervisor is null)
        {
            problems.Add(new Problem(Where(month.ToString(), e.Id, "supervisor"), "缺少主管评分（必填）", "the supervisor's assessment is required"));
        }
        else
        {
            ValidateScores(month, e.Id, "supervisor", "主管评分", e.Supervisor, policy, problems);
        }

        if (e.SalesPlan < 0)
        {
            problems.Add(new Problem(Where(month.ToString(), e.Id, "salesPlan"), $"计划销售额须为非负数，实际为 {F(e.SalesPlan)}", $"the sales plan must not be negative, got {F(e.SalesPlan)}"));
        }

        if (e.SalesActual < 0)
        {
            problems.Add(new Problem(Where(month.ToString(), e.Id, "salesActual"), $"实际销售额须为非负数，实际为 {F(e.SalesActual)}", $"actual sales must not be negative, got {F(e.SalesActual)}"));
        }

        // Amounts far beyond any real pay or sales made decimal arithmetic overflow in the engine
        // (an internal error, exit 1) instead of being reported as bad input (contract: exit 2).
        CheckAmount(month, e.Id, "salesPlan", "计划销售额", e.SalesPlan, problems);
        CheckAmount(month, e.Id, "salesActual", "实际销售额", e.SalesActual, problems);
        CheckAmount(month, e.Id, "otherPay", "其他金额", e.OtherPay, problems);

        var days = month.DaysInMonth;
        if (e.AbsentDays < 0 || e.AbsentDays > days)
        {
            problems.Add(new Problem(Where(month.ToString(), e.Id, "absentDays"),
                $"缺岗天数须为 0 到 {days} 之间的整数（{month} 有 {days} 天），实际为 {e.AbsentDays}",
                $"absent days must be a whole number from 0 to {days} ({month} has {days} days), got {e.AbsentDays}"));
        }

        // D14: HR's override of eligibility is recorded with its reason; a reason without an override decides nothing.
        if (e.EligibilityOverride is not null && !IsOverrideReason(e.EligibilityReason))
        {
            problems.Add(new Problem(Where(month.ToString(), e.Id, "eligibility.reason"), ReasonRequiredZh, ReasonRequiredEn));
        }
        else if (e.EligibilityOverride is null && e.EligibilityReason is not null)
        {
            problems.Add(new Problem(Where(month.ToString(), e.Id, "eligibility.eligible"),
                "有调整原因而未给出是否参评（true 或 false）", "a reason is given but not whether the employee is eligible (true or false)"));
        }

        if (!Money.HasAtMostDecimals(e.OtherPay, policy.Money.Decimals))
        {
            problems.Add(new Problem(Where(month.ToString(), e.Id, "otherPay"),
                $"其他金额最多 {policy.Money.Decimals} 位小数，实际为 {F(e.OtherPay)}",
                $"other pay may have at most {policy.Money.Decimals} decimals, got {F(e.OtherPay)}"));
        }
    }

    private static void ValidateScores(YearMonth month, string id, string assessor, string assessorZh, ItemScores scores, PolicyDocument policy, List<Problem> problems)
    {
        var items = policy.Items;
        if (scores.Count != items.Length)
        {
            problems.Add(new Problem(Where(month.ToString(), id, assessor), $"{assessorZh}须包含 {items.Length} 个项目，实际为 {scores.Count} 个",
                $"the {assessor} assessment must have {items.Length} items, got {scores.Count}"));
            return;
        }

        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i];
            var score = scores[i];
            // D3: whole points within 0..max; D2 guarantees every such score is held by some level.
            if (score < 0 || score > item.Max)
            {
                problems.Add(new Problem(Where(month.ToString(), id, $"{assessor}.{item.Key}"),
                    $"{assessorZh}「{item.Name.Zh}」须为 0 到 {item.Max} 之间的整数，实际为 {score}",
                    $"{assessor} score for {item.Key} must be a whole number from 0 to {item.Max}, got {score}"));
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="reason"/> may stand as HR's reason for overriding eligibility (D14): any text that is not
    /// blank. The one definition, for the evaluate contract's readers and for every form that records an override.
    /// </summary>
    public static bool IsOverrideReason([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? reason) => !string.IsNullOrWhiteSpace(reason);

    /// <summary>The problem of an override without a reason (<see cref="IsOverrideReason"/>), Chinese.</summary>
    internal const string ReasonRequiredZh = "调整参评资格须填写原因（非空字符串）";

    /// <summary>The problem of an override without a reason (<see cref="IsOverrideReason"/>), English.</summary>
    internal const string ReasonRequiredEn = "a reason (a non-blank string) is required to override eligibility";

    /// <summary>
    /// The largest amount in yuan accepted for sales and otherPay (一万亿元): far above any real
    /// figure, and small enough that amount × rate and the sums of pay stay exact in decimal.
    /// </summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    private static void CheckAmount(YearMonth month, string id, string field, string fieldZh, decimal value, List<Problem> problems)
    {
        if (Math.Abs(value) > MaxAmount)
        {
            problems.Add(new Problem(Where(month.ToString(), id, field),
                $"{fieldZh}超出范围，绝对值最大为 {F(MaxAmount)} 元，实际为 {F(value)}",
                $"{field} is out of range: at most {F(MaxAmount)} yuan in absolute value, got {F(value)}"));
        }
    }

    private static string F(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
