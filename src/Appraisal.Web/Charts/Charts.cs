using System.Globalization;

namespace Appraisal.Web.Charts;

/// <summary>One named series of a chart: one value per category (null: none that month or team).</summary>
public sealed record ChartSeries(string Name, IReadOnlyList<decimal?> Values);

/// <summary>
/// What every chart partial needs: an id (for the caption's aria link), a title (the figure's caption and the SVG's
/// label), the categories along the axis, the series, and how a value is written in the table and the labels.
/// The partials (<c>Pages/Shared/_BarChart.cshtml</c>, <c>_LineChart.cshtml</c>, <c>_StackedBars.cshtml</c>) draw the
/// SVG from the geometry here and put the same numbers in a table under it. Styling only through classes
/// (<c>wwwroot/css/charts.css</c>): the CSP forbids inline styles.
/// </summary>
public sealed record Chart(string Id, string Title, IReadOnlyList<string> Categories, IReadOnlyList<ChartSeries> Series, Func<decimal?, string> Format)
{
    public const double Width = 640;
    public const double Height = 240;
    public const double Left = 64;
    public const double Right = 12;
    public const double Top = 12;
    public const double Bottom = 44;

    /// <summary>A note under the caption (what the numbers are), or null.</summary>
    public string? Note { get; init; }

    /// <summary>How the value axis is labelled (by default as the values).</summary>
    public Func<decimal?, string>? TickFormat { get; init; }

    /// <summary>The header of the table's first column (the categories).</summary>
    public string CategoryHeader { get; init; } = "";

    /// <summary>A column of words after the numbers in the table (e.g. each month's grade), one per category, or null.</summary>
    public (string Header, IReadOnlyList<string> Values)? Words { get; init; }

    /// <summary>The highlighted category (the month being looked at), or -1.</summary>
    public int Highlight { get; init; } = -1;

    public double PlotWidth => Width - Left - Right;

    public double PlotHeight => Height - Top - Bottom;

    public double Baseline => Top + PlotHeight;

    /// <summary>The top of the value axis: the largest value rounded up to a "nice" number (1, 2, 2.5, 5 × 10ⁿ), at least 1.</summary>
    public decimal Max
    {
        get
        {
            var max = Series.SelectMany(s => s.Values).Where(v => v is not null).Select(v => v!.Value).DefaultIfEmpty(0).Max();
            return Nice(max);
        }
    }

    /// <summary>Four gridlines from 0 to <see cref="Max"/>.</summary>
    public IEnumerable<(decimal Value, double Y)> Ticks => Enumerable.Range(0, 5).Select(i => Max * i / 4).Select(v => (v, Y(v)));

    public double Y(decimal value) => Baseline - ((double)(Max == 0 ? 0 : value / Max) * PlotHeight);

    public double Band => Categories.Count == 0 ? PlotWidth : PlotWidth / Categories.Count;

    /// <summary>The centre of category <paramref name="index"/>'s band.</summary>
    public double X(int index) => Left + (Band * (index + 0.5));

    /// <summary>A bar of a grouped bar chart: series <paramref name="series"/> within category <paramref name="index"/>.</summary>
    public (double X, double Width) Bar(int index, int series)
    {
        var group = Band * 0.8;
        var width = group / Math.Max(1, Series.Count);
        return (Left + (Band * index) + (Band * 0.1) + (width * series), Math.Max(1, width - 1));
    }

    /// <summary>The polyline points of a series, skipping gaps (each run of values is its own line).</summary>
    public IEnumerable<string> Lines(ChartSeries series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var run = new List<string>();
        for (var i = 0; i < series.Values.Count; i++)
        {
            if (series.Values[i] is { } v)
            {
                run.Add(N(X(i)) + "," + N(Y(v)));
                continue;
            }

            if (run.Count > 0)
            {
                yield return string.Join(' ', run);
                run.Clear();
            }
        }

        if (run.Count > 0)
        {
            yield return string.Join(' ', run);
        }
    }

    /// <summary>The SVG's accessible name: the title, and where the table is.</summary>
    public string Label => Title;

    /// <summary>A coordinate in invariant culture with at most one decimal (SVG attributes).</summary>
    public static string N(double value) => Math.Round(value, 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>The series' colour class (eight in charts.css, then again).</summary>
    public static string SeriesClass(int index) => "series-" + (index % 8).ToString(CultureInfo.InvariantCulture);

    public static decimal Nice(decimal max)
    {
        if (max <= 0)
        {
            return 1;
        }

        var power = 1m;
        while (power * 10 <= max)
        {
            power *= 10;
        }

        while (power > max)
        {
            power /= 10;
        }

        foreach (var step in new[] { 1m, 2m, 2.5m, 5m, 10m })
        {
            if (step * power >= max)
            {
                return step * power;
            }
        }

        return 10 * power;
    }
}

/// <summary>
/// Horizontal bars each split into shares that add up to 100 % (a distribution per row, e.g. each supervisor's
/// scores by grade band against the company's, D24). <see cref="Rows"/> holds the percentages per segment.
/// </summary>
public sealed record StackedBars(string Id, string Title, IReadOnlyList<string> Segments, IReadOnlyList<(string Label, IReadOnlyList<decimal> Shares, IReadOnlyList<int> Counts)> Rows)
{
    public const double Width = 640;
    public const double Left = 150;
    public const double Right = 12;
    public const double RowHeight = 22;
    public const double Top = 8;
    public const double Legend = 28;

    public string? Note { get; init; }

    public string RowHeader { get; init; } = "";

    /// <summary>The row drawn apart as the reference (the company), or -1.</summary>
    public int Reference { get; init; } = -1;

    public double Height => Top + (RowHeight * Rows.Count) + Legend;

    public static string N(double value) => Chart.N(value);

    public double PlotWidth => Width - Left - Right;

    public double RowY(int row) => Top + (RowHeight * row);

    /// <summary>The segments of a row as (x, width, segment index), left to right.</summary>
    public IEnumerable<(double X, double Width, int Segment)> Parts(int row)
    {
        var x = Left;
        var shares = Rows[row].Shares;
        var total = shares.Sum();
        for (var i = 0; i < shares.Count; i++)
        {
            var w = total == 0 ? 0 : (double)(shares[i] / total) * PlotWidth;
            if (w > 0)
            {
                yield return (x, w, i);
            }

            x += w;
        }
    }
}
