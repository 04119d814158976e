using System.Net;
using System.Text.RegularExpressions;
using Appraisal.Web.Data;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Appraisal.Web.Tests.Infrastructure;

/// <summary>Signs in through the real login form, as a browser would: antiforgery token, cookies, no redirects followed.</summary>
public static partial class SignIn
{
    public const string Password = DemoData.Password;

    /// <summary>A client without a session (no redirects followed, cookies kept).</summary>
    public static HttpClient Anonymous(AppFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
    }

    public static async Task<HttpClient> AsAsync(AppFactory factory, string userName, string password = Password)
    {
        var client = Anonymous(factory);
        var token = await TokenAsync(client, "/Account/Login");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
            ["__RequestVerificationToken"] = token,
        });
        using var response = await client.PostAsync("/Account/Login", form, TestContext.Current.CancellationToken);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"sign-in as {userName} failed: {(int)response.StatusCode}");
        }

        return client;
    }

    /// <summary>The antiforgery token of the first form on <paramref name="url"/>.</summary>
    public static async Task<string> TokenAsync(HttpClient client, string url)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.GetAsync(url, TestContext.Current.CancellationToken);
        return Token(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))
            ?? throw new InvalidOperationException($"no antiforgery token on {url} ({(int)response.StatusCode})");
    }

    public static string? Token(string html)
    {
        var match = TokenPattern().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
