using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Appraisal.Web.Tests.Infrastructure;

/// <summary>
/// A signed-in user driving the server-rendered pages without a browser: cookies are kept, redirects
/// are not followed (tests look at them), and every POST carries the antiforgery token of the last
/// page seen, as a form would.
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

    /// <summary>Signs in (<see cref="SignIn.AsAsync"/>) and takes a first token from the home page.</summary>
    public static async Task<Browser> SignInAsync(WebApplicationFactory<Program> factory, string userName, string password)
    {
        var client = await SignIn.AsAsync(factory, userName, password);

        // The token binds to the signed-in user: take a fresh one from a page now.
        return new Browser(client, await PageForms.TokenAsync(client, "/"));
    }

    public async Task<HttpResponseMessage> GetAsync(string url) =>
        await client.GetAsync(new Uri(url, UriKind.Relative), TestContext.Current.CancellationToken);

    /// <summary>GETs a page that must answer 200 and returns its HTML.</summary>
    public async Task<string> PageAsync(string url)
    {
        using var response = await GetAsync(url);
        var html = await response.TextAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET {url} answered {(int)response.StatusCode}");
        }

        token = Html.AntiforgeryToken(html) ?? token;
        return html;
    }

    /// <summary>POSTs form fields (the antiforgery token is added) and returns the response, redirects not followed.</summary>
    public Task<HttpResponseMessage> PostAsync(string url, IEnumerable<KeyValuePair<string, string>> fields) =>
        PageForms.PostAsync(client, url, fields, token);

    public Task<HttpResponseMessage> PostAsync(string url, params (string Name, string Value)[] fields) =>
        PostAsync(url, fields.Select(f => new KeyValuePair<string, string>(f.Name, f.Value)));

    /// <summary>Follows a redirect answer with a GET and returns the page it leads to.</summary>
    public async Task<string> FollowAsync(HttpResponseMessage redirect)
    {
        ArgumentNullException.ThrowIfNull(redirect);
        if (redirect.StatusCode != HttpStatusCode.Redirect || redirect.Headers.Location is null)
        {
            var body = await redirect.TextAsync();
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

    /// <summary>The path and query of a redirect's Location, absolute or not.</summary>
    public static string PathOf(Uri location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return location.IsAbsoluteUri ? location.PathAndQuery : location.OriginalString;
    }

    public void Dispose() => client.Dispose();
}
