using System.Globalization;
using Appraisal.App.Months;

namespace Appraisal.App.Files.Exports;

/// <summary>
/// The title line of every export: company (<c>Company:Name</c> in the configuration), what the file is, the month,
/// the policy version and the general manager's confirmation date in the company's calendar (未确认 while open).
/// Files are the company's documents: their texts are Chinese (labels as the policy writes them), the column headers
/// Chinese with English after them, whatever the language of the page they were downloaded from.
/// </summary>
public sealed class ExportTitles(IConfiguration configuration, CompanyClock clock)
{
    public const string DefaultCompany = "本公司";

    public string Company => configuration["Company:Name"] is { Length: > 0 } name ? name.Trim() : DefaultCompany;

    /// <summary>The confirmation date as the title and the signature lines give it, or 未确认.</summary>
    public string Confirmation(AppraisalMonth month)
    {
        ArgumentNullException.ThrowIfNull(month);
        return month.Status == MonthStatus.Confirmed && month.ConfirmedAt is { } at ? $"总经理确认日期 {Day(at)}" : "未确认";
    }

    public string ForMonth(AppraisalMonth month, string what, string? policyVersion) =>
        $"{Company} · {month.Month} {what} · 政策版本 {policyVersion ?? "—"} · {Confirmation(month)}";

    /// <summary>The title of a file that spans months (a person's history): the day it was made.</summary>
    public string ForPerson(string what) => $"{Company} · {what} · 导出日期 {clock.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    /// <summary>A stored instant's day in the company's calendar.</summary>
    public string Day(DateTime utc) => clock.Local(utc).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>A stored instant's day in the company's calendar, as a date cell.</summary>
    public DateOnly DateOf(DateTime utc) => DateOnly.FromDateTime(clock.Local(utc).DateTime);
}

/// <summary>Runs text-producing rule code (written with <c>L.T</c>) in Chinese, the language of the files.</summary>
public static class InChinese
{
    private static readonly CultureInfo Chinese = CultureInfo.GetCultureInfo(Localization.L.Chinese);

    public static T Run<T>(Func<T> text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var before = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentUICulture = Chinese;
        try
        {
            return text();
        }
        finally
        {
            CultureInfo.CurrentUICulture = before;
        }
    }
}
