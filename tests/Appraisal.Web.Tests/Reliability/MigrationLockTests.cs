using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.Web.Tests.Infrastructure;
using Npgsql;

namespace Appraisal.Web.Tests.Reliability;

/// <summary>
/// A start after a process was killed during a migration does not wait for ever on EF Core's migration
/// lock (<see cref="MigrationLock"/>): SQLite's stale <c>__EFMigrationsLock</c> row is removed with a
/// warning; on PostgreSQL the killed session's lock is gone with it, and a live session still holding
/// the lock stops the start after the configured wait with the command that ends it.
/// </summary>
public sealed class MigrationLockTests
{
    /// <summary>Far above a start (seconds), far below "for ever".</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(90);

    [Fact]
    public async Task A_start_after_a_process_killed_during_its_migration_goes_on()
    {
        await using var database = new ProcessDatabase();
        var settings = database.Settings();
        settings["Testing:PauseAfterSql"] = "^CREATE TABLE \"(?!__EF)";
        using (var first = AppProcess.Start(settings))
        {
            await first.WaitForLineAsync(PauseAfterCommand.Marker, Bound);
            first.Kill();
        }

        if (!AppFactory.OnPostgres)
        {
            // The killed process left EF's lock behind, as a power cut would.
            Assert.Equal(1, await database.ScalarAsync<long>("SELECT COUNT(*) FROM \"__EFMigrationsLock\""));
        }

        using var second = AppProcess.Start(database.Settings());
        await second.WaitReadyAsync(Bound);
        if (!AppFactory.OnPostgres)
        {
            Assert.Contains("Removing a stale EF Core migration lock", second.Output);
            Assert.Equal(0, await database.ScalarAsync<long>("SELECT COUNT(*) FROM \"__EFMigrationsLock\""));
        }

        Assert.Equal("ok", await database.IntegrityAsync());
        Assert.Equal(1, await database.ScalarAsync<long>("SELECT COUNT(*) FROM \"AspNetUsers\" WHERE \"UserName\" = 'admin'"));
    }

    [Fact]
    public async Task A_lock_left_behind_is_reported_with_its_time_and_never_waited_on_silently()
    {
        await using var database = new ProcessDatabase();
        using (var first = AppProcess.Start(database.Settings()))
        {
            await first.WaitReadyAsync(Bound);
            first.Kill();
        }

        if (AppFactory.OnPostgres)
        {
            // A session that is alive and holds EF's lock (LOCK TABLE in an open transaction), as a stuck
            // migrator on another machine would: the start names it and stops with the fix.
            await using var holder = (NpgsqlConnection)await database.OpenAsync();
            await using var transaction = await holder.BeginTransactionAsync(TestContext.Current.CancellationToken);
            await using (var command = new NpgsqlCommand("LOCK TABLE \"__EFMigrationsHistory\" IN ACCESS EXCLUSIVE MODE", holder, transaction))
            {
                await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            }

            var pid = holder.ProcessID;
            var settings = database.Settings();
            settings[MigrationLock.WaitKey] = "3";
            using var stopped = AppProcess.Start(settings);
            Assert.True(await stopped.WaitForExitAsync(Bound), "the start waited on the lock instead of stopping:\n" + stopped.Output);
            Assert.NotEqual(0, stopped.ExitCode);
            Assert.Contains($"has been held by PostgreSQL session pid {pid}", stopped.Output);
            Assert.Contains($"pg_terminate_backend({pid})", stopped.Output);
            await transaction.RollbackAsync(TestContext.Current.CancellationToken);
        }
        else
        {
            // The row exactly as EF's SqliteHistoryRepository writes it.
            await database.ExecuteAsync("INSERT INTO \"__EFMigrationsLock\" (\"Id\", \"Timestamp\") VALUES (1, '2026-11-30 08:15:00+00:00')");
        }

        using var second = AppProcess.Start(database.Settings());
        await second.WaitReadyAsync(Bound);
        if (!AppFactory.OnPostgres)
        {
            Assert.Contains("Removing a stale EF Core migration lock (table __EFMigrationsLock, taken 2026-11-30 08:15:00 UTC", second.Output);
        }
    }
}
