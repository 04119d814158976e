using Appraisal.Core.Results;
using static Appraisal.Core.Tests.Build;

namespace Appraisal.Core.Tests.Results;

/// <summary>D11: rank by score and by actual sales, descending, among eligible employees; ties share a rank and the next skips (1, 1, 3).</summary>
public class RankingTests
{
    private static EmployeeMonthInput[] Staff(int[] supervisorTotals, decimal[] sales) =>
        [.. supervisorTotals.Select((s, i) => Employee($"E{i + 1}", null, s, 0m, sales[i]))];

    [Theory]
    // supervisor totals (scores, no self) → ranks, in employee order
    [InlineData("90,80,70", "1,2,3")]
    [InlineData("70,80,90", "3,2,1")]
    [InlineData("90,90,80", "1,1,3")] // tie at first
    [InlineData("90,80,80", "1,2,2")] // tie at last
    [InlineData("80,90,80,70", "2,1,2,4")] // tie in the middle skips
    [InlineData("70,70,70", "1,1,1")]
    [InlineData("60,95,60,95,60", "3,1,3,1,3")]
    [InlineData("50", "1")]
    public void Ranks_by_score_with_shared_ties(string scores, string ranks)
    {
        var s = Ints(scores);
        var r = Evaluate(Month("2026-10", Staff(s, [.. s.Select(_ => 1000m)])));

        Assert.Equal(Ints(ranks), s.Select((_, i) => r.Of($"E{i + 1}").Rank!.Value));
    }

    [Theory]
    // actual sales → sales ranks
    [InlineData("300,200,100", "1,2,3")]
    [InlineData("300,300,100", "1,1,3")]
    [InlineData("300,100,100", "1,2,2")]
    [InlineData("100.01,100,100.01", "1,3,1")]
    [InlineData("0,0", "1,1")]
    public void Ranks_by_actual_sales_the_same_way(string sales, string ranks)
    {
        var y = Decs(sales);
        var r = Evaluate(Month("2026-10", Staff([.. y.Select(_ => 80)], y)));

        Assert.Equal(Ints(ranks), y.Select((_, i) => r.Of($"E{i + 1}").SalesRank!.Value));
    }

    [Fact]
    public void Scores_one_decimal_apart_are_not_a_tie()
    {
        // A: 0.4·87 + 0.6·84 = 85.2; B: 0.4·84 + 0.6·85 = 84.6; C: 85 with no self.
        var r = Evaluate(Month("2026-10", Employee("A", 87, 84), Employee("B", 84, 85), Employee("C", null, 85)));

        Assert.Equal(1, r.Of("A").Rank); // 85.2
        Assert.Equal(2, r.Of("C").Rank); // 85
        Assert.Equal(3, r.Of("B").Rank); // 84.6
    }

    [Fact]
    public void Excluded_employees_are_not_counted()
    {
        // E1 has the best score and sales but is excluded; the others rank as if E1 were not there.
        var r = Evaluate(Month(
            "2026-10",
            Employee("E1", null, 100, 0m, 9000m, eligibilityOverride: false),
            Employee("E2", null, 90, 0m, 500m),
            Employee("E3", null, 80, 0m, 800m)));

        Assert.Null(r.Of("E1").Rank);
        Assert.Null(r.Of("E1").SalesRank);
        Assert.Equal((1, 2), (r.Of("E2").Rank!.Value, r.Of("E2").SalesRank!.Value));
        Assert.Equal((2, 1), (r.Of("E3").Rank!.Value, r.Of("E3").SalesRank!.Value));
    }

    [Fact]
    public void Ranking_is_per_month()
    {
        var r = Evaluate(
            Month("2026-09", Employee("E1", null, 90), Employee("E2", null, 80)),
            Month("2026-10", Employee("E1", null, 70), Employee("E2", null, 80)));

        Assert.Equal((1, 2), (r.Of("2026-09", "E1").Rank!.Value, r.Of("2026-09", "E2").Rank!.Value));
        Assert.Equal((2, 1), (r.Of("2026-10", "E1").Rank!.Value, r.Of("2026-10", "E2").Rank!.Value));
    }
}
