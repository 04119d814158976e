using Appraisal.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Web.Tests.Infrastructure;

/// <summary>
/// The web application in memory over its own temporary SQLite file, with the demo company (three
/// confirmed months and the current one open). One per test class (IClassFixture), so classes never
/// see each other's changes.
/// </summary>
public sealed class AppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "appraisal-web-tests", Guid.NewGuid().ToString("N"));

    public string DatabasePath => Path.Combine(directory, "appraisal.db");

    /// <summary>
    /// Program prepares the database before the host starts; running the idempotent preparation again here
    /// keeps the fixture independent of how Program starts and guarantees the demo company is there.
    /// </summary>
    public async ValueTask InitializeAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseStart>().RunAsync(TestContext.Current.CancellationToken);
    }

    public AsyncServiceScope CreateScope() => Services.CreateAsyncScope();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left in the temp folder; it does not affect other runs.
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        Directory.CreateDirectory(directory);
        var settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Sqlite"] = $"Data Source={DatabasePath}",
            ["Demo:Enabled"] = "true",
        };
        builder.UseEnvironment("Development");
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings));
    }
}
