using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Appraisal.Core.Months;

/// <summary>
/// A calendar month such as 2026-10: the unit of appraisal (第六条, monthly appraisal) and of pay.
/// Written and read as <c>YYYY-MM</c>, culture-invariant.
/// </summary>
public readonly record struct YearMonth : IComparable<YearMonth>, ISpanFormattable, ISpanParsable<YearMonth>
{
    /// <summary>Smallest supported year.</summary>
    public const int MinYear = 1900;

    /// <summary>Largest supported year.</summary>
    public const int MaxYear = 9999;

    /// <summary>Creates a month; throws when the year or month is outside the calendar.</summary>
    public YearMonth(int year, int month)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, MinYear);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, MaxYear);
        ArgumentOutOfRangeException.ThrowIfLessThan(month, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(month, 12);
        Year = year;
        Month = month;
    }

    /// <summary>The calendar year.</summary>
    public int Year { get; }

    /// <summary>The month of the year, 1–12.</summary>
    public int Month { get; }

    /// <summary>Number of days in this month (28–31), used to bound absence days (D14).</summary>
    public int DaysInMonth => DateTime.DaysInMonth(Year, Month);

    /// <summary>Months since year 0, so that consecutive months differ by exactly one (D12).</summary>
    public int Ordinal => checked((Year * 12) + Month - 1);

    /// <summary>The month before this one.</summary>
    public YearMonth Previous => PlusMonths(-1);

    /// <summary>The month after this one.</summary>
    public YearMonth Next => PlusMonths(1);

    /// <summary>This month moved by <paramref name="months"/> (negative moves back).</summary>
    public YearMonth PlusMonths(int months)
    {
        var ordinal = checked(Ordinal + months);
        return new YearMonth(ordinal / 12, (ordinal % 12) + 1);
    }

    /// <summary>The first day of the month.</summary>
    public DateOnly FirstDay => new(Year, Month, 1);

    /// <summary>The month that contains <paramref name="date"/>.</summary>
    public static YearMonth FromDate(DateOnly date) => new(date.Year, date.Month);

    /// <summary>Parses exactly <c>YYYY-MM</c>; returns false for anything else, including 2026-13.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out YearMonth value)
    {
        value = default;
        if (text.Length != 7 || text[4] != '-')
        {
            return false;
        }

        if (!int.TryParse(text[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(text[5..], NumberStyles.None, CultureInfo.InvariantCulture, out var month))
        {
            return false;
        }

        if (year is < MinYear or > MaxYear || month is < 1 or > 12)
        {
            return false;
        }

        value = new YearMonth(year, month);
        return true;
    }

    /// <summary>Parses exactly <c>YYYY-MM</c> or throws <see cref="FormatException"/>.</summary>
    public static YearMonth Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a month in the form YYYY-MM.");

    // IParsable/ISpanParsable, implemented explicitly so that the calls above keep their one form: this is how
    // route and query values such as /api/months/2026-10 bind to a YearMonth (the provider is ignored, the form
    // is culture-invariant).
    static YearMonth IParsable<YearMonth>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static YearMonth ISpanParsable<YearMonth>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => Parse(s.ToString());

    static bool IParsable<YearMonth>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out YearMonth result) => TryParse(s, out result);

    static bool ISpanParsable<YearMonth>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out YearMonth result) => TryParse(s, out result);

    /// <inheritdoc />
    public int CompareTo(YearMonth other) => Ordinal.CompareTo(other.Ordinal);

    /// <summary>Chronological order.</summary>
    public static bool operator <(YearMonth left, YearMonth right) => left.Ordinal < right.Ordinal;

    /// <summary>Chronological order.</summary>
    public static bool operator >(YearMonth left, YearMonth right) => left.Ordinal > right.Ordinal;

    /// <summary>Chronological order.</summary>
    public static bool operator <=(YearMonth left, YearMonth right) => left.Ordinal <= right.Ordinal;

    /// <summary>Chronological order.</summary>
    public static bool operator >=(YearMonth left, YearMonth right) => left.Ordinal >= right.Ordinal;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}");

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => ToString();

    /// <inheritdoc />
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        destination.TryWrite(CultureInfo.InvariantCulture, $"{Year:D4}-{Month:D2}", out charsWritten);
}
