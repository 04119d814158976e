using System.Globalization;
using System.Net;
using Appraisal.App.Data;
using Appraisal.App.People;
using Appraisal.Web.Pages.Account;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Hostile;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Web.Tests.Security;

/// <summary>
/// Sessions end when they should (issue 7 §3), for the administrator's lock-out and for HR's changes of a person:
/// a cookie copied before is refused at the next request (401 on the API, the sign-in page on pages), and sign-in
/// afterwards, where it is no longer allowed, gets the one message of a wrong password.
/// </summary>
public sealed class AccountSessionTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_lock_out_asks_once_then_ends_every_session_and_sign_in_is_refused_like_a_wrong_password()
    {
        using var agent = await SignIn.AsAsync(app, "agent08");
        var copy = SessionCookie.Of(app, agent);
        await SessionCookie.AssertAcceptedAsync(app, copy);
        var (userId, version) = await AccountAsync("agent08");

        using var admin = await SignIn.AsAsync(app, "admin");
        var fields = new Dictionary<string, string> { ["userId"] = userId, ["version"] = version };

        // The first press only asks: nothing changes, the session still works.
        using (var ask = await PageForms.PostAsync(admin, "/People/Accounts", "/People/Accounts?handler=Lock", fields))
        {
            Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
            var page = await ask.TextAsync();
            Assert.Contains("停用账户 agent08？", page, StringComparison.Ordinal);
            Assert.Contains("name=\"confirmed\" value=\"true\"", page, StringComparison.Ordinal);
        }

        Assert.Equal(version, (await AccountAsync("agent08")).Version);
        await SessionCookie.AssertAcceptedAsync(app, copy);

        fields["confirmed"] = "true";
        using (var locked = await PageForms.PostAsync(admin, "/People/Accounts", "/People/Accounts?handler=Lock", fields))
        {
            Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);
        }

        await SessionCookie.AssertRefusedAsync(app, copy);
        Assert.Equal(LoginModel.Failure, await FailedSignInAsync("agent08", SignIn.Password));
        Assert.Equal(await FailedSignInAsync("agent08", "not-the-password"), await FailedSignInAsync("agent08", SignIn.Password));
        var entry = await app.DbAsync(db => db.Audit.AsNoTracking().SingleAsync(a => a.Action == "account.lock" && a.Detail == "agent08", Ct));
        Assert.Equal("admin", entry.User);
        Assert.Contains("已停用", await (await admin.GetAsync("/People/Accounts", Ct)).TextAsync(), StringComparison.Ordinal);

        // Unlocked, the account signs in again.
        using (var unlock = await PageForms.PostAsync(admin, "/People/Accounts", "/People/Accounts?handler=Unlock", new Dictionary<string, string> { ["userId"] = userId }))
        {
            Assert.Equal(HttpStatusCode.Redirect, unlock.StatusCode);
        }

        using var back = await SignIn.AsAsync(app, "agent08");
        Assert.Equal(HttpStatusCode.OK, (await back.GetAsync("/", Ct)).StatusCode);
    }

    [Fact]
    public async Task A_lock_out_of_an_account_changed_meanwhile_or_of_oneself_is_refused_and_changes_nothing()
    {
        using var admin = await SignIn.AsAsync(app, "admin");
        using var hr = await SignIn.AsAsync(app, "hr");
        var (userId, version) = await AccountAsync("agent09");
        var (adminId, adminVersion) = await AccountAsync("admin");
        var before = await DatabaseSnapshot.TakeAsync(app);

        using (var stale = await PageForms.PostAsync(admin, "/People/Accounts", "/People/Accounts?handler=Lock",
            new Dictionary<string, string> { ["userId"] = userId, ["version"] = "an-old-version", ["confirmed"] = "true" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
            Assert.Contains("该记录已被他人修改", Html.Error(await stale.TextAsync()), StringComparison.Ordinal);
        }

        using (var self = await PageForms.PostAsync(admin, "/People/Accounts", "/People/Accounts?handler=Lock",
            new Dictionary<string, string> { ["userId"] = adminId, ["version"] = adminVersion, ["confirmed"] = "true" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
            Assert.Contains("不能停用自己的账户", Html.Error(await self.TextAsync()), StringComparison.Ordinal);
        }

        // Nobody but the administrator may lock anyone out.
        using (var forbidden = await PageForms.PostAsync(hr, "/", "/People/Accounts?handler=Lock",
            new Dictionary<string, string> { ["userId"] = userId, ["version"] = version, ["confirmed"] = "true" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        Assert.Empty(DatabaseSnapshot.Differences(before, await DatabaseSnapshot.TakeAsync(app)));
    }

    [Fact]
    public async Task The_last_administrator_who_can_sign_in_cannot_be_locked_out()
    {
        // An administrator acting from outside the accounts (a batch job's actor), with "admin" the one administrator account.
        var outsider = new Actor("it-batch", null, new HashSet<string>([Roles.Admin]));
        var (adminId, adminVersion) = await AccountAsync("admin");
        var refused = await Assert.ThrowsAsync<UserError>(() => app.WithServiceAsync<ManageAccounts, string>(a => a.LockAsync(outsider, adminId, adminVersion, Ct)));
        Assert.Equal(409, refused.Status);
        Assert.Contains("最后一个", refused.Zh, StringComparison.Ordinal);

        // With a second administrator who can sign in, either may be locked out by the other.
        await using (var scope = app.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var second = new AppUser { UserName = "admin2" };
            DatabaseStart.Check(await users.CreateAsync(second, "Second2026admin"));
            DatabaseStart.Check(await users.AddToRoleAsync(second, Roles.Admin));
        }

        var (secondId, secondVersion) = await AccountAsync("admin2");
        using var admin = await SignIn.AsAsync(app, "admin");
        using (var locked = await PageForms.PostAsync(admin, "/People/Accounts", "/People/Accounts?handler=Lock",
            new Dictionary<string, string> { ["userId"] = secondId, ["version"] = secondVersion, ["confirmed"] = "true" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, locked.StatusCode);
        }

        // admin2 is locked out now: "admin" is the last one again.
        (adminId, adminVersion) = await AccountAsync("admin");
        refused = await Assert.ThrowsAsync<UserError>(() => app.WithServiceAsync<ManageAccounts, string>(a => a.LockAsync(outsider, adminId, adminVersion, Ct)));
        Assert.Equal(409, refused.Status);
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => SignIn.AsAsync(app, "admin2", "Second2026admin"));
    }

    [Fact]
    public async Task A_supervisor_demoted_to_agent_loses_the_supervisor_pages_at_once()
    {
        var demo = await Demo.LoadAsync(app);
        using var sup = await SignIn.AsAsync(app, "sup2");
        var copy = SessionCookie.Of(app, sup);
        Assert.Equal(HttpStatusCode.OK, (await SessionCookie.ReplayAsync(app, copy, $"/Months/Team?month={demo.Current}")).StatusCode);

        using var hr = await SignIn.AsAsync(app, "hr");
        await SavePersonAsync(hr, "S002", form => form["Role"] = Roles.Agent);

        await SessionCookie.AssertRefusedAsync(app, copy);
        using var again = await SignIn.AsAsync(app, "sup2");
        using (var team = await again.GetAsync($"/Months/Team?month={demo.Current}", Ct))
        {
            Assert.True(await Browser.IsRefusedAsync(again, team), $"a demoted supervisor got {(int)team.StatusCode} on the team page");
        }

        Assert.Equal([Roles.Agent], await RolesOfAsync("sup2"));
        var entry = await app.DbAsync(db => db.Audit.AsNoTracking().SingleAsync(a => a.Action == "account.follow-person" && a.Detail == "sup2", Ct));
        Assert.Contains(Roles.Supervisor, entry.Changes, StringComparison.Ordinal);
    }

    /// <summary>The leaving date is the last working day: the account signs in on it and not from the next day.</summary>
    [Theory]
    [InlineData("agent10", -1, true, false)]
    [InlineData("agent11", 0, true, true)]
    [InlineData("agent12", null, false, false)]
    [InlineData("agent07", 30, true, true)]
    public async Task A_person_who_left_or_is_inactive_cannot_use_an_old_cookie_nor_sign_in(string user, int? leftInDays, bool active, bool maySignIn)
    {
        using var agent = await SignIn.AsAsync(app, user);
        var copy = SessionCookie.Of(app, agent);
        await SessionCookie.AssertAcceptedAsync(app, copy);

        using var hr = await SignIn.AsAsync(app, "hr");
        var employeeNo = "E0" + user[^2..];
        await SavePersonAsync(hr, employeeNo, form =>
        {
            form["LeaveDate"] = leftInDays is { } days ? app.Today.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : string.Empty;
            form["Active"] = active ? "true" : "false";
        });
        Assert.Equal(active, await app.DbAsync(db => db.People.Where(p => p.EmployeeNo == employeeNo).Select(p => p.Active).SingleAsync(Ct)));

        // Every change of the person's status ends the sessions; signing in again is the rule's answer.
        await SessionCookie.AssertRefusedAsync(app, copy);
        if (maySignIn)
        {
            using var back = await SignIn.AsAsync(app, user);
            Assert.Equal(HttpStatusCode.OK, (await back.GetAsync("/", Ct)).StatusCode);
        }
        else
        {
            Assert.Equal(LoginModel.Failure, await FailedSignInAsync(user, SignIn.Password));
        }
    }

    [Fact]
    public async Task A_role_changed_by_the_people_import_reaches_the_account_and_ends_its_sessions()
    {
        using var agent = await SignIn.AsAsync(app, "agent06");
        var copy = SessionCookie.Of(app, agent);
        var person = await app.DbAsync(db => db.People.AsNoTracking().SingleAsync(p => p.EmployeeNo == "E006", Ct));
        using var hr = await SignIn.AsAsync(app, "hr");
        var text = "工号\t姓名\t角色\t入职日期\nE006\t" + person.Name + "\t部门主管\t" + person.HireDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "\n";
        var preview = (await hr.SendAsync("POST", "/api/imports/people/paste", new { text })).AssertOk();
        Assert.Equal(1, (await hr.SendAsync("POST", $"/api/imports/confirm/{preview.GetProperty("token").GetString()}")).AssertOk().GetProperty("changed").GetInt32());

        Assert.Equal([Roles.Supervisor], await RolesOfAsync("agent06"));
        await SessionCookie.AssertRefusedAsync(app, copy);
        var entry = await app.DbAsync(db => db.Audit.AsNoTracking().SingleAsync(a => a.Action == "account.follow-person" && a.Detail!.StartsWith("agent06 ("), Ct));
        Assert.Equal(person.Id, entry.PersonId);
        Assert.Contains("import", entry.Detail, StringComparison.Ordinal);
    }

    private Task<(string Id, string Version)> AccountAsync(string userName) =>
        app.DbAsync(async db => await db.Users.AsNoTracking().Where(u => u.UserName == userName).Select(u => new ValueTuple<string, string>(u.Id, u.ConcurrencyStamp!)).SingleAsync(Ct));

    private Task<List<string>> RolesOfAsync(string userName) =>
        app.DbAsync(db => (from u in db.Users
                           join ur in db.UserRoles on u.Id equals ur.UserId
                           join r in db.Roles on ur.RoleId equals r.Id
                           where u.UserName == userName
                           select r.Name!).ToListAsync(Ct));

    /// <summary>The sign-in page's message for a failed attempt (the page is shown again, not a redirect).</summary>
    private async Task<string?> FailedSignInAsync(string user, string password)
    {
        using var client = SignIn.Anonymous(app);
        using var response = await PageForms.PostAsync(client, "/Account/Login", "/Account/Login", new Dictionary<string, string> { ["UserName"] = user, ["Password"] = password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Html.Error(await response.TextAsync());
    }

    /// <summary>HR saves the person on the edit page as it shows them, with <paramref name="change"/> applied to the form.</summary>
    private async Task SavePersonAsync(HttpClient hr, string employeeNo, Action<Dictionary<string, string>> change)
    {
        var p = await app.DbAsync(db => db.People.AsNoTracking().SingleAsync(x => x.EmployeeNo == employeeNo, Ct));
        var form = new Dictionary<string, string>
        {
            ["EmployeeNo"] = p.EmployeeNo,
            ["Name"] = p.Name,
            ["Role"] = p.Role,
            ["TeamId"] = p.TeamId?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            ["HireDate"] = p.HireDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["LeaveDate"] = p.LeaveDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? string.Empty,
            ["Active"] = p.Active ? "true" : "false",
            ["Version"] = p.Version.ToString(CultureInfo.InvariantCulture),
        };
        change(form);
        var page = $"/People/Edit?id={p.Id}";
        using var saved = await PageForms.PostAsync(hr, page, page, form);
        Assert.True(saved.StatusCode == HttpStatusCode.Redirect, $"{(int)saved.StatusCode} {Html.Error(await saved.TextAsync())}");
    }
}

/// <summary>A session cookie copied out of a signed-in client and replayed by a client that keeps no cookies of its own.</summary>
public static class SessionCookie
{
    /// <summary>The session cookie of <paramref name="signedIn"/> as a Cookie header value.</summary>
    public static string Of(WebApplicationFactory<Program> app, HttpClient signedIn)
    {
        ArgumentNullException.ThrowIfNull(app);
        var value = SignIn.CookiesOf(signedIn).GetCookies(app.ClientOptions.BaseAddress)["appraisal.auth"]?.Value;
        Assert.False(string.IsNullOrEmpty(value));
        return $"appraisal.auth={value}";
    }

    public static async Task<HttpResponseMessage> ReplayAsync(WebApplicationFactory<Program> app, string cookie, string url)
    {
        ArgumentNullException.ThrowIfNull(app);
        using var bare = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Add("Cookie", cookie);
        return await bare.SendAsync(request, TestContext.Current.CancellationToken);
    }

    public static async Task AssertAcceptedAsync(WebApplicationFactory<Program> app, string cookie)
    {
        using var api = await ReplayAsync(app, cookie, "/api/months");
        Assert.Equal(HttpStatusCode.OK, api.StatusCode);
        using var page = await ReplayAsync(app, cookie, "/Months");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
    }

    /// <summary>401 on the API, the sign-in page on pages.</summary>
    public static async Task AssertRefusedAsync(WebApplicationFactory<Program> app, string cookie)
    {
        using var api = await ReplayAsync(app, cookie, "/api/months");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        using var page = await ReplayAsync(app, cookie, "/Months");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/Account/Login", Browser.PathOf(page.Headers.Location!), StringComparison.Ordinal);
    }
}
