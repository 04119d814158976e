using Appraisal.App.Data;
using Appraisal.App.Months;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Appraisal.App.Reminders;

/// <summary>
/// Sends what is due in the outbox (issue 9). Each message is first <b>claimed</b> by a conditional update
/// (its status and version as read: of several senders, one wins), then handed to the SMTP server, then marked
/// sent. A failure is recorded with its error and tried again later (1, 2, 4 … minutes, at most an hour), until
/// the last attempt. A claim older than <see cref="MailSettings.Lease"/> belongs to a sender that stopped
/// between claiming and marking: the message is sent again — the one window in which a message can be sent twice
/// (docs/reliability.md). Sending is not a change of the company's data: nothing is audited.
/// </summary>
public sealed class SendOutbox(AppDbContext db, MailSettings settings, CompanyClock clock, ILogger<SendOutbox> log)
{
    public const int Batch = 50;

    /// <returns>How many messages were sent.</returns>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        if (!settings.Enabled)
        {
            return 0;
        }

        var now = clock.UtcNow;
        var stale = now - settings.Lease;
        var due = await db.Outbox.AsNoTracking()
            .Where(m => (m.Status == OutboxStatus.Pending && m.NextAttemptAt <= now) || (m.Status == OutboxStatus.Sending && m.ClaimedAt < stale))
            .OrderBy(m => m.Id).Take(Batch).ToListAsync(ct);
        if (due.Count == 0)
        {
            return 0;
        }

        var sent = 0;
        using var smtp = new SmtpClient { Timeout = 60_000 };
        foreach (var message in due)
        {
            if (!await ClaimAsync(message, now, ct))
            {
                continue;
            }

            try
            {
                await ConnectAsync(smtp, ct);
                await smtp.SendAsync(Mime(message), ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await FailedAsync(message, e, ct);
                if (smtp.IsConnected)
                {
                    await smtp.DisconnectAsync(quit: false, CancellationToken.None);
                }

                continue;
            }

            // Past this point the message has left: a stop before the next line is the window of a second send.
            await db.Outbox.Where(m => m.Id == message.Id && m.Version == message.Version)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Sent).SetProperty(m => m.SentAt, clock.UtcNow)
                    .SetProperty(m => m.LastError, (string?)null).SetProperty(m => m.Version, message.Version + 1), CancellationToken.None);
            sent++;
            Telemetry.AppMetrics.EmailSent(message.Kind);
        }

        if (smtp.IsConnected)
        {
            await smtp.DisconnectAsync(quit: true, ct);
        }

        return sent;
    }

    // The claim: only the sender whose update finds the status and version it read takes the message.
    private async Task<bool> ClaimAsync(OutboxMessage message, DateTime now, CancellationToken ct)
    {
        var (status, version) = (message.Status, message.Version);
        var claimed = await db.Outbox.Where(m => m.Id == message.Id && m.Status == status && m.Version == version)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, OutboxStatus.Sending).SetProperty(m => m.ClaimedAt, now)
                .SetProperty(m => m.Attempts, message.Attempts + 1).SetProperty(m => m.Version, version + 1), ct);
        if (claimed == 0)
        {
            return false;
        }

        message.Status = OutboxStatus.Sending;
        message.Attempts++;
        message.Version = version + 1;
        return true;
    }

    private async Task FailedAsync(OutboxMessage message, Exception e, CancellationToken ct)
    {
        var last = message.Attempts >= settings.MaxAttempts;
        var error = $"{e.GetType().Name}: {e.Message}";
        error = error.Length <= OutboxMessage.MaxErrorLength ? error : error[..OutboxMessage.MaxErrorLength];
        var next = clock.UtcNow + MailSettings.BackOff(message.Attempts);
        log.LogWarning("E-mail {Id} ({Kind}) to {To} failed (attempt {Attempts}): {Error}", message.Id, message.Kind, message.To, message.Attempts, error);
        await db.Outbox.Where(m => m.Id == message.Id && m.Version == message.Version)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.Status, last ? OutboxStatus.Failed : OutboxStatus.Pending)
                .SetProperty(m => m.NextAttemptAt, next).SetProperty(m => m.ClaimedAt, (DateTime?)null)
                .SetProperty(m => m.LastError, error).SetProperty(m => m.Version, message.Version + 1), ct);
    }

    private async Task ConnectAsync(SmtpClient smtp, CancellationToken ct)
    {
        if (smtp.IsConnected)
        {
            return;
        }

        var security = !settings.UseTls ? SecureSocketOptions.None : settings.Port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls;
        await smtp.ConnectAsync(settings.Host!, settings.Port, security, ct);
        if (settings.User is { } user)
        {
            await smtp.AuthenticateAsync(user, settings.Password ?? string.Empty, ct);
        }
    }

    private MimeMessage Mime(OutboxMessage message)
    {
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(settings.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        mime.Body = new TextPart(MimeKit.Text.TextFormat.Plain) { Text = message.Body };
        return mime;
    }
}
