using System.Globalization;
using System.Text;

namespace Appraisal.App.Files;

/// <summary>
/// What a spreadsheet cell says, read the way people type it into Chinese Excel: full-width digits and punctuation
/// (１２３，４５６．７８), thousands separators, "¥"/"￥" and "元", spaces before and after (also the no-break and
/// ideographic ones), numbers stored as text, Excel's date serials and its date cells. One reader for every import.
/// </summary>
public static class CellText
{
    /// <summary>
    /// The text of a cell: full-width ASCII forms (U+FF01–U+FF5E) as their ASCII letters, the ideographic and
    /// no-break spaces as spaces, trimmed; null for an empty cell. Numbers and dates read from a workbook are written
    /// invariantly (a date as yyyy-MM-dd).
    /// </summary>
    public static string? Normalise(object? value)
    {
        var text = value switch
        {
            null => null,
            string s => s,
            DateTime d => d.TimeOfDay == TimeSpan.Zero ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            double d => ((decimal)d).ToString(CultureInfo.InvariantCulture),
            decimal m => m.ToString(CultureInfo.InvariantCulture),
            bool b => b ? "TRUE" : "FALSE",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        if (text is null)
        {
            return null;
        }

        StringBuilder? sb = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var mapped = c switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                '\u3000' or '\u00A0' or '\u2007' or '\u202F' => ' ',
                '\uFFE5' => '¥',
                _ => c,
            };
            if (mapped != c)
            {
                sb ??= new StringBuilder(text, 0, i, text.Length);
            }

            sb?.Append(mapped);
        }

