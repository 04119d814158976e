using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Appraisal.Web.Tests.Infrastructure;

/// <summary>
/// The web application in memory over its own database with the demo company, one per test class:
/// a SQLite file by default, or a fresh PostgreSQL database when <c>APPRAISAL_TEST_DB=postgres</c>
/// (server from <c>APPRAISAL_TEST_POSTGRES</c>; ./test.sh runs this suite once per provider)
/// (use as <c>IClassFixture&lt;AppFactory&gt;</c>). The demo builds its months around the company's
/// today: the month being appraised open (the one whose 第六条 window is now or next: last month until the 6th,
/// this month from the 7th; <c>demo.Current</c>) with everything entered except agent01's month, and the three
/// before it confirmed. Subclass and override <see cref="Clock"/> to pin the date.
/// </summary>
public class AppFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    private readonly string databasePath = Path.Combine(Path.GetTempPath(), $"appraisal-web-tests-{Guid.NewGuid():N}.db");
    private readonly string postgresDatabase = $"appraisal_test_{Guid.NewGuid():N}";

    /// <summary>True when this run is against PostgreSQL rather than SQLite.</summary>
    public static bool OnPostgres => string.Equals(Environment.GetEnvironmentVariable("APPRAISAL_TEST_DB"), "postgres", StringComparison.OrdinalIgnoreCase);

    private static string PostgresServer => Environment.GetEnvironmentVariable("APPRAISAL_TEST_POSTGRES")
        ?? throw new InvalidOperationException("APPRAISAL_TEST_DB=postgres needs APPRAISAL_TEST_POSTGRES (a connection string without a database).");

    /// <summary>The clock of the application; null keeps the system clock.</summary>
    protected virtual TimeProvider? Clock => null;

    /// <summary>Creates the schema, roles, policy and demo company (Program's own start-up step is not run by the factory).</summary>
    public async ValueTask InitializeAsync()
    {
        using var scope = Services.CreateScope();
        await scope.ServiceProvider.GetRequiredService<DatabaseStart>().RunAsync(TestContext.Current.CancellationToken);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();

        if (OnPostgres)
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await using var connection = new Npgsql.NpgsqlConnection(PostgresServer + ";Database=postgres");
            await connection.OpenAsync();
            // A server process of another role (autovacuum, statistics) may still be attached for a moment,
            // which FORCE may not end for us: retry briefly, then leave the database to the throwaway server
            // rather than fail the tests over their own cleanup.
            for (var attempt = 1; attempt <= 10; attempt++)
            {
                try
                {
                    await using var drop = new Npgsql.NpgsqlCommand($"DROP DATABASE IF EXISTS \"{postgresDatabase}\" WITH (FORCE)", connection);
                    await drop.ExecuteNonQueryAsync();
                    break;
                }
                catch (Npgsql.PostgresException e) when (e.SqlState is "42501" or "55006")
                {
                    await Task.Delay(500);
                }
            }

            GC.SuppressFinalize(this);
            return;
        }

        // Pooled connections keep the file open; the file must go so that temp does not fill up.
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm" })
        {
            File.Delete(databasePath + suffix);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>A <see cref="Browser"/> signed in as <paramref name="userName"/> (demo password).</summary>
    public Task<Browser> SignInAsync(string userName) => Browser.SignInAsync(this, userName, DemoData.Password);

    /// <summary>A service scope of the application, e.g. to use its DbContext directly.</summary>
    public AsyncServiceScope CreateScope() => Services.CreateAsyncScope();

    /// <summary>Reads or changes the database directly, in its own scope.</summary>
    public async Task<T> DbAsync<T>(Func<AppDbContext, Task<T>> work)
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

    /// <summary>The repository's root (where Appraisal.slnx is), for the shared samples.</summary>
    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Appraisal.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Appraisal.slnx not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The company's today (China time), as the application sees it.</summary>
    public DateOnly Today
    {
        get
        {
            using var scope = Services.CreateScope();
            return scope.ServiceProvider.GetRequiredService<CompanyClock>().Today;
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Development");
        if (OnPostgres)
        {
            builder.UseSetting("Database:Provider", "Postgres");
            builder.UseSetting("ConnectionStrings:Postgres", $"{PostgresServer};Database={postgresDatabase}");
        }
        else
        {
            builder.UseSetting("Database:Provider", "Sqlite");
            builder.UseSetting("ConnectionStrings:Sqlite", $"Data Source={databasePath}");
        }

        builder.UseSetting("Demo:Enabled", "true");

        // Every test signs in afresh from the same (test server) address: the per-address sign-in limit is for people.
        builder.UseSetting("SignIn:PerAddressPerMinute", "100000");
        builder.ConfigureTestServices(services =>
        {
            if (Clock is { } clock)
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(clock);
            }
        });
    }
}

/// <summary>A clock standing still at one instant, for tests that need a fixed date.</summary>
public sealed class FixedTimeProvider(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;

    public override DateTimeOffset GetUtcNow() => Now.ToUniversalTime();
}
