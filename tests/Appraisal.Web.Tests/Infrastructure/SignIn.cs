using System.Net;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace Appraisal.Web.Tests.Infrastructure;

/// <summary>
/// The one way tests sign in: through the real login form, as a browser would (antiforgery token,
/// cookies kept, redirects not followed so that tests can look at them). API writes carry the session's
/// antiforgery token (<see cref="ApiTokenHandler"/>), as an API client must (docs/api.md).
/// </summary>
public static class SignIn
{
    public const string Password = DemoData.Password;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<HttpClient, CookieContainer> Jars = [];

    /// <summary>A client without a session (no redirects followed, cookies kept, API writes with the session's token once signed in).</summary>
    public static HttpClient Anonymous(WebApplicationFactory<Program> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var cookies = new CookieContainerHandler();
#pragma warning disable CA2000 // the client owns and disposes its handlers
        var client = factory.CreateDefaultClient(factory.ClientOptions.BaseAddress, new ApiTokenHandler(cookies.Container), cookies);
#pragma warning restore CA2000
        Jars.Add(client, cookies.Container);
        return client;
    }

    /// <summary>The cookies a client of <see cref="Anonymous"/> or <see cref="AsAsync"/> holds (e.g. to copy its session cookie).</summary>
    public static CookieContainer CookiesOf(HttpClient client) =>
        Jars.TryGetValue(client, out var jar) ? jar : throw new InvalidOperationException("not a client of SignIn");

    /// <summary>A client signed in as <paramref name="userName"/>: GET the login page for the token, POST the form, expect the redirect home.</summary>
    public static async Task<HttpClient> AsAsync(WebApplicationFactory<Program> factory, string userName, string password = Password) =>
        await SignedInAsync(Anonymous(factory), userName, password);

    /// <summary>Signed in, but API writes carry no antiforgery token: for tests of what the API refuses without it.</summary>
    public static async Task<HttpClient> WithoutApiTokenAsync(WebApplicationFactory<Program> factory, string userName, string password = Password)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return await SignedInAsync(factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true }), userName, password);
    }

    private static async Task<HttpClient> SignedInAsync(HttpClient client, string userName, string password)
    {
        using var response = await PageForms.PostAsync(client, "/Account/Login", "/Account/Login", new Dictionary<string, string>
        {
            ["UserName"] = userName,
            ["Password"] = password,
        });
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            var page = await response.TextAsync();
            client.Dispose();
            throw new InvalidOperationException($"sign-in as {userName} failed: {(int)response.StatusCode} {Html.Error(page)}");
        }

        return client;
    }
}
