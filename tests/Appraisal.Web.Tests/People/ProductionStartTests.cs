using System.Net;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.People;

/// <summary>The application started for real use: demo data off, only the administrator from configuration.</summary>
public sealed class ProductionStartTests(ProductionStartTests.ProductionFactory app) : IClassFixture<ProductionStartTests.ProductionFactory>
{
    public const string AdminPassword = "Prod2026admin";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Only_the_administrator_and_the_default_policy_are_created()
    {
        Assert.Equal(["admin"], await app.DbAsync(db => db.Users.Select(u => u.UserName!).ToListAsync(Ct)));
        Assert.Equal(0, await app.DbAsync(db => db.People.CountAsync(Ct)));
        Assert.Equal(0, await app.DbAsync(db => db.Months.CountAsync(Ct)));
        Assert.Equal(["seed-1"], await app.DbAsync(db => db.PolicyVersions.Select(p => p.VersionName).ToListAsync(Ct)));
    }

    [Fact]
    public async Task The_administrator_signs_in_with_the_configured_password()
    {
        using var admin = await SignIn.AsAsync(app, "admin", AdminPassword);
        using var page = await admin.GetAsync("/People/Accounts", Ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => SignIn.AsAsync(app, "admin", "Appraisal2026"));
    }

    public sealed class ProductionFactory : AppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseSetting("Demo:Enabled", "false");
            builder.UseSetting("Admin:Password", AdminPassword);
        }
    }
}
