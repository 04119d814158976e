using System.Net;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Web.Tests.Security;

/// <summary>
/// Sessions end when they should (issue 7 §3): a copy of the sign-in cookie taken before a sign-out, an
/// administrator's password reset or a lock is refused afterwards — 401 on the API, the sign-in page on pages.
/// </summary>
public sealed class SessionTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_cookie_copied_before_sign_out_is_refused_after_it()
    {
        using var browser = await app.SignInAsync("agent02");
        var copy = CopiedCookie(browser.Client);
        await AssertAcceptedAsync(copy);

        using (var signOut = await browser.PostAsync("/Account/Logout"))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }

        await AssertRefusedAsync(copy);
    }

    [Fact]
    public async Task A_password_reset_by_the_administrator_ends_the_sessions_of_the_account()
    {
        using var agent = await SignIn.AsAsync(app, "agent03");
        var copy = CopiedCookie(agent);
        await AssertAcceptedAsync(copy);

        using var admin = await app.SignInAsync("admin");
        await admin.PageAsync("/People/Accounts");
        var userId = await app.DbAsync(db => db.Users.Where(u => u.UserName == "agent03").Select(u => u.Id).SingleAsync(Ct));
        using (var reset = await admin.PostAsync("/People/Accounts?handler=Reset", ("userId", userId), ("password", "Reset2026pass")))
        {
            Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        }

        await AssertRefusedAsync(copy);
        using var home = await agent.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
    }

    [Fact]
    public async Task A_locked_account_loses_its_sessions_at_once()
    {
        using var agent = await SignIn.AsAsync(app, "agent04");
        var copy = CopiedCookie(agent);
        await AssertAcceptedAsync(copy);

        await using (var scope = app.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var user = await users.FindByNameAsync("agent04");
            await users.SetLockoutEndDateAsync(user!, DateTimeOffset.UtcNow.AddHours(1));
        }

        await AssertRefusedAsync(copy);
    }

    [Fact]
    public async Task Signing_out_one_account_leaves_the_others_signed_in()
    {
        using var other = await SignIn.AsAsync(app, "agent06");
        using var browser = await app.SignInAsync("agent07");
        using (await browser.PostAsync("/Account/Logout"))
        {
        }

        await AssertAcceptedAsync(CopiedCookie(other));
    }

    /// <summary>The session cookie as a header value, for a client that keeps no cookies of its own.</summary>
    private string CopiedCookie(HttpClient signedIn)
    {
        var value = SignIn.CookiesOf(signedIn).GetCookies(app.ClientOptions.BaseAddress)["appraisal.auth"]?.Value;
        Assert.False(string.IsNullOrEmpty(value));
        return $"appraisal.auth={value}";
    }

    private async Task<HttpResponseMessage> ReplayAsync(string cookie, string url)
    {
        using var bare = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookie);
        return await bare.SendAsync(request, Ct);
    }

    private async Task AssertAcceptedAsync(string cookie)
    {
        using var api = await ReplayAsync(cookie, "/api/months");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        using var page = await ReplayAsync(cookie, "/Months");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    private async Task AssertRefusedAsync(string cookie)
    {
        using var api = await ReplayAsync(cookie, "/api/months");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        using var page = await ReplayAsync(cookie, "/Months");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/Account/Login", Browser.PathOf(page.Headers.Location!), StringComparison.Ordinal);
    }
}
