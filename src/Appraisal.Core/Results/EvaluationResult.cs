using System.Collections.Immutable;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;

namespace Appraisal.Core.Results;

/// <summary>The engine's answer for every month of an <see cref="EvaluationInput"/>, months in chronological order.</summary>
public sealed record EvaluationResult(string PolicyVersion, ImmutableArray<MonthResult> Months);

/// <summary>One month's results, employees in ordinal id order.</summary>
public sealed record MonthResult(YearMonth Month, ImmutableArray<EmployeeResult> Results);

/// <summary>Flags raised for HR review or information (D5, D12, D13, D14).</summary>
/// <remarks>Stored as this integer (the web's StoredResult.Flags): the values must never change.</remarks>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "\"flags\" is the evaluate contract's own word for these.")]
public enum ResultFlags
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>第十一条 "连续两个月考核不及格": needs HR review, never an automatic exit (D12, D13).</summary>
    ConsecutiveFail = 1,

    /// <summary>第十二条 "绩效考核和实际销售额都排名最后": needs HR review, never an automatic exit (D12, D13).</summary>
    LastInScoreAndSales = 2,

    /// <summary>No self-assessment: the score is the supervisor's total (D5).</summary>
    SelfMissing = 4,

    /// <summary>
    /// HR decided this month's eligibility with a recorded reason, and the long-absence rule was not applied (D14):
    /// information, not a review. The one flag an excluded employee can carry (D15).
    /// </summary>
    EligibilityOverridden = 8,
}

/// <summary>The evaluate contract's names of <see cref="ResultFlags"/>, sorted as the contract asks.</summary>
public static class ResultFlagNames
{
    /// <summary>第十一条 连续两个月考核不及格 (D12, D13).</summary>
    public const string ConsecutiveFail = "consecutiveFail";

    /// <summary>HR's override of eligibility (D14).</summary>
    public const string EligibilityOverridden = "eligibilityOverridden";

    /// <summary>第十二条 当月绩效考核和实际销售额都排名最后 (D12, D13).</summary>
    public const string LastInScoreAndSales = "lastInScoreAndSales";

    /// <summary>No self-assessment (D5).</summary>
    public const string SelfMissing = "selfMissing";

    /// <summary>Every flag with its name, in the contract's (alphabetical) order of the names.</summary>
    private static readonly (ResultFlags Flag, string Name)[] InOrder =
    [
        (ResultFlags.ConsecutiveFail, ConsecutiveFail),
        (ResultFlags.EligibilityOverridden, EligibilityOverridden),
        (ResultFlags.LastInScoreAndSales, LastInScoreAndSales),
        (ResultFlags.SelfMissing, SelfMissing),
    ];

    /// <summary>Every combination of the flags: one more than the largest value.</summary>
    internal const int Combinations = 16;

    private static readonly string[][] ByValue = [.. Enumerable.Range(0, Combinations).Select(v => Build((ResultFlags)v))];

    /// <summary>The names of all flags, sorted.</summary>
    public static IReadOnlyList<string> All => ByValue[Combinations - 1];

    /// <summary>The sorted names of the flags set in <paramref name="flags"/>.</summary>
    public static IReadOnlyList<string> Of(ResultFlags flags) => ByValue[(int)flags & (Combinations - 1)];

    private static string[] Build(ResultFlags flags) => [.. InOrder.Where(f => (flags & f.Flag) != 0).Select(f => f.Name)];
}

/// <summary>
/// One employee's result and pay for one month.
/// </summary>
/// <param name="Id">Employee number.</param>
/// <param name="Name">Display name as given.</param>
/// <param name="Eligible">False when excluded by long absence or by HR's override (D14, D15).</param>
/// <param name="SelfTotal">Sum of the self-assessment, null when none (D5).</param>
/// <param name="SupervisorTotal">Sum of the supervisor's assessment.</param>
/// <param name="Score">Final score, unrounded (D4, D5); null when excluded.</param>
/// <param name="Grade">The grade band of the score (D6); null when excluded.</param>
/// <param name="PayGrade">The band giving job level and position salary: the grade, or for an excluded employee the most recent appraised month's (D15).</param>
/// <param name="PositionSalary">岗位工资 of the pay grade.</param>
/// <param name="CommissionTier">The commission tier hit (D8).</param>
/// <param name="Commission">个人绩效提成, rounded once (D8, D9).</param>
/// <param name="Bonus">The consecutive-first bonus paid this month (D12), else 0.</param>
/// <param name="OtherPay">其他: HR's adjustments (D10).</param>
/// <param name="TotalPay">当月工资 = positionSalary + commission + bonus + otherPay (第十条, D10).</param>
/// <param name="Rank">Rank by score among eligible employees, ties shared (D11); null when excluded.</param>
/// <param name="SalesRank">Rank by actual sales among eligible employees (D11); null when excluded.</param>
/// <param name="Flags">Flags raised (D5, D12, D13, D14).</param>
/// <param name="SalesPlan">X, as given.</param>
/// <param name="SalesActual">Y, as given.</param>
/// <param name="AbsentDaysInWindow">Absence over the eligibility window ending this month (D14).</param>
public sealed record EmployeeResult(
    string Id,
    string? Name,
    bool Eligible,
    int? SelfTotal,
    int SupervisorTotal,
    decimal? Score,
    GradeBand? Grade,
    GradeBand PayGrade,
    decimal PositionSalary,
    CommissionTier CommissionTier,
    decimal Commission,
    decimal Bonus,
    decimal OtherPay,
    decimal TotalPay,
    int? Rank,
    int? SalesRank,
    ResultFlags Flags,
    decimal SalesPlan,
    decimal SalesActual,
    int AbsentDaysInWindow);
