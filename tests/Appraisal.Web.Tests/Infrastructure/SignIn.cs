using System.Net;
using Appraisal.Web.Data;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Appraisal.Web.Tests.Infrastructure;

/// <summary>
/// The one way tests sign in: through the real login form, as a browser would (antiforgery token,
/// cookies kept, redirects not followed so that tests can look at them).
/// </summary>
public static class SignIn
{
    public const string Password = DemoData.Password;

    /// <summary>A client without a session (no redirects followed, cookies kept).</summary>
    public static HttpClient Anonymous(WebApplicationFactory<Program> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
    }

    /// <summary>A client signed in as <paramref name="userName"/>: GET the login page for the token, POST the form, expect the redirect home.</summary>
    public static async Task<HttpClient> AsAsync(WebApplicationFactory<Program> factory, string userName, string password = Password)
    {
        var client = Anonymous(factory);
        using var response = await PageForms.PostAsync(client, "/Account/Login", "/Account/Login", new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
        });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            client.Dispose();
            throw new InvalidOperationException($"sign-in as {userName} failed: {(int)response.StatusCode}");
        }

        return client;
    }
}
