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

    private static readonly AsyncLocal<TimeZoneInfo?> RequestZone = new();

    /// <summary>
    /// The company's time zone (<c>Company:TimeZone</c>, D23) in which every stored UTC instant is shown: set per
    /// request by the web host and once by the command line from <see cref="Months.CompanyClock.Zone"/>; where nothing set
    /// it (a background job, a test calling a command directly) the default zone, Asia/Shanghai — never the server's own.
    /// </summary>
    public static TimeZoneInfo Zone
    {
        get => RequestZone.Value ?? Months.CompanyClock.DefaultZone;
        set => RequestZone.Value = value;
    }

    /// <summary>A stored UTC instant as date and time on the company's wall clock, in the chosen culture.</summary>
    public static string Date(DateTime? utc) =>
        utc is { } d ? TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(d, DateTimeKind.Utc), Zone).ToString("g", CultureInfo.CurrentCulture) : "—";

    public static string Date(DateOnly? date) => date is { } d ? d.ToString("d", CultureInfo.CurrentCulture) : "—";
}
