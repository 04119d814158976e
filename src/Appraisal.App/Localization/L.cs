using System.Globalization;

namespace Appraisal.App.Localization;

/// <summary>
/// Chinese first, English second: every visible text is written as a pair at its point of use and
/// the request culture (zh-CN by default, en by the switch on every page) picks one.
/// </summary>
public static class L
{
    public const string Chinese = "zh-CN";
    public const string English = "en";

    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";

    /// <summary>The text in the current UI language.</summary>
    public static string T(string zh, string en) => IsEnglish ? en : zh;

    /// <summary>Money on screen in the chosen culture (files and the API stay invariant).</summary>
    public static string Money(decimal amount) => amount.ToString("N2", CultureInfo.CurrentCulture);

    public static string Money(decimal? amount) => amount is { } a ? Money(a) : "—";

    public static string Number(decimal? value, string format = "0.0") =>
        value is { } v ? v.ToString(format, CultureInfo.CurrentCulture) : "—";

    public static string Date(DateTime? utc) =>
        utc is { } d ? d.ToLocalTime().ToString("g", CultureInfo.CurrentCulture) : "—";

    public static string Date(DateOnly? date) => date is { } d ? d.ToString("d", CultureInfo.CurrentCulture) : "—";
}
