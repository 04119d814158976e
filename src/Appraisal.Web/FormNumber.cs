using System.Globalization;

namespace Appraisal.Web;

/// <summary>
/// Numbers typed into forms. Read culture-invariantly: HTML number inputs always send "." as the
/// decimal point whatever the page's language, and a thousands separator is refused rather than guessed.
/// </summary>
public static class FormNumber
{
    private const NumberStyles DecimalStyle =
        NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint;

    private const NumberStyles WholeStyle =
        NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite | NumberStyles.AllowLeadingSign;

    public static bool TryDecimal(string? text, out decimal value) =>
        decimal.TryParse(text, DecimalStyle, CultureInfo.InvariantCulture, out value);

    public static bool TryWhole(string? text, out int value) =>
        int.TryParse(text, WholeStyle, CultureInfo.InvariantCulture, out value);

    /// <summary>A stored amount as an input's value: invariant, no trailing zeros, no grouping.</summary>
    public static string Text(decimal value) => value.ToString("0.##########", CultureInfo.InvariantCulture);

    public static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
