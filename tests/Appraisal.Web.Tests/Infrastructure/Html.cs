using System.Net;
using System.Text.RegularExpressions;

namespace Appraisal.Web.Tests.Infrastructure;

/// <summary>Small readers of the pages' HTML: enough for assertions, no DOM needed.</summary>
public static partial class Html
{
    public static Task<string> TextAsync(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The antiforgery token of the first form on the page, or null when it has no form.</summary>
    public static string? AntiforgeryToken(string html) => Text(TokenPattern().Match(html));

    /// <summary>The text of the page's error alert (<c>&lt;p class="error" role="alert"&gt;</c>), or null.</summary>
    public static string? Error(string html) => Text(ErrorPattern().Match(html));

    /// <summary>The text of the page's success notice, or null.</summary>
    public static string? Notice(string html) => Text(NoticePattern().Match(html));

    /// <summary>The page's main content, for messages.</summary>
    public static string MainContent(string html)
    {
        var start = html.IndexOf("<main", StringComparison.Ordinal);
        return start < 0 ? html : html[start..];
    }

    /// <summary>The person ids of the rows of a results table, in order.</summary>
    public static List<int> PersonRows(string html) =>
        RowPattern().Matches(html).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    private static string? Text(Match match) =>
        match.Success
            ? WebUtility.HtmlDecode(TagPattern().Replace(match.Groups[1].Success ? match.Groups[1].Value : match.Groups[2].Value, string.Empty)).Trim()
            : null;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    // A page's own message, or the shared outcome (Pages/Shared/_Outcome.cshtml).
    [GeneratedRegex("<p class=\"error\" role=\"alert\">(.*?)</p>|<div class=\"outcome error\"[^>]*>(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex ErrorPattern();

    [GeneratedRegex("<p class=\"notice\">(.*?)</p>|<div class=\"outcome notice[^\"]*\"[^>]*>(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex NoticePattern();

    [GeneratedRegex("<tr data-person=\"(\\d+)\"")]
    private static partial Regex RowPattern();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();
}
