using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Security;

/// <summary>
/// The documented start is safe (issue 7 §3): started as Production without being told about demo data, the
/// application creates no demo accounts and shows no banner, and `dotnet run` is not Development; with demo data the start
/// and sign-in pages say so loudly.
/// </summary>
public sealed class ProductionDefaultsTests(ProductionDefaultsTests.PlainProduction app) : IClassFixture<ProductionDefaultsTests.PlainProduction>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_production_start_creates_no_demo_accounts_unless_asked()
    {
        Assert.Equal(["admin"], await app.DbAsync(db => db.Users.Select(u => u.UserName!).ToListAsync(Ct)));
        Assert.Equal(0, await app.DbAsync(db => db.People.CountAsync(Ct)));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => SignIn.AsAsync(app, "gm"));
    }

    [Fact]
    public async Task Without_demo_data_there_is_no_banner()
    {
        using var anonymous = SignIn.Anonymous(app);
        var login = await (await anonymous.GetAsync("/Account/Login", Ct)).TextAsync();
        Assert.DoesNotContain("demo-banner", login, StringComparison.Ordinal);
    }

    [Fact]
    public void Dotnet_run_starts_without_the_development_environment()
    {
        // `dotnet run` takes the first profile of launchSettings.json: it must not turn on the developer exception page.
        var path = Path.Combine(AppFactory.RepositoryRoot(), "src", "Appraisal.Web", "Properties", "launchSettings.json");
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(path));
        var first = doc.RootElement.GetProperty("profiles").EnumerateObject().First().Value;
        var environment = first.TryGetProperty("environmentVariables", out var variables) && variables.TryGetProperty("ASPNETCORE_ENVIRONMENT", out var value)
            ? value.GetString()
            : null;
        Assert.NotEqual("Development", environment);
    }

    /// <summary>ASPNETCORE_ENVIRONMENT=Production and no Demo:Enabled anywhere but appsettings.json.</summary>
    public sealed class PlainProduction : AppFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            ArgumentNullException.ThrowIfNull(builder);
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Production");
            builder.UseSetting("Demo:Enabled", null);
            builder.UseSetting("Admin:Password", "Prod2026admin");
        }
    }
}

/// <summary>With demo data on, the start page and the sign-in page carry a banner saying so (issue 7 §3).</summary>
public sealed class DemoBannerTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_sign_in_and_start_pages_say_that_demo_data_is_on()
    {
        using var anonymous = SignIn.Anonymous(app);
        AssertBanner(await (await anonymous.GetAsync("/Account/Login", Ct)).TextAsync());
        using var gm = await app.SignInAsync("gm");
        AssertBanner(await gm.PageAsync("/"));
    }

    private static void AssertBanner(string html)
    {
        Assert.Contains("id=\"demo-banner\"", html, StringComparison.Ordinal);
        Assert.Contains("演示数据已开启", html, StringComparison.Ordinal);
    }
}
