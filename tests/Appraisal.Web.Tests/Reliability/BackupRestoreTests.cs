using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.Web.Tests.Infrastructure;
using static Appraisal.Web.Tests.Reliability.ProcessCalls;

namespace Appraisal.Web.Tests.Reliability;

/// <summary>
/// <c>backup FILE</c> / <c>restore FILE</c> (<see cref="BackupCommand"/>) of the real web host: a backup
/// taken while the application takes writes through HTTP restores into an empty database identical, table
/// by table and row by row, to the source at one moment of the backup; and the refusals.
/// </summary>
public sealed class BackupRestoreTests
{
    [Fact]
    public async Task A_backup_taken_while_the_application_writes_restores_every_table_as_it_was()
    {
        const int Agents = 1000;
        await using var source = new ProcessDatabase();
        await source.SeedAsync(Month, Agents, compute: true);
        using var app = AppProcess.Start(source.Settings());
        await app.WaitReadyAsync(Patience);
        using var hr = await SignedInAsync(app, "hr");

        // The writer: one facts save after another (one transaction each, with its audit entry), each of another
        // agent with the version read once before; after each save the whole source is read, so that every state
        // the source was in while the backup ran is known. Two saves warm the application up first.
        var rows = await FactsRowsAsync(hr);
        var states = new List<SortedDictionary<string, (long Rows, string Hash)>> { await source.TablesAsync() };
        var file = Path.Combine(Path.GetTempPath(), $"appraisal-backup-{Guid.NewGuid():N}.bak");
        Task<(int Code, string Output)>? backup = null;
        var writes = 0;
        var duringBackup = 0;
        while (backup is null || !backup.IsCompleted)
        {
            await SaveOneFactAsync(hr, rows[writes]);
            writes++;
            duringBackup += backup is { IsCompleted: false } ? 1 : 0;
            states.Add(await source.TablesAsync());
            if (writes == 2)
            {
                backup = AppProcess.RunAsync(source.Settings(), "backup", file);
            }
        }

        var (code, output) = await backup;
        try
        {
            Assert.True(code == 0, output);
            Assert.True(duringBackup > 0, "no write completed while the backup ran");

            await using var target = new ProcessDatabase("_restored");
            var restore = await AppProcess.RunAsync(target.Settings(), "restore", file);
            Assert.True(restore.Code == 0, restore.Output);
            var restored = await target.TablesAsync();
            Assert.Contains(states, s => s.SequenceEqual(restored));
            Assert.True(restored["Results"].Rows == Agents && restored["Audit"].Rows > 0);
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"{(AppFactory.OnPostgres ? "postgres" : "sqlite")}: {writes} writes, {duringBackup} while the backup ran; restored {restored.Count} tables / {restored.Values.Sum(t => t.Rows)} rows, equal to source state {states.FindIndex(s => s.SequenceEqual(restored))} of {states.Count}");

            // A second restore into the now full database is refused and changes nothing.
            var again = await AppProcess.RunAsync(target.Settings(), "restore", file);
            Assert.Equal((int)BackupCommand.ExitCode.TargetNotEmpty, again.Code);
            Assert.Contains("已有数据", again.Output);
            Assert.Contains("--force", again.Output);
            Assert.True(restored.SequenceEqual(await target.TablesAsync()));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Backup_and_restore_refuse_clearly_a_missing_file_a_full_target_and_the_other_provider()
    {
        await using var database = new ProcessDatabase();
        var missing = Path.Combine(Path.GetTempPath(), $"appraisal-missing-{Guid.NewGuid():N}.bak");
        var (code, output) = await AppProcess.RunAsync(database.Settings(), "restore", missing);
        Assert.Equal((int)BackupCommand.ExitCode.FileMissing, code);
        Assert.Contains("备份文件不存在", output);
        Assert.Contains("backup file not found", output);

        var usage = await AppProcess.RunAsync(database.Settings(), "backup");
        Assert.Equal((int)BackupCommand.ExitCode.Usage, usage.Code);

        // A backup of the other kind: a SQLite file header for PostgreSQL, a pg_dump header for SQLite.
        var other = Path.Combine(Path.GetTempPath(), $"appraisal-other-{Guid.NewGuid():N}.bak");
        await File.WriteAllBytesAsync(other, AppFactory.OnPostgres ? "SQLite format 3\0padding"u8.ToArray() : "PGDMP\u0001\u000e\0padding"u8.ToArray(), TestContext.Current.CancellationToken);
        try
        {
            var wrong = await AppProcess.RunAsync(database.Settings(), "restore", other);
            Assert.Equal((int)BackupCommand.ExitCode.WrongProvider, wrong.Code);
            Assert.Contains("Database:Provider", wrong.Output);
            Assert.Contains("请用同一种数据库恢复", wrong.Output);

            // An existing backup file is not overwritten without --force.
            await database.SeedAsync(Month, 10, compute: false);
            var exists = await AppProcess.RunAsync(database.Settings(), "backup", other);
            Assert.Equal((int)BackupCommand.ExitCode.TargetNotEmpty, exists.Code);
            Assert.Contains("--force", exists.Output);
        }
        finally
        {
            File.Delete(other);
        }
    }

    /// <summary>HR changes one agent's actual sales through the facts API, with the row's version as read.</summary>
    private static async Task SaveOneFactAsync(HttpClient hr, JsonElement row)
    {
        var body = new { rows = new[] { Raised(row, 1) } };
        using var saved = await hr.PutAsJsonAsync(new Uri($"/api/months/{Month}/facts", UriKind.Relative), body);
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
    }
}
