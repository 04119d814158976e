using System.Net;
using System.Text.RegularExpressions;
using Appraisal.Web.Data;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Appraisal.Web.Tests.Infrastructure;

/// <summary>Signs in through the real sign-in page, as a browser would: anti-forgery token, form post, cookie.</summary>
public static partial class SignIn
{
    public const string Password = DemoData.Password;

    /// <summary>A client without a session (no redirects followed, cookies kept).</summary>
    public static HttpClient Anonymous(AppFactory app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
    }

    /// <summary>A client signed in as <paramref name="userName"/> (password of the demo accounts).</summary>
    public static async Task<HttpClient> AsAsync(AppFactory app, string userName, string password = Password)
    {
        var client = Anonymous(app);
        var token = await TokenAsync(client, "/Account/Login");
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
            ["__RequestVerificationToken"] = token,
        });
        using var response = await client.PostAsync("/Account/Login", form);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"sign-in as {userName} failed: {(int)response.StatusCode}");
        }

        return client;
    }

    /// <summary>The anti-forgery token of the page at <paramref name="url"/> (its first form).</summary>
    public static async Task<string> TokenAsync(HttpClient client, string url)
    {
        ArgumentNullException.ThrowIfNull(client);
        var html = await client.GetStringAsync(url);
        var match = TokenPattern().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException($"no anti-forgery token on {url}");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
