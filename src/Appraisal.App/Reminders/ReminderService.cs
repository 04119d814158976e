using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace Appraisal.App.Reminders;

/// <summary>
/// The web host's background sender of reminders (issue 9): every <see cref="MailSettings.PollEvery"/> it sends
/// what is due in the outbox, and every <see cref="MailSettings.ScanEvery"/> it queues the dated reminders first.
/// All its state is in the database (the outbox), so a restart goes on where it stopped, and several instances
/// may run: the scan runs on one of them per interval (<see cref="ScanReminders.RunIfDueAsync"/>), and the claim
/// decides who sends each message. Off, with a line in the start log, when <c>Smtp:Host</c> is not set.
/// </summary>
public sealed class ReminderService(IServiceScopeFactory scopes, MailSettings settings, ILogger<ReminderService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        log.LogInformation("{State}", settings.Describe());
        if (!settings.Enabled)
        {
            return;
        }

        Stopwatch? sinceScan = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                // The first pass waits one interval: the database is migrated at start before anything reads it.
                await Task.Delay(settings.PollEvery, stoppingToken);
                await using var scope = scopes.CreateAsyncScope();
                if (sinceScan is null || sinceScan.Elapsed >= settings.ScanEvery)
                {
                    // Once per interval for all instances over the database: the others skip (JobLease).
                    var queued = await scope.ServiceProvider.GetRequiredService<ScanReminders>().RunIfDueAsync(settings.ScanEvery, stoppingToken);
                    sinceScan = Stopwatch.StartNew();
                    if (queued > 0)
                    {
                        log.LogInformation("Queued {Count} dated reminder(s)", queued);
                    }
                }

                var sent = await scope.ServiceProvider.GetRequiredService<SendOutbox>().RunAsync(stoppingToken);
                if (sent > 0)
                {
                    log.LogInformation("Sent {Count} e-mail(s)", sent);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database may be away for a moment: the next pass tries again.
                log.LogError(e, "The reminder sender's pass failed");
            }
        }
    }
}

/// <summary>Registration of the reminders: the queue and the scan for every host, the sender for the web host.</summary>
public static class ReminderServices
{
    public static IServiceCollection AddReminders(this IServiceCollection services)
    {
        services.AddSingleton<MailSettings>();
        return services.AddScoped<Outbox>().AddScoped<ScanReminders>().AddScoped<SendOutbox>().AddScoped<ReadNotices>();
    }

    /// <summary>The background sender (the web host only: a batch job of the command line sends nothing).</summary>
    public static IServiceCollection AddReminderSender(this IServiceCollection services) => services.AddHostedService<ReminderService>();
}
