using System.Net;
using System.Text.Json;
using Appraisal.App.Data;
using Appraisal.Web.Tests.Files;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Web.Tests.Security;

/// <summary>
/// <c>/health/live</c> and <c>/health/ready</c> (issue 10 §4), anonymous, on SQLite and PostgreSQL: ready is 200 with
/// every check healthy on a migrated database with the font, 503 naming the cause when the newest migration is not
/// applied or the PDF font is missing; live stays 200 through both. No cookie, no personal data, no-store.
/// </summary>
public sealed class HealthTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static readonly string[] Checks = ["database", "migrations", "pdf-font"];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_migrated_database_with_the_font_is_live_and_ready()
    {
        using var client = SignIn.Anonymous(app);
        var (status, live) = await GetAsync(client, "/health/live");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Healthy", live.GetProperty("status").GetString());

        var (readyStatus, ready) = await GetAsync(client, "/health/ready");
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
        var checks = ready.GetProperty("checks").EnumerateArray().ToList();
        Assert.Equal(Checks, checks.Select(c => c.GetProperty("name").GetString()));
        Assert.All(checks, c =>
        {
            Assert.Equal("Healthy", c.GetProperty("status").GetString());
            Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("description").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("zh").GetString()));
        });
    }

    [Fact]
    public async Task A_migration_not_applied_makes_ready_503_naming_it_while_live_stays_200()
    {
        await using var scope = app.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var migrations = db.Database.GetMigrations().ToList();
        var newest = migrations[^1];
        using var client = SignIn.Anonymous(app);

        // The database as the build before the newest migration left it (an upgrade whose migration has not run).
        await db.GetService<IMigrator>().MigrateAsync(migrations[^2], Ct);
        try
        {
            var (status, ready) = await GetAsync(client, "/health/ready");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
            Assert.Equal("Unhealthy", ready.GetProperty("status").GetString());
            var check = Check(ready, "migrations");
            Assert.Equal("Unhealthy", check.GetProperty("status").GetString());
            Assert.Contains(newest, check.GetProperty("description").GetString(), StringComparison.Ordinal);
            Assert.Contains("尚未执行", check.GetProperty("zh").GetString(), StringComparison.Ordinal);
            Assert.Equal("Healthy", Check(ready, "database").GetProperty("status").GetString());
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/live")).Status);
        }
        finally
        {
            await db.GetService<IMigrator>().MigrateAsync(cancellationToken: Ct);
        }

        Assert.Equal(HttpStatusCode.OK, (await GetAsync(client, "/health/ready")).Status);
    }

    [Fact]
    public async Task The_answers_are_not_stored_set_no_cookie_and_hold_no_personal_data()
    {
        using var client = SignIn.Anonymous(app);
        foreach (var path in new[] { "/health/live", "/health/ready" })
        {
            using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.True(response.Headers.CacheControl?.NoStore, path);
            Assert.False(response.Headers.Contains("Set-Cookie"), path);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.Content.ReadAsStringAsync(Ct);
            var names = await app.DbAsync(db => db.People.Select(p => p.Name).ToListAsync(Ct));
            Assert.DoesNotContain(names, n => body.Contains(n, StringComparison.Ordinal));
            Assert.DoesNotContain("Data Source", body, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("Password", body, StringComparison.OrdinalIgnoreCase);
        }
    }

    internal static async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), Ct);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        return (response.StatusCode, json.RootElement.Clone());
    }

    internal static JsonElement Check(JsonElement answer, string name) =>
        answer.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);
}

/// <summary>Without the Chinese font the PDFs cannot be made: ready is 503 naming the font, live stays 200.</summary>
public sealed class HealthWithoutFontTests(PrintWithoutFontTests.NoFontFactory app) : IClassFixture<PrintWithoutFontTests.NoFontFactory>
{
    [Fact]
    public async Task A_missing_font_makes_ready_503_naming_it_while_live_stays_200()
    {
        using var client = SignIn.Anonymous(app);
        var (status, ready) = await HealthTests.GetAsync(client, "/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", ready.GetProperty("status").GetString());
        var font = HealthTests.Check(ready, "pdf-font");
        Assert.Equal("Unhealthy", font.GetProperty("status").GetString());
        Assert.Contains("Pdf:FontFile", font.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Contains("中文 TrueType 字体", font.GetProperty("zh").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", HealthTests.Check(ready, "database").GetProperty("status").GetString());
        Assert.Equal("Healthy", HealthTests.Check(ready, "migrations").GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await HealthTests.GetAsync(client, "/health/live")).Status);
    }
}
