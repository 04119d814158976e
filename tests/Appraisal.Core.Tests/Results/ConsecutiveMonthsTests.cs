using Appraisal.Core.Results;
using static Appraisal.Core.Tests.Build;

namespace Appraisal.Core.Tests.Results;

/// <summary>
/// D12: consecutive = calendar-consecutive months in which the employee was appraised; a month
/// without an appraisal breaks every streak. Bonus for rank 1 twice running (non-overlapping pairs),
/// consecutiveFail for 不及格 twice running, lastInScoreAndSales within a month.
/// </summary>
public class ConsecutiveMonthsTests
{
    // The months of a scenario start here, so that streaks cross a year boundary.
    private const string Start = "2025-11";

    /// <summary>
    /// Builds calendar months from <paramref name="pattern"/>, one token per month from <see cref="Start"/>.
    /// E2 is always present with score 80 and sales 1000. For E1:
    /// a token in <paramref name="e1"/> gives (self, supervisor); '-' = E1 not in the month;
    /// 'x' = E1 present but excluded (D14 override); '_' = the whole month missing from the input.
    /// </summary>
    private static EvaluationResult Scenario(string pattern, Dictionary<string, (int? Self, int Supervisor)> e1, decimal e1Sales = 2000m)
    {
        var months = new List<MonthInput>();
        var tokens = pattern.Split(' ');
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if (token == "_")
            {
                continue;
            }

            var employees = new List<EmployeeMonthInput> { Employee("E2", null, 80, 0m, 1000m) };
            if (token == "x")
            {
                employees.Add(Employee("E1", null, 100, 0m, e1Sales, eligibilityOverride: false));
            }
            else if (token != "-")
            {
                var (self, supervisor) = e1[token];
                employees.Add(Employee("E1", self, supervisor, 0m, e1Sales));
            }

            months.Add(Month(MonthAfter(Start, i), [.. employees]));
        }

