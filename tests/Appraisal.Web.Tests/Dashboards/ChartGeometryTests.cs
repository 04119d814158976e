using Appraisal.App.Dashboards;
using Appraisal.Web.Charts;

namespace Appraisal.Web.Tests.Dashboards;

/// <summary>The charts' arithmetic: the axis top, bars within the plot, lines broken at gaps, and the median of grouped counts.</summary>
public sealed class ChartGeometryTests
{
    [Theory]
    [InlineData("0", "1")]
    [InlineData("-5", "1")]
    [InlineData("0.3", "0.5")]
    [InlineData("1", "1")]
    [InlineData("1.01", "2")]
    [InlineData("2", "2")]
    [InlineData("2.4", "2.5")]
    [InlineData("4.99", "5")]
    [InlineData("5.01", "10")]
    [InlineData("100", "100")]
    [InlineData("100.1", "200")]
    [InlineData("742546.19", "1000000")]
    public void The_axis_ends_at_a_round_number_not_below_the_largest_value(string max, string top) =>
        Assert.Equal(decimal.Parse(top, System.Globalization.CultureInfo.InvariantCulture), Chart.Nice(decimal.Parse(max, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public void Bars_stay_inside_the_plot_and_a_line_breaks_at_a_missing_value()
    {
        var chart = new Chart("c", "t", ["a", "b", "c"], [new ChartSeries("x", [10m, null, 40m]), new ChartSeries("y", [5m, 6m, 7m])], v => v?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "");
        Assert.Equal(50m, chart.Max);
        for (var i = 0; i < 3; i++)
        {
            for (var s = 0; s < 2; s++)
            {
                var (x, w) = chart.Bar(i, s);
                Assert.InRange(x, Chart.Left, Chart.Width - Chart.Right);
                Assert.InRange(x + w, Chart.Left, Chart.Width - Chart.Right);
            }
        }

        Assert.Equal(Chart.Top, chart.Y(50m), 3);
        Assert.Equal(chart.Baseline, chart.Y(0m), 3);
        Assert.Equal(2, chart.Lines(chart.Series[0]).Count());
        Assert.Single(chart.Lines(chart.Series[1]));
    }

    public static TheoryData<int[], decimal> Medians => new()
    {
        { [], 0m },
        { [70], 70m },
        { [70, 80], 75m },
        { [60, 70, 70, 90], 70m },
        { [90, 60, 75], 75m },
        { [60, 61, 90, 91], 75.5m },
    };

    [Theory]
    [MemberData(nameof(Medians))]
    public void The_median_of_counted_totals_is_the_middle_of_the_sorted_values(int[] values, decimal median)
    {
        var counts = values.GroupBy(v => v).Select(g => (g.Key, g.Count())).ToList();
        Assert.Equal(median, ReadManagerDashboard.Median(counts));
    }
}