        var result = (sb?.ToString() ?? text).Trim();
        return result.Length == 0 ? null : result;
    }

    /// <summary>
    /// A number as people write it: "12,345.60", "¥ 1 234", "1234元", "１２３", "-50", "(50)" for a negative
    /// amount as accountants write it. A workbook's number cell is read exactly as Excel stored it.
    /// </summary>
    public static bool TryNumber(object? value, out decimal number)
    {
        number = 0;
        switch (value)
        {
            case double d when double.IsFinite(d) && Math.Abs(d) < 1e15:
                // Excel keeps 15 significant digits; the shortest round-trip text of the double is what it shows.
                return decimal.TryParse(d.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
            case decimal m:
                number = m;
                return true;
            case int i:
                number = i;
                return true;
            case long l:
                number = l;
                return true;
            case DateTime or bool:
                return false;
        }

        var text = Normalise(value);
        if (text is null)
        {
            return false;
        }

        var negative = false;
        if (text.Length > 2 && text[0] == '(' && text[^1] == ')')
        {
            negative = true;
            text = text[1..^1];
        }

        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '¥' or ' ' or '\'':
                    // The currency sign, spaces and Excel's text-number apostrophe carry no value.
                    continue;
                case ',':
                    // A thousands separator only between digits.
                    if (sb.Length == 0 || !char.IsAsciiDigit(sb[^1]))
                    {
                        return false;
                    }

                    continue;
                default:
                    sb.Append(c);
                    break;
            }
        }

        var digits = sb.ToString();
        if (digits.EndsWith('元'))
        {
            digits = digits[..^1];
        }

        if (digits.Length == 0 || digits.Any(c => !(char.IsAsciiDigit(c) || c is '.' or '-' or '+')))
        {
            return false;
        }

        if (!decimal.TryParse(digits, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out number))
        {
            return false;
        }

        if (negative)
        {
            if (number < 0)
            {
                return false;
            }

            number = -number;
        }

        return true;
    }

    /// <summary>A percentage: "12.5%" or "12.5％" is 0.125; a bare number is taken as the fraction itself (Excel's percent cells).</summary>
    public static bool TryPercent(object? value, out decimal fraction)
    {
        var text = value is string ? Normalise(value) : null;
        if (text is not null && text.EndsWith('%'))
        {
            var ok = TryNumber(text[..^1], out var percent);
            fraction = ok ? percent / 100m : 0;
            return ok;
        }

        return TryNumber(value, out fraction);
    }

    /// <summary>A whole number (days, a score): "3", "３", "3.0" — never "3.5".</summary>
    public static bool TryWhole(object? value, out int whole)
    {
        whole = 0;
        if (!TryNumber(value, out var number) || number != decimal.Truncate(number) || number < int.MinValue || number > int.MaxValue)
        {
            return false;
        }

        whole = (int)number;
        return true;
    }

    /// <summary>The first and last serials Excel's 1900 date system gives dates the product can hold (1900-03-01 … 9999-12-31).</summary>
    private const double FirstSerial = 61, LastSerial = 2_958_465;

    /// <summary>
    /// A date: an Excel date cell, an Excel date serial (a date column stored as a number, 45672 = 2025-01-15),
    /// or text as 2025-01-15, 2025/1/15, 2025.1.15, 2025年1月15日 or 20250115.
    /// </summary>
    public static bool TryDate(object? value, out DateOnly date)
    {
        date = default;
        switch (value)
        {
            case DateTime d:
                date = DateOnly.FromDateTime(d);
                return true;
            case double serial:
                return TrySerial(serial, out date);
        }

        var text = Normalise(value);
        if (text is null)
        {
            return false;
        }

        if (text.Length is 4 or 5 && text.All(char.IsAsciiDigit) && double.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var s))
        {
            return TrySerial(s, out date);
        }

        var cleaned = text.Replace('年', '-').Replace('月', '-').Replace("日", string.Empty, StringComparison.Ordinal).Replace('/', '-').Replace('.', '-');

        // A date cell's text may carry a midnight time ("2025-01-15 00:00:00"): the date is what counts.
        var space = cleaned.IndexOf(' ', StringComparison.Ordinal);
        if (space > 0 && TimeOnly.TryParse(cleaned[(space + 1)..], CultureInfo.InvariantCulture, out _))
        {
            cleaned = cleaned[..space];
        }

        return DateOnly.TryParseExact(cleaned, ["yyyy-M-d", "yyyyMMdd"], CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    /// <summary>A month: 2025-01, 2025/1, 2025年1月, 202501, or a date cell or serial (its month).</summary>
    public static bool TryMonth(object? value, out Core.Months.YearMonth month)
    {
        month = default;
        if (value is DateTime or double && TryDate(value, out var d))
        {
            month = new Core.Months.YearMonth(d.Year, d.Month);
            return true;
        }

        var text = Normalise(value);
        if (text is null)
        {
            return false;
        }

        var cleaned = text.Replace('年', '-').Replace("月", string.Empty, StringComparison.Ordinal).Replace('/', '-').Replace('.', '-');
        if (cleaned.Length == 6 && cleaned.All(char.IsAsciiDigit))
        {
            cleaned = cleaned[..4] + "-" + cleaned[4..];
        }

        var parts = cleaned.Split('-');
        if (parts.Length is 2 or 3 && parts[0].Length == 4 && parts[1].Length is 1 or 2
            && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var y)
            && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) && m is >= 1 and <= 12 && y is >= 1900 and <= 9999
            && (parts.Length == 2 || TryDate(cleaned, out _)))
        {
            month = new Core.Months.YearMonth(y, m);
            return true;
        }

        return false;
    }

    private static bool TrySerial(double serial, out DateOnly date)
    {
        date = default;
        if (serial < FirstSerial || serial > LastSerial || serial != Math.Floor(serial))
        {
            return false;
        }

        date = DateOnly.FromDateTime(DateTime.FromOADate(serial));
        return true;
    }

    /// <summary>The column letters of a 0-based column index: 0 → A, 25 → Z, 26 → AA.</summary>
    public static string ColumnLetter(int index)
    {
        var sb = new StringBuilder();
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            sb.Insert(0, (char)('A' + ((n - 1) % 26)));
        }

        return sb.ToString();
    }

    /// <summary>The 0-based column index of column letters (A → 0); -1 when they are not letters.</summary>
    public static int ColumnIndex(string letters)
    {
        ArgumentNullException.ThrowIfNull(letters);
        var n = 0;
        foreach (var c in letters)
        {
            if (c is < 'A' or > 'Z')
            {
                return -1;
            }

            n = (n * 26) + (c - 'A' + 1);
        }

        return n - 1;
    }
}
