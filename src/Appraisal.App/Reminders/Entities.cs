using Microsoft.EntityFrameworkCore;
using Appraisal.App.People;

namespace Appraisal.App.Reminders;

/// <summary>Where a stored e-mail is on its way (the outbox of issue 9's reminders).</summary>
public enum OutboxStatus
{
    /// <summary>Waiting to be sent (again, after a failure, from <see cref="OutboxMessage.NextAttemptAt"/>).</summary>
    Pending = 0,

    /// <summary>Claimed by one sender, which is sending it now (a claim older than the lease is taken over).</summary>
    Sending = 1,

    /// <summary>Handed to the SMTP server: never sent again.</summary>
    Sent = 2,

    /// <summary>Given up after the last attempt; the last error says why.</summary>
    Failed = 3,
}

/// <summary>What a reminder is about; one message per kind, account, month and occasion (the outbox's unique key).</summary>
public static class ReminderKinds
{
    /// <summary>The appraisal window (第六条) opened and the person's sheet is not submitted.</summary>
    public const string WindowOpen = "window.open";

    /// <summary>Tomorrow is the window's last day and the sheet is not submitted.</summary>
    public const string WindowDue = "window.due";

    /// <summary>A month's results are computed and wait for the general manager's confirmation.</summary>
    public const string ReadyToConfirm = "month.ready";

    /// <summary>An agent's result is published, with the appeal period.</summary>
    public const string ResultPublished = "result.published";

    /// <summary>An agent filed an appeal (to HR).</summary>
    public const string AppealFiled = "appeal.filed";
}

/// <summary>
/// One e-mail in the stored outbox: written in the transaction of the change it tells about (or by the daily
/// scan), sent later by the background sender. The unique key (<see cref="Kind"/>, <see cref="UserId"/>,
/// <see cref="Month"/>, <see cref="Occasion"/>) means no message is ever created twice; the claim (a
/// conditional update of <see cref="Status"/> and <see cref="Version"/>) means one sender sends it.
/// </summary>
public sealed class OutboxMessage : IVersioned
{
    public int Id { get; set; }

    /// <summary>One of <see cref="ReminderKinds"/>.</summary>
    public required string Kind { get; set; }

    /// <summary>The account the message is for.</summary>
    public required string UserId { get; set; }

    /// <summary>The appraisal month (YYYY-MM) it is about.</summary>
    public required string Month { get; set; }

    /// <summary>What makes it distinct within the month: a day, a confirmation's number, an appeal; empty when once a month.</summary>
    public required string Occasion { get; set; }

    /// <summary>The address when it was queued.</summary>
    public required string To { get; set; }

    public required string Subject { get; set; }

    /// <summary>Plain text, Chinese first with English below.</summary>
    public required string Body { get; set; }

    public OutboxStatus Status { get; set; }

    public int Attempts { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Not before this instant (a retry's back-off).</summary>
    public DateTime NextAttemptAt { get; set; }

    /// <summary>When the current sender claimed it (while <see cref="OutboxStatus.Sending"/>).</summary>
    public DateTime? ClaimedAt { get; set; }

    public DateTime? SentAt { get; set; }

    public string? LastError { get; set; }

    public int Version { get; set; }

    public const int MaxSubjectLength = 300;

    public const int MaxBodyLength = 8000;

    public const int MaxErrorLength = 1000;
}

/// <summary>The outbox's table: the unique key that makes a message once, and the sender's index.</summary>
internal static class OutboxModel
{
    internal static void Configure(Microsoft.EntityFrameworkCore.Metadata.Builders.EntityTypeBuilder<OutboxMessage> e)
    {
        e.ToTable("Outbox");
        e.HasIndex(m => new { m.Kind, m.UserId, m.Month, m.Occasion }).IsUnique();
        e.HasIndex(m => new { m.Status, m.NextAttemptAt });
        e.Property(m => m.Kind).HasMaxLength(32);
        e.Property(m => m.UserId).HasMaxLength(450);
        e.Property(m => m.Month).HasMaxLength(7);
        e.Property(m => m.Occasion).HasMaxLength(64);
        e.Property(m => m.To).HasMaxLength(256);
        e.Property(m => m.Subject).HasMaxLength(OutboxMessage.MaxSubjectLength);
        e.Property(m => m.Body).HasMaxLength(OutboxMessage.MaxBodyLength);
        e.Property(m => m.LastError).HasMaxLength(OutboxMessage.MaxErrorLength);
    }
}
