using Appraisal.App.Data;
using Appraisal.App.People;
using Appraisal.Web.Tests.Hostile;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Web.Tests.Security;

/// <summary>
/// The documented start is safe (issue 7 §3): a start with demo data off over a database an earlier demo start made
/// does not silently serve the demo's accounts with their published password; it stops, naming the accounts and the
/// fix in both languages, and changes nothing. Once no account signs in with that password any more, it starts.
/// </summary>
public sealed class DemoLeftoverTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_start_without_demo_data_over_the_demo_accounts_is_refused_until_their_passwords_are_changed()
    {
        var before = await DatabaseSnapshot.TakeAsync(app);
        var refused = await Assert.ThrowsAsync<DemoAccountsLeftException>(StartWithoutDemoAsync);
        Assert.Equal([.. DemoData.UserNames.Append("admin").Order(StringComparer.Ordinal)], refused.Accounts.Order(StringComparer.Ordinal));
        Assert.Contains("演示数据未开启", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Demo data is off", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--Demo:Enabled=true", refused.Message, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings", refused.Message, StringComparison.Ordinal);
        Assert.Empty(DatabaseSnapshot.Differences(before, await DatabaseSnapshot.TakeAsync(app)));

        // The fix on the accounts page: every demo account locked out but two, whose passwords are reset.
        await using (var scope = app.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            foreach (var name in DemoData.UserNames.Where(n => n is not ("hr" or "gm")))
            {
                var user = await users.FindByNameAsync(name);
                DatabaseStart.Check(await users.SetLockoutEndDateAsync(user!, SignInRule.LockedForGood));
            }

            var hr = await users.FindByNameAsync("hr");
            DatabaseStart.Check(await users.ResetPasswordAsync(hr!, await users.GeneratePasswordResetTokenAsync(hr!), "Changed2026hr"));
        }

        // One account still opens with the published password: named alone.
        refused = await Assert.ThrowsAsync<DemoAccountsLeftException>(StartWithoutDemoAsync);
        Assert.Equal(["admin", "gm"], refused.Accounts.Order(StringComparer.Ordinal));

        await using (var scope = app.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            foreach (var name in new[] { "admin", "gm" })
            {
                var user = await users.FindByNameAsync(name);
                DatabaseStart.Check(await users.ResetPasswordAsync(user!, await users.GeneratePasswordResetTokenAsync(user!), "Changed2026" + name));
            }
        }

        await StartWithoutDemoAsync();
        Assert.True(await app.DbAsync(db => db.People.AnyAsync(Ct)), "the data stays");
    }

    /// <summary>The application's start step as Program runs it, with Demo:Enabled=false over this database.</summary>
    private async Task StartWithoutDemoAsync()
    {
        await using var scope = app.CreateScope();
        var configuration = new ConfigurationBuilder()
            .AddConfiguration(scope.ServiceProvider.GetRequiredService<IConfiguration>())
            .AddInMemoryCollection(new Dictionary<string, string?> { [DemoMode.Setting] = "false", ["Admin:Password"] = "Prod2026admin" })
            .Build();
        await ActivatorUtilities.CreateInstance<DatabaseStart>(scope.ServiceProvider, (IConfiguration)configuration).RunAsync(Ct);
    }
}
