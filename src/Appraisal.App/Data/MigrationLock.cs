using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Appraisal.App.Data;

/// <summary>
/// Applies the migrations without ever waiting silently on EF Core's migration lock (docs/reliability.md).
/// SQLite: EF keeps the lock as a row of <c>__EFMigrationsLock</c> and retries for ever while it is there,
/// so a process killed during a migration would block every later start. This application first takes an
/// operating-system lock on the file <c>{database}.start-lock</c> (released by the system when its process
/// dies); holding it, any row still in <c>__EFMigrationsLock</c> belongs to a process that is gone, and is
/// removed with a warning naming when it was taken. PostgreSQL: EF locks <c>__EFMigrationsHistory</c> inside
/// a transaction, which the server releases when the session ends; a session that is still alive and holds
/// it (a stuck process on another machine) is named in the log, waited for up to
/// <c>Database:MigrationLockWaitSeconds</c> (default 60), and then the start stops with the command that ends it.
/// Several instances starting together (issue 10 §3) start one after the other: see <see cref="RunAsync"/>.
/// </summary>
public static class MigrationLock
{
    /// <summary>The configuration key of the longest wait for another process's migration, in seconds.</summary>
    public const string WaitKey = "Database:MigrationLockWaitSeconds";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(500);

    /// <summary>The PostgreSQL advisory lock (one bigint) held by the instance that is starting (migrating and seeding).</summary>
    public const long StartLockKey = 0x41505052; // "APPR"

    /// <summary>
    /// Migrates, then runs <paramref name="start"/> (roles, administrator, seed policy, keys: <see cref="DatabaseStart"/>),
    /// with the whole start held by one instance at a time (issue 10 §3): on SQLite the start lock file, on PostgreSQL
    /// a session advisory lock (<see cref="StartLockKey"/>) on a connection of its own, released when it closes or its
    /// process dies. The others wait, up to <see cref="WaitKey"/>, and then find the database migrated and seeded.
    /// </summary>
    public static async Task RunAsync(AppDbContext db, IConfiguration configuration, ILogger log, Func<Task> start, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(start);
        var wait = TimeSpan.FromSeconds(configuration.GetValue(WaitKey, 60));
        if (db.Database.IsSqlite() && DatabaseFile(db) is { } file)
        {
            await using var startLock = await AcquireFileLockAsync(file + ".start-lock", wait, log, ct);
            await RemoveStaleSqliteLockAsync(db, startLock.Name, log, ct);
            await db.Database.MigrateAsync(ct);
            await start();
            return;
        }

        if (db.Database.IsNpgsql())
        {
            await CreatePostgresDatabaseAsync(db, ct);
            await using var startLock = await AcquireAdvisoryLockAsync(db.Database.GetConnectionString()!, wait, log, ct);
            await WaitForPostgresLockAsync(db, wait, log, ct);
            await db.Database.MigrateAsync(ct);
            await start();
            return;
        }

        await db.Database.MigrateAsync(ct);
        await start();
    }

