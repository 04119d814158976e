using System.Globalization;
using Appraisal.Core.Months;

namespace Appraisal.Core.Tests.Months;

public class YearMonthTests
{
    [Theory]
    [InlineData("2026-10", 2026, 10)]
    [InlineData("2026-01", 2026, 1)]
    [InlineData("2025-12", 2025, 12)]
    [InlineData("1900-01", 1900, 1)]
    [InlineData("9999-12", 9999, 12)]
    public void Parses_and_formats_YYYY_MM(string text, int year, int month)
    {
        var parsed = YearMonth.Parse(text);

        Assert.Equal(year, parsed.Year);
        Assert.Equal(month, parsed.Month);
        Assert.Equal(text, parsed.ToString());
        Assert.Equal(text, string.Create(CultureInfo.InvariantCulture, $"{parsed}"));
        Assert.Equal(new YearMonth(year, month), parsed);
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("2026-1")]
    [InlineData("26-01")]
    [InlineData("2026/01")]
    [InlineData("2026-01-01")]
    [InlineData(" 2026-01")]
    [InlineData("2026-01 ")]
    [InlineData("+026-01")]
    [InlineData("2026--1")]
    [InlineData("2026-+1")]
    [InlineData("２０２６-01")]
    [InlineData("1899-12")]
    [InlineData("abcd-ef")]
    [InlineData("")]
    public void Rejects_anything_but_YYYY_MM(string text)
    {
        Assert.False(YearMonth.TryParse(text, out _));
        Assert.Throws<FormatException>(() => YearMonth.Parse(text));
    }

    [Theory]
    [InlineData(2026, 13)]
    [InlineData(2026, 0)]
    [InlineData(1899, 12)]
    [InlineData(10000, 1)]
    public void Constructor_rejects_impossible_months(int year, int month) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new YearMonth(year, month));

    [Theory]
    [InlineData("2026-01", "2025-12", "2026-02")]
    [InlineData("2025-12", "2025-11", "2026-01")]
    [InlineData("2026-06", "2026-05", "2026-07")]
    [InlineData("2000-01", "1999-12", "2000-02")]
    public void Previous_and_next_cross_year_boundaries(string month, string previous, string next)
    {
        var m = YearMonth.Parse(month);

        Assert.Equal(previous, m.Previous.ToString());
        Assert.Equal(next, m.Next.ToString());
        Assert.Equal(m, m.Previous.Next);
        Assert.Equal(m.Ordinal - 1, m.Previous.Ordinal);
        Assert.Equal(m.Ordinal + 1, m.Next.Ordinal);
    }

    [Theory]
    [InlineData("2026-03", -3, "2025-12")]
    [InlineData("2026-03", -14, "2025-01")]
    [InlineData("2026-03", 10, "2027-01")]
    [InlineData("2026-03", 0, "2026-03")]
    [InlineData("2026-12", 12, "2027-12")]
    public void PlusMonths_moves_by_calendar_months(string month, int months, string expected) =>
        Assert.Equal(expected, YearMonth.Parse(month).PlusMonths(months).ToString());

    [Theory]
    [InlineData("2024-02", 29)]
    [InlineData("2026-02", 28)]
    [InlineData("2000-02", 29)]
    [InlineData("1900-02", 28)]
    [InlineData("2026-01", 31)]
    [InlineData("2026-04", 30)]
    [InlineData("2026-06", 30)]
    [InlineData("2026-07", 31)]
    [InlineData("2026-09", 30)]
    [InlineData("2026-11", 30)]
    [InlineData("2026-12", 31)]
    public void DaysInMonth_knows_leap_years(string month, int days) =>
        Assert.Equal(days, YearMonth.Parse(month).DaysInMonth);

    [Fact]
    public void Orders_chronologically()
    {
        var months = new[] { "2026-01", "2025-12", "2026-10", "2025-01" }.Select(YearMonth.Parse).Order().Select(m => m.ToString());

        Assert.Equal(["2025-01", "2025-12", "2026-01", "2026-10"], months);
        Assert.True(YearMonth.Parse("2025-12") < YearMonth.Parse("2026-01"));
        Assert.True(YearMonth.Parse("2026-01") >= YearMonth.Parse("2026-01"));
        Assert.False(YearMonth.Parse("2026-02") <= YearMonth.Parse("2026-01"));
    }

    [Fact]
    public void FromDate_and_FirstDay()
    {
        Assert.Equal("2026-02", YearMonth.FromDate(new DateOnly(2026, 2, 28)).ToString());
        Assert.Equal(new DateOnly(2026, 10, 1), YearMonth.Parse("2026-10").FirstDay);
    }
}
