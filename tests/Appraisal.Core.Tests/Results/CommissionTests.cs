using static Appraisal.Core.Tests.Build;

namespace Appraisal.Core.Tests.Results;

/// <summary>
/// D8: half-open tiers, lower bound inclusive: Y &lt; X → 0.5 %; X ≤ Y &lt; X + 50 000 → 1 %;
/// Y ≥ X + 50 000 → 1.2 %, on the whole of Y. D9: rounded once, half away from zero.
/// </summary>
public class CommissionTests
{
    [Theory]
    // plan X, actual Y, rate, commission (worked by hand)
    [InlineData("100000", "0", "0.005", "0.00")]
    [InlineData("100000", "99999.99", "0.005", "500.00")] // 499.99995
    [InlineData("100000", "100000", "0.01", "1000.00")] // Y = X is the 1 % tier
    [InlineData("100000", "100000.01", "0.01", "1000.00")] // 1000.0001
    [InlineData("100000", "120000", "0.01", "1200.00")]
    [InlineData("100000", "149999.99", "0.01", "1500.00")] // 1499.9999
    [InlineData("100000", "150000", "0.012", "1800.00")] // Y = X + 50 000 is the 1.2 % tier
    [InlineData("100000", "150000.01", "0.012", "1800.00")] // 1800.00012
    [InlineData("100000", "158000.50", "0.012", "1896.01")] // 1896.006
    [InlineData("100000", "160000", "0.012", "1920.00")] // whole of Y, not marginal
    [InlineData("0", "0", "0.01", "0.00")] // X = 0: Y = X
    [InlineData("0", "0.01", "0.01", "0.00")]
    [InlineData("0", "49999.99", "0.01", "500.00")]
    [InlineData("0", "50000", "0.012", "600.00")]
    [InlineData("0", "100000", "0.012", "1200.00")]
    [InlineData("100", "97", "0.005", "0.49")] // 0.485: half away from zero, not banker's 0.48
    [InlineData("100", "99", "0.005", "0.50")] // 0.495
    [InlineData("100", "1", "0.005", "0.01")] // 0.005
    [InlineData("100", "0.99", "0.005", "0.00")] // 0.00495
    [InlineData("200000", "190000", "0.005", "950.00")]
    public void Tier_and_commission(string plan, string actual, string rate, string commission)
    {
        var r = Evaluate(Month("2026-10", Employee("E1", 80, 80, Dec(plan), Dec(actual)))).Of("E1");

        Assert.Equal(Dec(rate), r.CommissionTier.Rate);
        Assert.Equal(Dec(commission), r.Commission);
        Assert.Equal(2, r.Commission.Scale);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Commission_does_not_depend_on_the_grade_or_eligibility(bool eligible)
    {
        var r = Evaluate(Month("2026-10", Employee("E1", 0, 0, 100000m, 158000.50m, eligibilityOverride: eligible))).Of("E1");

        Assert.Equal(1896.01m, r.Commission);
    }

    [Fact]
    public void A_changed_threshold_in_the_policy_moves_the_tiers()
    {
        // HR raises the top tier to X + 100 000 and the middle tier to start at X + 10 000.
        var policy = Seed with
        {
            Commission = new([new(null, 0.005m), new(10000m, 0.01m), new(100000m, 0.015m)]),
        };

        var r = Evaluate(
            policy,
            Month(
                "2026-10",
                Employee("E1", 80, 80, 100000m, 100000m),
                Employee("E2", 80, 80, 100000m, 110000m),
                Employee("E3", 80, 80, 100000m, 199999m),
                Employee("E4", 80, 80, 100000m, 200000m)));

        Assert.Equal(500.00m, r.Of("E1").Commission); // 100000 × 0.5 %: Y = X no longer reaches 1 %
        Assert.Equal(1100.00m, r.Of("E2").Commission); // 110000 × 1 %
        Assert.Equal(1999.99m, r.Of("E3").Commission); // 199999 × 1 %
        Assert.Equal(3000.00m, r.Of("E4").Commission); // 200000 × 1.5 %
    }
}
