using Appraisal.Core.Results;
using static Appraisal.Core.Tests.Build;

namespace Appraisal.Core.Tests.Results;

/// <summary>D4: score = 0.4 × selfTotal + 0.6 × supervisorTotal, exact; D5: no self-assessment → supervisorTotal and selfMissing.</summary>
public class ScoreTests
{
    public static TheoryData<int, int, decimal> Weighted => new()
    {
        // self, supervisor, score (worked by hand: (4·S + 6·M) / 10)
        { 87, 84, 85.2m },
        { 84, 87, 85.8m },
        { 100, 100, 100m },
        { 0, 0, 0m },
        { 100, 0, 40m },
        { 0, 100, 60m },
        { 100, 91, 94.6m },
        { 99, 92, 94.8m },
        { 1, 0, 0.4m },
        { 0, 1, 0.6m },
        { 66, 64, 64.8m },
        { 95, 95, 95m },
    };

    [Theory]
    [MemberData(nameof(Weighted))]
    public void Score_is_the_exact_weighted_sum(int self, int supervisor, decimal expected)
    {
        var r = Evaluate(Month("2026-10", Employee("E1", self, supervisor))).Of("E1");

        Assert.Equal(expected, r.Score);
        Assert.Equal(self, r.SelfTotal);
        Assert.Equal(supervisor, r.SupervisorTotal);
        Assert.Equal(ResultFlags.None, r.Flags);
    }

    [Fact]
    public void Totals_are_the_sums_of_the_eight_items()
    {
        // The contract's example sheet: 5+9+8+4+35+18+4+4 = 87 and 5+8+9+4+34+17+3+4 = 84.
        var e = new EmployeeMonthInput("E001", "张三", Scores(5, 9, 8, 4, 35, 18, 4, 4), Scores(5, 8, 9, 4, 34, 17, 3, 4), 100000m, 158000.50m);

        var r = Evaluate(new MonthInput(Core.Months.YearMonth.Parse("2026-10"), [e])).Of("E001");

        Assert.Equal(87, r.SelfTotal);
        Assert.Equal(84, r.SupervisorTotal);
        Assert.Equal(85.2m, r.Score);
    }

    [Theory]
    [InlineData(84)]
    [InlineData(100)]
    [InlineData(0)]
    [InlineData(95)]
    public void Missing_self_assessment_scores_the_supervisor_total_and_flags_selfMissing(int supervisor)
    {
        var r = Evaluate(Month("2026-10", Employee("E1", null, supervisor))).Of("E1");

        Assert.Equal(supervisor, r.Score);
        Assert.Null(r.SelfTotal);
        Assert.Equal(supervisor, r.SupervisorTotal);
        Assert.Equal(ResultFlags.SelfMissing, r.Flags);
    }

    [Fact]
    public void A_self_assessment_of_zero_is_not_a_missing_one()
    {
        var r = Evaluate(Month("2026-10", Employee("E1", 0, 90))).Of("E1");

        Assert.Equal(54m, r.Score);
        Assert.Equal(0, r.SelfTotal);
        Assert.Equal(ResultFlags.None, r.Flags);
    }

    [Fact]
    public void Weights_come_from_the_policy()
    {
        var policy = Seed with { Weights = new(0.5m, 0.5m) };

        var r = Evaluate(policy, Month("2026-10", Employee("E1", 87, 84))).Of("E1");

        Assert.Equal(85.5m, r.Score);
    }
}
