using System.Net;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.People;

/// <summary>HR keeps the people list; the administrator manages sign-in accounts (issue: roles and accounts).</summary>
public sealed class AccountsTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("admin", HttpStatusCode.OK)]
    [InlineData("hr", HttpStatusCode.Forbidden)]
    [InlineData("gm", HttpStatusCode.Forbidden)]
    [InlineData("agent01", HttpStatusCode.Forbidden)]
    public async Task Only_the_administrator_sees_the_accounts(string user, HttpStatusCode expected)
    {
        using var client = await SignIn.AsAsync(app, user);
        using var response = await client.GetAsync("/People/Accounts", Ct);
        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task HR_adds_a_person_and_the_administrator_gives_them_an_account_they_can_sign_in_with()
    {
        using var hr = await SignIn.AsAsync(app, "hr");
        var teamId = await app.DbAsync(db => db.Teams.OrderBy(t => t.Id).Select(t => t.Id).FirstAsync(Ct));
        using (var saved = await PageForms.PostAsync(hr, "/People/Edit", "/People/Edit", new Dictionary<string, string>
        {
            ["EmployeeNo"] = "E100",
            ["Name"] = "钱新",
            ["Role"] = "Agent",
            ["TeamId"] = teamId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["HireDate"] = "2026-11-01",
            ["Active"] = "true",
        }))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        using var admin = await SignIn.AsAsync(app, "admin");
        using (var created = await PageForms.PostAsync(admin, "/People/Accounts", "/People/Accounts?handler=Create", new Dictionary<string, string>
        {
            ["employeeNo"] = "E100",
            ["userName"] = "agent100",
            ["password"] = "Newcomer2026",
        }))
        {
            Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        }

        using var newcomer = await SignIn.AsAsync(app, "agent100", "Newcomer2026");
        using var home = await newcomer.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("自评", await home.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplicate_employee_number_is_refused_and_nothing_is_saved()
    {
        using var hr = await SignIn.AsAsync(app, "hr");
        var before = await app.DbAsync(db => db.People.CountAsync(Ct));
        using var response = await PageForms.PostAsync(hr, "/People/Edit", "/People/Edit", new Dictionary<string, string>
        {
            ["EmployeeNo"] = "E001",
            ["Name"] = "重复",
            ["Role"] = "Agent",
            ["HireDate"] = "2026-11-01",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("工号 E001 已被使用", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(before, await app.DbAsync(db => db.People.CountAsync(Ct)));
    }

    [Fact]
    public async Task A_weak_password_is_refused_with_the_rule_and_no_account_is_made()
    {
        using var admin = await SignIn.AsAsync(app, "admin");
        var before = await app.DbAsync(db => db.Users.CountAsync(Ct));
        using var response = await PageForms.PostAsync(admin, "/People/Accounts", "/People/Accounts?handler=Create", new Dictionary<string, string>
        {
            ["employeeNo"] = "M001",
            ["userName"] = "gm2",
            ["password"] = "short",
        });

        Assert.NotEqual(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(before, await app.DbAsync(db => db.Users.CountAsync(Ct)));
    }

    [Fact]
    public async Task A_locked_account_is_unlocked_by_a_password_reset()
    {
        using (var wrong = SignIn.Anonymous(app))
        {
            for (var i = 0; i < 5; i++)
            {
                using var attempt = await PageForms.PostAsync(wrong, "/Account/Login", "/Account/Login", new Dictionary<string, string> { ["UserName"] = "agent05", ["Password"] = "wrong-password" });
            }
        }

        await Assert.ThrowsAnyAsync<Exception>(() => SignIn.AsAsync(app, "agent05"));
        using var admin = await SignIn.AsAsync(app, "admin");
        var userId = await app.DbAsync(db => db.Users.Where(u => u.UserName == "agent05").Select(u => u.Id).SingleAsync(Ct));
        using (var reset = await PageForms.PostAsync(admin, "/People/Accounts", "/People/Accounts?handler=Reset", new Dictionary<string, string> { ["userId"] = userId, ["password"] = "Reset2026pass" }))
        {
            Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        }

        using var back = await SignIn.AsAsync(app, "agent05", "Reset2026pass");
        using var home = await back.GetAsync("/", Ct);
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
    }
}
