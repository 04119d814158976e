using static Appraisal.Core.Tests.Build;

namespace Appraisal.Core.Tests.Results;

/// <summary>D10: totalPay = positionSalary + commission + bonus + otherPay; otherPay may be negative.</summary>
public class TotalPayTests
{
    [Theory]
    // self, supervisor, plan, actual, otherPay → salary, commission, total (by hand)
    [InlineData(87, 84, "100000", "158000.50", "0", "1500.00", "1896.01", "3396.01")]
    [InlineData(87, 84, "100000", "158000.50", "-300.5", "1500.00", "1896.01", "3095.51")]
    [InlineData(87, 84, "100000", "158000.50", "250.25", "1500.00", "1896.01", "3646.26")]
    [InlineData(100, 100, "100000", "100000", "0", "1800.00", "1000.00", "2800.00")]
    [InlineData(0, 0, "100000", "97", "0", "1200.00", "0.49", "1200.49")]
    [InlineData(0, 0, "100000", "0", "-1500", "1200.00", "0.00", "-300.00")] // a large deduction can make pay negative
    [InlineData(75, 75, "0", "0", "0", "1400.00", "0.00", "1400.00")]
    public void Total_is_salary_plus_commission_plus_bonus_plus_other(
        int self, int supervisor, string plan, string actual, string otherPay, string salary, string commission, string total)
    {
        var r = Evaluate(Month("2026-10", Employee("E1", self, supervisor, Dec(plan), Dec(actual), otherPay: Dec(otherPay)))).Of("E1");

        Assert.Equal(Dec(salary), r.PositionSalary);
        Assert.Equal(Dec(commission), r.Commission);
        Assert.Equal(0m, r.Bonus);
        Assert.Equal(Dec(otherPay), r.OtherPay);
        Assert.Equal(Dec(total), r.TotalPay);
    }

    [Fact]
    public void The_bonus_is_part_of_the_total()
    {
        var r = Evaluate(
            Month("2026-09", Employee("E1", 90, 90, 100000m, 100000m), Employee("E2", 80, 80)),
            Month("2026-10", Employee("E1", 90, 90, 100000m, 100000m, otherPay: -50m), Employee("E2", 80, 80)));

        var october = r.Of("2026-10", "E1");
        Assert.Equal(200m, october.Bonus);
        Assert.Equal(1500m + 1000m + 200m - 50m, october.TotalPay);
    }
}