    /// <summary>
    /// A database still to be created is created here, by one instance: instances starting together take turns on an
    /// advisory lock in the server's maintenance database <c>postgres</c> (where EF Core creates it from too), and the
    /// later ones find it made. Nothing is done when the database exists (the usual case: the operator made it).
    /// </summary>
    private static async Task CreatePostgresDatabaseAsync(AppDbContext db, CancellationToken ct)
    {
        if (await db.Database.CanConnectAsync(ct))
        {
            return;
        }

        var target = new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString());
        var server = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync(ct);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection))
        {
            take.Parameters.AddWithValue("key", StartLockKey);
            await take.ExecuteNonQueryAsync(ct);
        }

        await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", target.Database!);
        if (await exists.ExecuteScalarAsync(ct) is 0L)
        {
            await db.GetService<IRelationalDatabaseCreator>().CreateAsync(ct);
        }

        // Closing the session (not pooled) releases the lock.
    }

    private static async Task<NpgsqlConnection> AcquireAdvisoryLockAsync(string connectionString, TimeSpan wait, ILogger log, CancellationToken ct)
    {
        // Not pooled: the lock is the session's, and closing this connection must end the session.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(ct);
        var started = DateTime.UtcNow;
        var told = false;
        try
        {
            while (true)
            {
                await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", connection))
                {
                    take.Parameters.AddWithValue("key", StartLockKey);
                    if (await take.ExecuteScalarAsync(ct) is true)
                    {
                        return connection;
                    }
                }

                await using var holder = new NpgsqlCommand(
                    "SELECT coalesce(min(pid), 0) FROM pg_locks WHERE locktype = 'advisory' AND classid = 0 AND objid = @key AND granted", connection);
                holder.Parameters.AddWithValue("key", (long)StartLockKey);
                var pid = Convert.ToInt32(await holder.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
                if (DateTime.UtcNow - started >= wait)
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"另一个本应用实例（PostgreSQL 会话 {pid}）正在启动（迁移数据库）已超过 {wait.TotalSeconds:0} 秒：请等待它完成或停止它，然后重新启动。"
                        + $" Another instance of the application (PostgreSQL session pid {pid}) has been starting (migrating the database) for more than {wait.TotalSeconds:0} s:"
                        + $" let it finish or stop it, then start again (or raise {WaitKey})."));
                }

                if (!told)
                {
                    log.LogWarning("Another instance of the application (PostgreSQL session pid {Pid}) is starting on this database; waiting up to {Seconds} s", pid, wait.TotalSeconds);
                    told = true;
                }

                await Task.Delay(Poll, ct);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The SQLite database's file, or null for an in-memory database.</summary>
    private static string? DatabaseFile(AppDbContext db)
    {
        var builder = new SqliteConnectionStringBuilder(db.Database.GetConnectionString());
        return builder.Mode == SqliteOpenMode.Memory || builder.DataSource is "" or ":memory:" ? null : Path.GetFullPath(builder.DataSource);
    }

    private static async Task<FileStream> AcquireFileLockAsync(string path, TimeSpan wait, ILogger log, CancellationToken ct)
    {
        var started = DateTime.UtcNow;
        var told = false;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive lock the operating system drops with the process (flock on Linux).
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
            }
            catch (IOException e) when (IsHeld(e) && DateTime.UtcNow - started < wait)
            {
                if (!told)
                {
                    log.LogWarning("Another process of the application is migrating this database (it holds {StartLock}); waiting up to {Seconds} s", path, wait.TotalSeconds);
                    told = true;
                }

                await Task.Delay(Poll, ct);
            }
            catch (IOException e) when (IsHeld(e))
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"数据库迁移锁 {path} 被另一个正在运行的本应用进程占用已超过 {wait.TotalSeconds:0} 秒：请等待它完成或停止它，然后重新启动。"
                    + $" Another running process of this application has held the migration start lock {path} for more than {wait.TotalSeconds:0} s:"
                    + $" let it finish or stop it, then start again (or raise {WaitKey})."));
            }
        }
    }

    /// <summary>Held by another process, not a missing folder or file.</summary>
    private static bool IsHeld(IOException e) => e is not (DirectoryNotFoundException or FileNotFoundException or PathTooLongException);

    private static async Task RemoveStaleSqliteLockAsync(AppDbContext db, string startLock, ILogger log, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (await ScalarAsync(connection, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsLock'", ct) is 0L)
            {
                return;
            }

            var taken = await ScalarAsync(connection, "SELECT MIN(\"Timestamp\") FROM \"__EFMigrationsLock\"", ct);
            if (taken is null or DBNull)
            {
                return;
            }

            var since = DateTimeOffset.TryParse(Convert.ToString(taken, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? string.Create(CultureInfo.InvariantCulture, $"{at.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC, {(DateTimeOffset.UtcNow - at).TotalSeconds:0} s ago")
                : Convert.ToString(taken, CultureInfo.InvariantCulture);
            log.LogWarning(
                "Removing a stale EF Core migration lock (table __EFMigrationsLock, taken {Since}): the process that took it stopped during a migration; "
                + "no other process of the application is migrating ({StartLock} was free). The interrupted migration is applied again now.",
                since, startLock);
            await using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM \"__EFMigrationsLock\"";
            await delete.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task WaitForPostgresLockAsync(AppDbContext db, TimeSpan wait, ILogger log, CancellationToken ct)
    {
        const string Holder = """
            SELECT l.pid, coalesce(a.application_name, ''), coalesce(host(a.client_addr), 'local'), a.xact_start, coalesce(a.state, '')
            FROM pg_locks l
            JOIN pg_class c ON c.oid = l.relation
            LEFT JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND c.relname = '__EFMigrationsHistory' AND l.mode = 'AccessExclusiveLock' AND l.granted AND l.pid <> pg_backend_pid()
            LIMIT 1
            """;
        var started = DateTime.UtcNow;
        var told = false;
        if (!await db.Database.CanConnectAsync(ct))
        {
            return; // A database still to be created: nobody can hold a lock in it; EF creates it.
        }

        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            while (true)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = Holder;
                await using var reader = await command.ExecuteReaderAsync(ct);
                if (!await reader.ReadAsync(ct))
                {
                    return;
                }

                var pid = reader.GetInt32(0);
                var who = string.Create(CultureInfo.InvariantCulture,
                    $"PostgreSQL session pid {pid} (application '{reader.GetString(1)}', client {reader.GetString(2)}, transaction since {(reader.IsDBNull(3) ? "?" : reader.GetDateTime(3).ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture))} UTC, state {reader.GetString(4)})");
                if (DateTime.UtcNow - started >= wait)
                {
                    throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                        $"数据库迁移锁（表 __EFMigrationsHistory）被 PostgreSQL 会话 {pid} 占用已超过 {wait.TotalSeconds:0} 秒。如果该进程已不存在，请结束该会话：SELECT pg_terminate_backend({pid}); 然后重新启动。"
                        + $" The EF Core migration lock (LOCK TABLE \"__EFMigrationsHistory\") has been held by {who} for more than {wait.TotalSeconds:0} s."
                        + $" If that process is gone, end the session with SELECT pg_terminate_backend({pid}); and start again (or raise {WaitKey})."));
                }

                if (!told)
                {
                    log.LogWarning("The EF Core migration lock (table __EFMigrationsHistory) is held by {Holder}; waiting up to {Seconds} s", who, wait.TotalSeconds);
                    told = true;
                }

                await reader.DisposeAsync();
                await Task.Delay(Poll, ct);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }
}
