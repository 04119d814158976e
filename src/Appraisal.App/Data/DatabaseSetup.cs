using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Appraisal.App.Data;

/// <summary>Chooses the database provider from configuration: SQLite by default, PostgreSQL when asked.</summary>
public static class DatabaseSetup
{
    /// <summary>
    /// <c>Database:Provider</c> = <c>Sqlite</c> (default, <c>ConnectionStrings:Sqlite</c>, a file) or
    /// <c>Postgres</c> (<c>ConnectionStrings:Postgres</c>).
    /// </summary>
    public static IServiceCollection AddAppDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var provider = configuration["Database:Provider"] ?? "Sqlite";

        // The crash tests' fault-injection hook, only when configured (docs/reliability.md).
        var hooks = PauseAfterCommand.From(configuration) is { } pause ? new IInterceptor[] { pause } : [];
        if (string.Equals(provider, "Postgres", StringComparison.OrdinalIgnoreCase))
        {
            var cs = configuration.GetConnectionString("Postgres")
                ?? throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Postgres is not set.");
            services.AddDbContext<AppDbContext, PostgresAppDbContext>(o => o.UseNpgsql(cs).AddInterceptors(hooks));
        }
        else if (string.Equals(provider, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            var cs = configuration.GetConnectionString("Sqlite") ?? "Data Source=appraisal.db";
            services.AddDbContext<AppDbContext, SqliteAppDbContext>(o => o.UseSqlite(cs).AddInterceptors(hooks));
        }
        else
        {
            // A mistyped provider must not quietly open (or create) a SQLite file instead of the company's database.
            throw new InvalidOperationException($"Database:Provider is \"{provider}\": expected Sqlite or Postgres.");
        }

        return services;
    }
}
