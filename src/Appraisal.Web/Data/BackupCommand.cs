using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using Appraisal.App.Data;

namespace Appraisal.Web.Data;

/// <summary>
/// <c>backup FILE</c> and <c>restore FILE [--force]</c>, verbs of the web host over the same configuration
/// as the application (appsettings, environment, command line): SQLite with its online backup API (a
/// consistent copy while the application keeps writing), PostgreSQL with <c>pg_dump</c>/<c>pg_restore</c>
/// in the custom format. A restore goes only into an empty database unless <c>--force</c> is given (stop
/// the application first). Messages are Chinese then English; exit codes are <see cref="ExitCode"/>.
/// See README (operations) and docs/reliability.md.
/// </summary>
public static class BackupCommand
{
    /// <summary>What the process exit code says.</summary>
    public enum ExitCode
    {
        Done = 0,
        Failed = 1,
        Usage = 2,
        FileMissing = 3,
        TargetNotEmpty = 4,
        WrongProvider = 5,
    }

    private const string SqliteHeader = "SQLite format 3\0";
    private const string PgDumpHeader = "PGDMP";

    /// <summary>True when the command line starts with one of the verbs.</summary>
    public static bool IsVerb(string[] args) => args is ["backup" or "restore", ..];

    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var force = args.Contains("--force");
        var rest = args.Skip(1).Where(a => a != "--force").ToList();
        if (rest.Count == 0 || rest[0].StartsWith('-'))
        {
            return (int)Fail(ExitCode.Usage, $"用法：{args[0]} 文件 [--force] [配置参数，如 --ConnectionStrings:Sqlite=…]",
                $"usage: {args[0]} FILE [--force] [configuration, e.g. --ConnectionStrings:Sqlite=…]");
        }

