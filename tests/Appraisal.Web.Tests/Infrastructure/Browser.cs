using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Appraisal.Web.Tests.Infrastructure;

/// <summary>
/// A signed-in user driving the server-rendered pages without a browser: cookies are kept, redirects
/// are not followed (tests look at them), and every POST carries the antiforgery token as a form would.
/// </summary>
public sealed class Browser : IDisposable
{
    private readonly HttpClient client;
    private string token;

    private Browser(HttpClient client, string token)
    {
        this.client = client;
        this.token = token;
    }

    public HttpClient Client => client;

    /// <summary>Signs in through the login page: GET for the token, POST the form, expect the redirect home.</summary>
    public static async Task<Browser> SignInAsync(WebApplicationFactory<Program> factory, string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var client = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var ct = TestContext.Current.CancellationToken;
        var login = await client.GetStringAsync(new Uri("/Account/Login", UriKind.Relative), ct);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
            ["__RequestVerificationToken"] = Html.AntiforgeryToken(login),
        });
        using var response = await client.PostAsync(new Uri("/Account/Login", UriKind.Relative), form, ct);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            client.Dispose();
            throw new InvalidOperationException($"sign-in as {userName} failed: {(int)response.StatusCode}");
        }

        // The token binds to the signed-in user: take a fresh one from a page now.
        var home = await client.GetStringAsync(new Uri("/", UriKind.Relative), ct);
        return new Browser(client, Html.AntiforgeryToken(home));
    }

    public async Task<HttpResponseMessage> GetAsync(string url) =>
        await client.GetAsync(new Uri(url, UriKind.Relative), TestContext.Current.CancellationToken);

    /// <summary>GETs a page that must answer 200 and returns its HTML.</summary>
    public async Task<string> PageAsync(string url)
    {
        using var response = await GetAsync(url);
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}");
        }

        token = Html.AntiforgeryToken(html, token);
        return html;
    }

    /// <summary>POSTs form fields (the antiforgery token is added) and returns the response, redirects not followed.</summary>
    public async Task<HttpResponseMessage> PostAsync(string url, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var all = fields.Append(new("__RequestVerificationToken", token));
        using var form = new FormUrlEncodedContent(all);
        return await client.PostAsync(new Uri(url, UriKind.Relative), form, TestContext.Current.CancellationToken);
    }

    public Task<HttpResponseMessage> PostAsync(string url, params (string Name, string Value)[] fields) =>
        PostAsync(url, fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    /// <summary>Follows a redirect answer with a GET and returns the page it leads to.</summary>
    public async Task<string> FollowAsync(HttpResponseMessage redirect)
    {
        ArgumentNullException.ThrowIfNull(redirect);
        if (redirect.StatusCode != HttpStatusCode.Redirect || redirect.Headers.Location is null)
        {
            var body = await redirect.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            throw new InvalidOperationException($"expected a redirect, got {(int)redirect.StatusCode}: {Html.Error(body) ?? Html.MainContent(body)}");
        }

        return await PageAsync(PathOf(redirect.Headers.Location));
    }

    /// <summary>True when the answer is D19's refusal (see <see cref="IsRefusedAsync"/>).</summary>
    public Task<bool> IsForbiddenAsync(HttpResponseMessage response) => IsRefusedAsync(client, response);

    /// <summary>
    /// True when the answer is D19's refusal: Forbid() sends the browser to the access-denied page,
    /// which answers 403 — or a plain 403 (pages that show the refusal's message themselves).
    /// </summary>
    public static async Task<bool> IsRefusedAsync(HttpClient client, HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(response);
        if (response.StatusCode == HttpStatusCode.Forbidden)
        {
            return true;
        }

        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location is not { } location
            || !PathOf(location).StartsWith("/Account/Denied", StringComparison.Ordinal))
        {
            return false;
        }

        using var denied = await client.GetAsync(new Uri(PathOf(location), UriKind.Relative), TestContext.Current.CancellationToken);
        return denied.StatusCode == HttpStatusCode.Forbidden;
    }

    public void Dispose() => client.Dispose();

    private static string PathOf(Uri location) => location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
}

/// <summary>Small readers of the pages' HTML: enough for assertions, no DOM needed.</summary>
public static partial class Html
{
    public static string AntiforgeryToken(string html, string? fallback = null)
    {
        var match = TokenPattern().Match(html);
        return match.Success ? match.Groups[1].Value : fallback ?? throw new InvalidOperationException("no antiforgery token on the page");
    }

    /// <summary>The text of the page's error alert, or null.</summary>
    public static string? Error(string html) => Text(ErrorPattern().Match(html));

    /// <summary>The text of the page's success notice, or null.</summary>
    public static string? Notice(string html) => Text(NoticePattern().Match(html));

    /// <summary>The page's main content, for messages.</summary>
    public static string MainContent(string html)
    {
        var start = html.IndexOf("<main", StringComparison.Ordinal);
        return start < 0 ? html : html[start..];
    }

    private static string? Text(Match match) =>
        match.Success ? WebUtility.HtmlDecode(TagPattern().Replace(match.Groups[1].Value, string.Empty)).Trim() : null;

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    [GeneratedRegex("<p class=\"error\" role=\"alert\">(.*?)</p>", RegexOptions.Singleline)]
    private static partial Regex ErrorPattern();

    [GeneratedRegex("<p class=\"notice\">(.*?)</p>", RegexOptions.Singleline)]
    private static partial Regex NoticePattern();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();
}
