using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Appraisal.App.Data;

/// <summary>
/// Periodic work done once per cluster (issue 10 §3): a row per job with when it last ran and by whom. An instance
/// runs the job only if its conditional update moves <see cref="RunAt"/> forward from a time at least one interval
/// ago (or its insert of the first row wins): of several instances polling together, one runs it, the others skip
/// until the next interval. The same statements on SQLite and PostgreSQL; an instance that dies while running
/// leaves nothing held (the next interval is free again), and the work itself is idempotent (keyed messages).
/// </summary>
public sealed class JobLease
{
    /// <summary>The dated reminders' scan (<see cref="Reminders.ScanReminders"/>).</summary>
    public const string ReminderScan = "reminders.scan";

    public string Job { get; set; } = string.Empty;

    /// <summary>When it last ran (UTC).</summary>
    public DateTime RunAt { get; set; }

    /// <summary>The instance it ran on: machine and process id, for the operator.</summary>
    public string RunOn { get; set; } = string.Empty;

    /// <summary>True when this instance is to run <paramref name="job"/> now: it last ran at least <paramref name="every"/> ago, or never.</summary>
    public static async Task<bool> ClaimAsync(AppDbContext db, string job, TimeSpan every, DateTime now, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var due = now - every;
        var by = Instance;
        if (await db.JobLeases.Where(j => j.Job == job && j.RunAt <= due)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.RunAt, now).SetProperty(j => j.RunOn, by), ct) > 0)
        {
            return true;
        }

        return await db.Database.ExecuteSqlInterpolatedAsync(
            $"INSERT INTO \"JobLeases\" (\"Job\", \"RunAt\", \"RunOn\") VALUES ({job}, {now}, {by}) ON CONFLICT DO NOTHING", ct) > 0;
    }

    private static string Instance => $"{Environment.MachineName}/{Environment.ProcessId}";

    internal static void Configure(EntityTypeBuilder<JobLease> e)
    {
        e.HasKey(j => j.Job);
        e.Property(j => j.Job).HasMaxLength(64);
        e.Property(j => j.RunOn).HasMaxLength(128);
    }
}
