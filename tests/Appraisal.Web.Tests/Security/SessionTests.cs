using System.Net;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
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

    private string CopiedCookie(HttpClient signedIn) => SessionCookie.Of(app, signedIn);

    private Task AssertAcceptedAsync(string cookie) => SessionCookie.AssertAcceptedAsync(app, cookie);

    private Task AssertRefusedAsync(string cookie) => SessionCookie.AssertRefusedAsync(app, cookie);
}
