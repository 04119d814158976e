using System.Globalization;
using Appraisal.Core.Pay;

namespace Appraisal.Core.Tests.Pay;

/// <summary>D9: each money amount is rounded once to 0.01 yuan, half away from zero (四舍五入).</summary>
public class MoneyTests
{
    [Theory]
    [InlineData("0.485", "0.49")] // 97 × 0.5 %; banker's rounding would give 0.48
    [InlineData("0.495", "0.50")]
    [InlineData("0.475", "0.48")]
    [InlineData("0.005", "0.01")]
    [InlineData("0.004999", "0.00")]
    [InlineData("0.015", "0.02")]
    [InlineData("0.025", "0.03")] // banker's would give 0.02
    [InlineData("1896.006", "1896.01")]
    [InlineData("1896.0049", "1896.00")]
    [InlineData("499.99995", "500.00")]
    [InlineData("-0.485", "-0.49")]
    [InlineData("-0.005", "-0.01")]
    [InlineData("1500", "1500.00")]
    [InlineData("0", "0.00")]
    [InlineData("12.3", "12.30")]
    [InlineData("-300.5", "-300.50")]
    public void Rounds_half_away_from_zero_to_two_decimals(string amount, string expected)
    {
        var rounded = Money.Round(Build.Dec(amount), 2);

        Assert.Equal(Build.Dec(expected), rounded);
        // Always two decimals of scale, so 1500 is written 1500.00.
        Assert.Equal(expected, rounded.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(2, rounded.Scale);
    }

    [Theory]
    [InlineData("2.5", 0, "3")] // banker's would give 2
    [InlineData("3.5", 0, "4")]
    [InlineData("0.0005", 3, "0.001")]
    [InlineData("7", 3, "7.000")]
    public void Other_precisions_round_the_same_way(string amount, int decimals, string expected) =>
        Assert.Equal(expected, Money.Round(Build.Dec(amount), decimals).ToString(CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("12.34", 2, true)]
    [InlineData("12.30", 2, true)]
    [InlineData("12", 2, true)]
    [InlineData("12.345", 2, false)]
    [InlineData("-0.001", 2, false)]
    [InlineData("0.5", 0, false)]
    public void HasAtMostDecimals(string amount, int decimals, bool expected) =>
        Assert.Equal(expected, Money.HasAtMostDecimals(Build.Dec(amount), decimals));
}
