using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Appraisal.App.Data;

/// <summary>
/// A fault-injection hook for the crash tests (docs/reliability.md), off unless configured: when
/// <c>Testing:PauseAfterSql</c> holds a regular expression, the first database command whose text matches
/// it is executed, a line <c>test hook: paused after …</c> is written to standard output, and the command's
/// caller then waits <c>Testing:PauseSeconds</c> (default 600) — inside its transaction when it has one — so
/// that a test can kill the process in the middle of a change. Never configured in production; the start
/// logs a warning when it is.
/// </summary>
public sealed class PauseAfterCommand : DbCommandInterceptor
{
    /// <summary>The line written when the pause starts; the tests wait for it.</summary>
    public const string Marker = "test hook: paused after";

    private readonly Regex pattern;
    private readonly TimeSpan pause;
    private readonly string? resumeFile;
    private int fired;

    private PauseAfterCommand(Regex pattern, TimeSpan pause, string? resumeFile)
    {
        this.pattern = pattern;
        this.pause = pause;
        this.resumeFile = resumeFile;
    }

    /// <summary>The hook when <c>Testing:PauseAfterSql</c> is configured, else null.</summary>
    public static PauseAfterCommand? From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var sql = configuration["Testing:PauseAfterSql"];
        return string.IsNullOrWhiteSpace(sql)
            ? null
            : new PauseAfterCommand(new Regex(sql, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)),
                TimeSpan.FromSeconds(configuration.GetValue("Testing:PauseSeconds", 600)), configuration["Testing:ResumeFile"]);
    }

    public override async ValueTask<DbDataReader> ReaderExecutedAsync(DbCommand command, CommandExecutedEventData eventData, DbDataReader result,
        CancellationToken cancellationToken = default)
    {
        await PauseIfMatchAsync(command, cancellationToken);
        return result;
    }

    public override async ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result,
        CancellationToken cancellationToken = default)
    {
        await PauseIfMatchAsync(command, cancellationToken);
        return result;
    }

    public override async ValueTask<object?> ScalarExecutedAsync(DbCommand command, CommandExecutedEventData eventData, object? result,
        CancellationToken cancellationToken = default)
    {
        await PauseIfMatchAsync(command, cancellationToken);
        return result;
    }

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result)
    {
        PauseIfMatchAsync(command, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return result;
    }

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        PauseIfMatchAsync(command, CancellationToken.None).AsTask().GetAwaiter().GetResult();
        return result;
    }

    private async ValueTask PauseIfMatchAsync(DbCommand command, CancellationToken ct)
    {
        if (!pattern.IsMatch(command.CommandText) || Interlocked.Exchange(ref fired, 1) == 1)
        {
            return;
        }

        var first = command.CommandText.Split('\n', 2)[0].Trim();
        await Console.Out.WriteLineAsync($"{Marker} {first} (in a transaction: {command.Transaction is not null}); pausing {pause.TotalSeconds:0} s");
        await Console.Out.FlushAsync(ct);
        if (resumeFile is null)
        {
            await Task.Delay(pause, ct);
            return;
        }

        var until = DateTime.UtcNow + pause;
        while (!File.Exists(resumeFile) && DateTime.UtcNow < until)
        {
            await Task.Delay(100, ct);
        }
    }
}