        return Evaluate([.. months]);
    }

    /// <summary>E1's value per month, "." where E1 has no result.</summary>
    private static string PerMonth(EvaluationResult result, int count, Func<EmployeeResult, string> show) =>
        string.Join(' ', Enumerable.Range(0, count).Select(i => result.Find(MonthAfter(Start, i), "E1") is { } r ? show(r) : "."));

    private static readonly Dictionary<string, (int? Self, int Supervisor)> Ranks = new()
    {
        ["1"] = (null, 90), // first (E2 has 80)
        ["2"] = (null, 70), // second
        ["T"] = (null, 80), // tied first with E2
    };

    [Theory]
    [InlineData("1 1", "0 200")]
    [InlineData("1 1 1", "0 200 0")]
    [InlineData("1 1 1 1 1", "0 200 0 200 0")] // non-overlapping pairs: months 2 and 4 only
    [InlineData("1 1 1 1 1 1", "0 200 0 200 0 200")]
    [InlineData("1 2 1 1", "0 0 0 200")]
    [InlineData("1 2 2 1", "0 0 0 0")]
    [InlineData("2 2 2", "0 0 0")]
    [InlineData("1 _ 1", "0 . 0")] // months not contiguous
    [InlineData("1 _ 1 1", "0 . 0 200")]
    [InlineData("1 - 1", "0 . 0")] // E1 absent from the input that month
    [InlineData("1 - 1 1", "0 . 0 200")]
    [InlineData("1 x 1", "0 0 0")] // an excluded month breaks the streak
    [InlineData("1 x 1 1", "0 0 0 200")]
    [InlineData("1 1 x 1 1", "0 200 0 0 200")]
    [InlineData("1 1 1 _ 1 1", "0 200 0 . 0 200")]
    [InlineData("x x", "0 0")]
    [InlineData("T T", "0 200")] // tied at rank 1 is rank 1
    [InlineData("T 1 T", "0 200 0")]
    public void Bonus_for_rank_one_in_two_consecutive_appraised_months(string pattern, string bonuses)
    {
        var result = Scenario(pattern, Ranks);

        Assert.Equal(bonuses, PerMonth(result, pattern.Split(' ').Length, r => r.Bonus == 0 ? "0" : r.Bonus.ToString("0", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Both_employees_tied_at_rank_one_get_the_bonus()
    {
        var result = Scenario("T T", Ranks);

        Assert.Equal(200m, result.Of(MonthAfter(Start, 1), "E1").Bonus);
        Assert.Equal(200m, result.Of(MonthAfter(Start, 1), "E2").Bonus);
        Assert.Equal(0m, result.Of(MonthAfter(Start, 0), "E2").Bonus);
    }

    [Fact]
    public void The_bonus_amount_and_run_length_come_from_the_policy()
    {
        var policy = Seed with { Bonus = new(1, 3, 500m) };
        var months = Enumerable.Range(0, 6).Select(i => Month(MonthAfter(Start, i), Employee("E1", null, 90), Employee("E2", null, 80))).ToArray();

        var result = Evaluate(policy, months);

        Assert.Equal([0m, 0m, 500m, 0m, 0m, 500m], Enumerable.Range(0, 6).Select(i => result.Of(MonthAfter(Start, i), "E1").Bonus));
    }

    private static readonly Dictionary<string, (int? Self, int Supervisor)> Grades = new()
    {
        ["F"] = (66, 64), // 64.8 不及格
        ["P"] = (65, 65), // 65.0 及格
    };

    [Theory]
    [InlineData("F", "n")]
    [InlineData("F F", "n y")]
    [InlineData("F F F", "n y y")] // again in every further failing month
    [InlineData("P F F", "n n y")]
    [InlineData("F P F", "n n n")]
    [InlineData("F F P F F", "n y n n y")]
    [InlineData("F _ F", "n . n")] // a gap month breaks it
    [InlineData("F - F", "n . n")]
    [InlineData("F x F", "n n n")] // an excluded month breaks it, and carries no flag
    [InlineData("F F _ F F F", "n y . n y y")]
    public void ConsecutiveFail_for_fail_in_two_consecutive_appraised_months(string pattern, string flags)
    {
        var result = Scenario(pattern, Grades);

        Assert.Equal(flags, PerMonth(result, pattern.Split(' ').Length, r => (r.Flags & ResultFlags.ConsecutiveFail) != 0 ? "y" : "n"));
        // E1 sells more than E2, so the other review flag never fires here.
        Assert.All(result.Months.SelectMany(m => m.Results), r => Assert.Equal(0, (int)(r.Flags & ResultFlags.LastInScoreAndSales)));
    }

    [Theory]
    // supervisor totals (scores), actual sales → flagged (1) or not (0), in employee order
    [InlineData("90,80,70", "300,200,100", "0,0,1")]
    [InlineData("90,80,70", "300,100,200", "0,0,0")] // lowest score but not lowest sales
    [InlineData("70,80,90", "300,100,200", "0,0,0")] // lowest sales but not lowest score
    [InlineData("90,70,70", "300,100,100", "0,1,1")] // ties: all of them
    [InlineData("90,70,70", "300,100,200", "0,1,0")] // tied lowest score, only one has the lowest sales
    [InlineData("90,70,80", "300,100,100", "0,1,0")] // tied lowest sales, only one has the lowest score
    [InlineData("70,90", "100,200", "1,0")] // two eligible is enough
    [InlineData("70,70", "100,100", "1,1")]
    [InlineData("70", "100", "0")] // a single eligible employee is never flagged
    public void LastInScoreAndSales(string scores, string sales, string flagged)
    {
        var s = Ints(scores);
        var y = Decs(sales);
        var result = Evaluate(Month("2026-10", [.. s.Select((score, i) => Employee($"E{i + 1}", null, score, 0m, y[i]))]));

        Assert.Equal(Ints(flagged), s.Select((_, i) => (result.Of($"E{i + 1}").Flags & ResultFlags.LastInScoreAndSales) != 0 ? 1 : 0));
    }

    [Fact]
    public void LastInScoreAndSales_counts_only_eligible_employees()
    {
        // With E1 excluded, E2 is the only eligible employee: no flag, though E2 is below E1.
        var alone = Evaluate(Month("2026-10", Employee("E1", null, 95, 0m, 900m, eligibilityOverride: false), Employee("E2", null, 60, 0m, 100m)));
        Assert.Equal(ResultFlags.SelfMissing, alone.Of("E2").Flags);
        Assert.Equal(ResultFlags.EligibilityOverridden, alone.Of("E1").Flags);

        // An excluded employee with lower score and sales does not save the lowest eligible one.
        var three = Evaluate(Month(
            "2026-10",
            Employee("E1", null, 10, 0m, 0m, eligibilityOverride: false),
            Employee("E2", null, 60, 0m, 100m),
            Employee("E3", null, 90, 0m, 300m)));
        Assert.Equal(ResultFlags.EligibilityOverridden, three.Of("E1").Flags);
        Assert.Equal(ResultFlags.LastInScoreAndSales | ResultFlags.SelfMissing, three.Of("E2").Flags);
        Assert.Equal(ResultFlags.SelfMissing, three.Of("E3").Flags);
    }
}
