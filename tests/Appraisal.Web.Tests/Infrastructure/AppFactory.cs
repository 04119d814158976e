using Appraisal.Web.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Web.Tests.Infrastructure;

/// <summary>
/// The web application over its own temporary SQLite file with the demo company (gm, hr, sup1, sup2,
/// agent01..agent12; three confirmed months and the current one open). One per test class: classes run
/// in parallel and each gets its own database.
/// </summary>
public sealed class AppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string path = Path.Combine(Path.GetTempPath(), $"appraisal-test-{Guid.NewGuid():N}.db");

    public string ConnectionString => $"Data Source={path}";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.UseSetting("Database:Provider", "Sqlite");
        builder.UseSetting("ConnectionStrings:Sqlite", ConnectionString);
        builder.UseSetting("Demo:Enabled", "true");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }

    /// <summary>Creates the database and the demo company, as the program does before it serves requests.</summary>
    public async ValueTask InitializeAsync()
    {
        using var scope = Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseStart>().RunAsync();
    }

    /// <summary>Runs <paramref name="work"/> with a fresh scope's database context (for setup and checks the API does not offer).</summary>
    public async Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var scope = Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    /// <summary>Resolves a scoped service in a fresh scope.</summary>
    public async Task<T> WithServiceAsync<TService, T>(Func<TService, Task<T>> work)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(work);
        using var scope = Services.CreateScope();
        return await work(scope.ServiceProvider.GetRequiredService<TService>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var file in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(file);
        }
    }
}
