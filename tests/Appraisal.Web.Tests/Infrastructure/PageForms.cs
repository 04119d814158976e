using System.Text.RegularExpressions;

namespace Appraisal.Web.Tests.Infrastructure;

/// <summary>Posts a page's form the way a browser does: token from the page the user sees, then the post.</summary>
public static partial class PageForms
{
    public static async Task<HttpResponseMessage> PostAsync(HttpClient client, string page, string action, IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var token = await SignIn.TokenAsync(client, page);
        var all = new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token };
        using var form = new FormUrlEncodedContent(all);
        return await client.PostAsync(action, form, TestContext.Current.CancellationToken);
    }

    public static Task<string> TextAsync(this HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>The text of the page's alert (<c>&lt;p class="error" role="alert"&gt;</c>), or null.</summary>
    public static string? Alert(string html)
    {
        var match = AlertPattern().Match(html);
        return match.Success ? System.Net.WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    /// <summary>The person ids of the rows of a results table, in order.</summary>
    public static List<int> PersonRows(string html) =>
        RowPattern().Matches(html).Select(m => int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();

    [GeneratedRegex("<p class=\"error\" role=\"alert\">([^<]*)</p>")]
    private static partial Regex AlertPattern();

    [GeneratedRegex("<tr data-person=\"(\\d+)\"")]
    private static partial Regex RowPattern();
}
