using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Appraisal.Bench;
using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Appraisal.Web.Tests.Reliability;

/// <summary>
/// A fresh database for the process tests, on the provider of this run (<see cref="AppFactory.OnPostgres"/>):
/// a SQLite file in temp or a new PostgreSQL database. Gives the configuration that points the application
/// at it, seeds a company in process (bench/Shared/BenchCompany.cs), opens plain connections for checks,
/// and reads every table for comparisons.
/// </summary>
public sealed class ProcessDatabase : IAsyncDisposable
{
    public const string Password = "Reliable2026";

    private readonly string name = $"appraisal_rel_{Guid.NewGuid():N}";

    public ProcessDatabase(string? suffix = null)
    {
        name += suffix;
        SqliteFile = Path.Combine(Path.GetTempPath(), name + ".db");
    }

    public string SqliteFile { get; }

    public string PostgresDatabase => name;

    /// <summary>The application's configuration for this database: Production, no demo, the administrator's password.</summary>
    public Dictionary<string, string> Settings() => AppFactory.OnPostgres
        ? new()
        {
            ["Database:Provider"] = "Postgres",
            ["ConnectionStrings:Postgres"] = ConnectionString,
            ["Demo:Enabled"] = "false",
            ["Admin:Password"] = Password,
        }
        : new()
        {
            ["Database:Provider"] = "Sqlite",
            ["ConnectionStrings:Sqlite"] = ConnectionString,
            ["Demo:Enabled"] = "false",
            ["Admin:Password"] = Password,
        };

    public string ConnectionString => AppFactory.OnPostgres
        ? $"{PostgresServer};Database={name}"
        : $"Data Source={SqliteFile}";

    private static string PostgresServer => Environment.GetEnvironmentVariable("APPRAISAL_TEST_POSTGRES")
        ?? throw new InvalidOperationException("APPRAISAL_TEST_DB=postgres needs APPRAISAL_TEST_POSTGRES (a connection string without a database).");

    /// <summary>
    /// Migrates and seeds in this process, as the application would: the administrator, HR ("hr"), a general
    /// manager ("gm"), <paramref name="agents"/> agents in teams of 100 with <paramref name="month"/> open and
    /// fully entered (BenchCompany); with <paramref name="compute"/> the month is computed too.
    /// </summary>
    public Task SeedAsync(YearMonth month, int agents, bool compute) => InProcessAsync(async services =>
    {
        await BenchCompany.SeedAsync(services, month, agents, Password);
        await using (var scope = services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var person = new Person { EmployeeNo = "M001", Name = "总经理", Role = Roles.GeneralManager, HireDate = month.FirstDay.AddYears(-1) };
            db.People.Add(person);
            await db.SaveChangesAsync();
            var gm = new AppUser { UserName = "gm", PersonId = person.Id };
            DatabaseStart.Check(await users.CreateAsync(gm, Password));
            DatabaseStart.Check(await users.AddToRoleAsync(gm, Roles.GeneralManager));
        }

        if (compute)
        {
            await BenchCompany.ComputeAsync(services, month);
        }

        return true;
    });

    /// <summary>
    /// Runs <paramref name="work"/> on the application's services in this process (migrated first, not serving),
    /// as the application would: to seed the database or to check it after the process has run.
    /// </summary>
    public async Task<T> InProcessAsync<T>(Func<IServiceProvider, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var settings = Settings().Select(s => $"--{s.Key}={s.Value}");
        var app = AppHost.Build(["--applicationName=Appraisal.Web", "--environment=Production", "--Logging:LogLevel:Default=Warning", .. settings]);
        try
        {
            await AppHost.PrepareAsync(app);
            return await work(app.Services);
        }
        finally
        {
            await app.DisposeAsync();
            SqliteConnection.ClearAllPools();
            NpgsqlConnection.ClearAllPools();
        }
    }

    /// <summary>A plain connection (no pooling, so that nothing of the test keeps the file or session).</summary>
    public async Task<DbConnection> OpenAsync()
    {
        DbConnection connection = AppFactory.OnPostgres
            ? new NpgsqlConnection(ConnectionString + ";Pooling=false")
            : new SqliteConnection(ConnectionString + ";Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await OpenAsync();
        return await ScalarAsync<T>(connection, sql);
    }

    public static async Task<T> ScalarAsync<T>(DbConnection connection, string sql)
    {
        ArgumentNullException.ThrowIfNull(connection);
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The tests' own fixed SQL.
        command.CommandText = sql;
#pragma warning restore CA2100
        var value = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(value!, typeof(T), CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The tests' own fixed SQL.
        command.CommandText = sql;
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Rows of a query as text lines (values separated by |), in the query's order.</summary>
    public async Task<List<string>> RowsAsync(string sql)
    {
        await using var connection = await OpenAsync();
        return await RowsAsync(connection, sql);
    }

    private static async Task<List<string>> RowsAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // The tests' own SQL; table names from the catalogue.
        command.CommandText = sql;
#pragma warning restore CA2100
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        var values = new object[reader.FieldCount];
        while (await reader.ReadAsync())
        {
            reader.GetValues(values);
            rows.Add(string.Join('|', values.Select(v => v switch
            {
                DBNull => "∅",
                byte[] bytes => Convert.ToBase64String(bytes),
                DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                _ => v.ToString(),
            })));
        }

        return rows;
    }

    /// <summary>"SQLite's own check": PRAGMA integrity_check (ok on PostgreSQL, which has no such check).</summary>
    public async Task<string> IntegrityAsync() =>
        AppFactory.OnPostgres ? "ok" : string.Join("; ", await RowsAsync("PRAGMA integrity_check;"));

    /// <summary>Every table's row count and a hash of its rows (sorted), read in one transaction.</summary>
    public async Task<SortedDictionary<string, (long Rows, string Hash)>> TablesAsync()
    {
        await using var connection = await OpenAsync();
        // One snapshot: repeatable read on PostgreSQL, a deferred (read) transaction on SQLite.
        await using var transaction = connection is SqliteConnection sqlite
            ? sqlite.BeginTransaction(System.Data.IsolationLevel.Serializable, deferred: true)
            : await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead);
        var names = await RowsAsync(connection, AppFactory.OnPostgres
            ? "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
            : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
        var tables = new SortedDictionary<string, (long, string)>(StringComparer.Ordinal);
        foreach (var table in names)
        {
            var rows = await RowsAsync(connection, $"SELECT * FROM \"{table}\"");
            rows.Sort(StringComparer.Ordinal);
            tables[table] = (rows.Count, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', rows)))));
        }

        return tables;
    }

    public async ValueTask DisposeAsync()
    {
        if (AppFactory.OnPostgres)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(PostgresServer + ";Database=postgres;Pooling=false");
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
            return;
        }

        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm", ".start-lock" })
        {
            File.Delete(SqliteFile + suffix);
        }
    }
}