        var file = Path.GetFullPath(rest[0]);
        var configuration = WebApplication.CreateBuilder(rest.Skip(1).ToArray()).Configuration;
        try
        {
            var provider = configuration["Database:Provider"] ?? "Sqlite";
            var code = (args[0], provider.ToUpperInvariant()) switch
            {
                ("backup", "SQLITE") => await BackupSqliteAsync(SqliteFile(configuration), file, force),
                ("restore", "SQLITE") => await RestoreSqliteAsync(file, SqliteFile(configuration), force),
                ("backup", "POSTGRES") => await BackupPostgresAsync(PostgresConnection(configuration), file, force),
                ("restore", "POSTGRES") => await RestorePostgresAsync(file, PostgresConnection(configuration), force),
                _ => Fail(ExitCode.WrongProvider, $"未知的数据库类型 Database:Provider = “{provider}”：应为 Sqlite 或 Postgres",
                    $"unknown Database:Provider \"{provider}\": expected Sqlite or Postgres"),
            };
            return (int)code;
        }
        catch (Exception e) when (e is DbException or IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            return (int)Fail(ExitCode.Failed, $"{args[0]} 失败：{e.Message}", $"{args[0]} failed: {e.Message}");
        }
    }

    private static async Task<ExitCode> BackupSqliteAsync(string database, string file, bool force)
    {
        if (!File.Exists(database))
        {
            return Fail(ExitCode.FileMissing, $"没有可备份的数据库：{database} 不存在（检查 ConnectionStrings:Sqlite）",
                $"nothing to back up: {database} does not exist (check ConnectionStrings:Sqlite)");
        }

        if (Refused(file, force) is { } refused)
        {
            return refused;
        }

        // Written beside the target and renamed at the end, so that FILE is never a half-written backup.
        var partial = file + ".partial";
        File.Delete(partial);
        await using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        await using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = partial, Pooling = false }.ToString()))
        {
            await source.OpenAsync();
            await target.OpenAsync();

            // One step under one read transaction: a consistent snapshot while the application goes on writing (WAL).
            source.BackupDatabase(target);
            await CheckIntegrityAsync(target);
            await ExecuteAsync(target, "PRAGMA journal_mode=DELETE;");
        }

        File.Move(partial, file, overwrite: true);
        var (tables, rows) = await CountSqliteAsync(file);
        return Done($"备份完成：{file}（{tables} 张表，{rows} 行）", $"backup written: {file} ({tables} tables, {rows} rows)");
    }

    private static async Task<ExitCode> RestoreSqliteAsync(string file, string database, bool force)
    {
        if (CheckBackupFile(file, SqliteHeader, "Sqlite") is { } bad)
        {
            return bad;
        }

        if (File.Exists(database) && new FileInfo(database).Length > 0)
        {
            var (tables, rows) = await CountSqliteAsync(database);
            if (tables > 0 && !force)
            {
                return NotEmpty(database, $"{tables} 张表，{rows} 行", $"{tables} tables, {rows} rows");
            }
        }

        await using (var source = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString()))
        await using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString()))
        {
            await source.OpenAsync();
            await target.OpenAsync();
            source.BackupDatabase(target);
            await CheckIntegrityAsync(target);
        }

        var (restoredTables, restoredRows) = await CountSqliteAsync(database);
        return Done($"恢复完成：{database}（{restoredTables} 张表，{restoredRows} 行）", $"restored into {database} ({restoredTables} tables, {restoredRows} rows)");
    }

    private static async Task<ExitCode> BackupPostgresAsync(NpgsqlConnectionStringBuilder database, string file, bool force)
    {
        if (Refused(file, force) is { } refused)
        {
            return refused;
        }

        var partial = file + ".partial";
        File.Delete(partial);
        var (code, error) = await RunToolAsync("pg_dump", database, "--format=custom", "--no-owner", "--no-privileges", "--file", partial);
        if (code != 0)
        {
            File.Delete(partial);
            return Fail(ExitCode.Failed, $"pg_dump 失败（退出码 {code}）：{error}", $"pg_dump failed (exit code {code}): {error}");
        }

        File.Move(partial, file, overwrite: true);
        return Done($"备份完成：{file}（数据库 {database.Database}，{new FileInfo(file).Length} 字节）",
            $"backup written: {file} (database {database.Database}, {new FileInfo(file).Length} bytes)");
    }

    private static async Task<ExitCode> RestorePostgresAsync(string file, NpgsqlConnectionStringBuilder database, bool force)
    {
        if (CheckBackupFile(file, PgDumpHeader, "Postgres") is { } bad)
        {
            return bad;
        }

        if (await CreateIfMissingAsync(database))
        {
            Console.WriteLine($"已创建空数据库 {database.Database} · created the empty database {database.Database}");
        }

        var (tables, rows) = await CountPostgresAsync(database);
        if (tables > 0 && !force)
        {
            return NotEmpty(database.Database ?? "?", $"{tables} 张表，{rows} 行", $"{tables} tables, {rows} rows");
        }

        var arguments = new List<string> { "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", "--dbname", database.Database ?? string.Empty };
        if (tables > 0)
        {
            arguments.InsertRange(0, ["--clean", "--if-exists"]);
        }

        arguments.Add(file);
        var (code, error) = await RunToolAsync("pg_restore", database, [.. arguments]);
        if (code != 0)
        {
            return Fail(ExitCode.Failed, $"pg_restore 失败（退出码 {code}），数据库未改变：{error}", $"pg_restore failed (exit code {code}); the database is unchanged: {error}");
        }

        var (restoredTables, restoredRows) = await CountPostgresAsync(database);
        return Done($"恢复完成：数据库 {database.Database}（{restoredTables} 张表，{restoredRows} 行）",
            $"restored into database {database.Database} ({restoredTables} tables, {restoredRows} rows)");
    }

    /// <summary>A backup file that is missing or of the other provider's kind ends the command.</summary>
    private static ExitCode? CheckBackupFile(string file, string header, string provider)
    {
        if (!File.Exists(file))
        {
            return Fail(ExitCode.FileMissing, $"备份文件不存在：{file}", $"backup file not found: {file}");
        }

        var start = new byte[16];
        using (var stream = File.OpenRead(file))
        {
            stream.ReadAtLeast(start, start.Length, throwOnEndOfStream: false);
        }

        var text = System.Text.Encoding.ASCII.GetString(start);
        if (text.StartsWith(header, StringComparison.Ordinal))
        {
            return null;
        }

        var other = text.StartsWith(SqliteHeader, StringComparison.Ordinal) ? "Sqlite" : text.StartsWith(PgDumpHeader, StringComparison.Ordinal) ? "Postgres" : null;
        return other is null
            ? Fail(ExitCode.WrongProvider, $"{file} 不是本应用的备份文件（既不是 SQLite 数据库，也不是 pg_dump 自定义格式）",
                $"{file} is not a backup of this application (neither a SQLite database nor a pg_dump custom-format file)")
            : Fail(ExitCode.WrongProvider, $"{file} 是 {other} 的备份，而配置的数据库是 {provider}（Database:Provider）：请用同一种数据库恢复",
                $"{file} is a {other} backup but the configured database is {provider} (Database:Provider): restore it into the same kind of database");
    }

    private static ExitCode? Refused(string file, bool force) =>
        File.Exists(file) && !force
            ? Fail(ExitCode.TargetNotEmpty, $"备份文件已存在：{file}。请换一个文件名，或加 --force 覆盖它",
                $"backup file already exists: {file}. Choose another name, or add --force to overwrite it")
            : null;

    private static ExitCode NotEmpty(string target, string zh, string en) =>
        Fail(ExitCode.TargetNotEmpty,
            $"目标数据库 {target} 已有数据（{zh}），恢复不会覆盖它。请指向一个空数据库；若确要替换，先停止应用，再加 --force 重新运行",
            $"the target database {target} already holds data ({en}); restore will not overwrite it. Point the configuration at an empty database, or stop the application and run again with --force to replace it");

    private static string SqliteFile(IConfiguration configuration)
    {
        var builder = new SqliteConnectionStringBuilder(configuration.GetConnectionString("Sqlite") ?? "Data Source=appraisal.db");
        return Path.GetFullPath(builder.DataSource);
    }

    private static NpgsqlConnectionStringBuilder PostgresConnection(IConfiguration configuration) =>
        new(configuration.GetConnectionString("Postgres")
            ?? throw new InvalidOperationException("Database:Provider 为 Postgres，但未设置 ConnectionStrings:Postgres · Database:Provider is Postgres but ConnectionStrings:Postgres is not set"));

    private static async Task<(int Code, string Error)> RunToolAsync(string tool, NpgsqlConnectionStringBuilder database, params string[] arguments)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // libpq reads the connection from the environment: the password never appears on a command line.
        start.Environment["PGHOST"] = database.Host;
        start.Environment["PGPORT"] = database.Port.ToString(CultureInfo.InvariantCulture);
        start.Environment["PGUSER"] = database.Username;
        start.Environment["PGPASSWORD"] = database.Password;
        start.Environment["PGDATABASE"] = database.Database;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException(tool);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new InvalidOperationException($"找不到 {tool}：请安装 PostgreSQL 客户端工具（版本不低于服务器）并加入 PATH · {tool} not found: install the PostgreSQL client tools (at least the server's version) and put them on PATH");
        }

        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, (await error).Trim());
        }
    }

    private static async Task CheckIntegrityAsync(SqliteConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check;";
        var result = Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        if (result != "ok")
        {
            throw new InvalidOperationException($"完整性检查未通过 · integrity check failed: {result}");
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<(int Tables, long Rows)> CountSqliteAsync(string file)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        return await CountAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    }

    private static async Task<(int Tables, long Rows)> CountPostgresAsync(NpgsqlConnectionStringBuilder database)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return await CountAsync(connection, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'");
    }

    /// <summary>Creates the configured database when the server does not have it yet (a restore into a new database).</summary>
    private static async Task<bool> CreateIfMissingAsync(NpgsqlConnectionStringBuilder database)
    {
        var maintenance = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres", Pooling = false };
        await using var connection = new NpgsqlConnection(maintenance.ConnectionString);
        await connection.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT COUNT(*) FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database.Database ?? string.Empty);
        if (Convert.ToInt64(await exists.ExecuteScalarAsync(), CultureInfo.InvariantCulture) > 0)
        {
            return false;
        }

#pragma warning disable CA2100 // The configured name, quoted as an identifier.
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Database?.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
#pragma warning restore CA2100
        await create.ExecuteNonQueryAsync();
        return true;
    }

    private static async Task<(int Tables, long Rows)> CountAsync(DbConnection connection, string tablesSql)
    {
        var names = new List<string>();
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = tablesSql;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                names.Add(reader.GetString(0));
            }
        }

        long rows = 0;
        foreach (var name in names)
        {
            await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Table names come from the database's own catalogue, quoted.
            command.CommandText = $"SELECT COUNT(*) FROM \"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
#pragma warning restore CA2100
            rows += Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        return (names.Count, rows);
    }

    private static ExitCode Done(string zh, string en)
    {
        Console.WriteLine(zh);
        Console.WriteLine(en);
        return ExitCode.Done;
    }

    private static ExitCode Fail(ExitCode code, string zh, string en)
    {
        Console.Error.WriteLine(zh);
        Console.Error.WriteLine(en);
        return code;
    }
}
