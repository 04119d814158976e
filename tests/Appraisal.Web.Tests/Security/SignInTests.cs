using System.Net;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Web.Tests.Security;

/// <summary>
/// Sign-in gives nothing away (issue 7 §3): one answer for an unknown user, a wrong password and a locked
/// account; failures lock out only the address they come from, so that a stranger cannot shut the general
/// manager out. (Timing is not tested here: every path checks one password hash, see LoginModel.)
/// </summary>
public sealed class SignInTests(ProxiedFactory app) : IClassFixture<ProxiedFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_unknown_user_a_wrong_password_and_a_locked_account_get_the_same_answer()
    {
        await using (var scope = app.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByNameAsync("agent09"))!, DateTimeOffset.UtcNow.AddHours(1));
        }

        using var client = app.From("198.51.100.1");
        var unknown = await AttemptAsync(client, "nobody-here", "Appraisal2026");
        var wrong = await AttemptAsync(client, "agent08", "wrong-password");
        var locked = await AttemptAsync(client, "agent09", SignIn.Password);

        Assert.Equal(HttpStatusCode.OK, unknown.Status);
        Assert.Equal((unknown.Status, unknown.Error), (wrong.Status, wrong.Error));
        Assert.Equal((unknown.Status, unknown.Error), (locked.Status, locked.Error));
        Assert.Contains("用户名或密码不正确", unknown.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stranger_guessing_at_the_general_manager_locks_only_himself_out()
    {
        using var stranger = app.From("203.0.113.66");
        for (var i = 0; i < 8; i++)
        {
            Assert.NotNull((await AttemptAsync(stranger, "gm", $"guess-{i}")).Error);
        }

        // The right password from the stranger's address is now refused, with the same answer as a wrong one ...
        var fromStranger = await AttemptAsync(stranger, "gm", SignIn.Password);
        Assert.Equal((await AttemptAsync(stranger, "gm", "guess-9")).Error, fromStranger.Error);

        // ... while the general manager, at her own computer, signs in as always.
        using var own = app.From("198.51.100.7");
        var ok = await AttemptAsync(own, "gm", SignIn.Password);
        Assert.Equal(HttpStatusCode.Redirect, ok.Status);
    }

    [Fact]
    public async Task Failures_below_the_limit_do_not_lock_and_a_success_starts_afresh()
    {
        using var client = app.From("198.51.100.20");
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < 4; i++)
            {
                await AttemptAsync(client, "agent10", "wrong-password");
            }

            Assert.Equal(HttpStatusCode.Redirect, (await AttemptAsync(client, "agent10", SignIn.Password)).Status);
        }
    }

    internal static async Task<(HttpStatusCode Status, string? Error)> AttemptAsync(HttpClient client, string user, string password)
    {
        using var response = await PageForms.PostAsync(client, "/Account/Login", "/Account/Login", new Dictionary<string, string>
        {
            ["UserName"] = user,
            ["Password"] = password,
        });
        return (response.StatusCode, Html.Error(await response.TextAsync()));
    }
}

/// <summary>A burst of sign-ins from one address is slowed with a clear "busy" answer, never a 500 (issue 7 §3).</summary>
public sealed class SignInBurstTests(SignInBurstTests.TightFactory app) : IClassFixture<SignInBurstTests.TightFactory>
{
    [Fact]
    public async Task A_burst_from_one_address_gets_429_with_retry_after_and_other_addresses_are_not_held_up()
    {
        using var burst = app.From("203.0.113.9");
        // One antiforgery cookie for the whole burst (parallel first visits would each set their own).
        using (await burst.GetAsync("/Account/Login", TestContext.Current.CancellationToken))
        {
        }

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
        {
            using var response = await PageForms.PostAsync(burst, "/Account/Login", "/Account/Login", new Dictionary<string, string>
            {
                ["UserName"] = "agent11",
                ["Password"] = $"guess-{i}",
            });
            return (response.StatusCode, RetryAfter: response.Headers.RetryAfter?.Delta, Body: await response.TextAsync());
        }));

        Assert.All(answers, a => Assert.True(a.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, $"{(int)a.StatusCode}"));
        Assert.Equal(3, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        var busy = answers.Where(a => a.StatusCode != HttpStatusCode.OK).ToList();
        Assert.Equal(5, busy.Count);
        Assert.All(busy, a =>
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode);
            Assert.True(a.RetryAfter > TimeSpan.Zero, "Retry-After");
            Assert.Contains("服务器繁忙", a.Body, StringComparison.Ordinal);
            Assert.Contains("try again", a.Body, StringComparison.Ordinal);
        });

        using var other = app.From("198.51.100.30");
        Assert.Equal(HttpStatusCode.Redirect, (await SignInTests.AttemptAsync(other, "agent12", SignIn.Password)).Status);
    }

    public sealed class TightFactory : ProxiedFactory
    {
        protected override int SignInsPerMinute => 3;
    }
}
