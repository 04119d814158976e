using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.Policy;
using Appraisal.App.Reminders;
using Appraisal.Core.Months;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using netDumbster.smtp;

namespace Appraisal.Web.Tests.Reminders;

/// <summary>
/// Issue 10 §3: the dated reminders' scan runs once per interval for all instances over one database
/// (<see cref="JobLease"/>). Two application instances over the same database, started together by a gate, both
/// try to scan on the window's opening day: one scans and queues the reminders, the other skips; a second race in
/// the same interval scans nowhere; the next interval scans again, on one of them.
/// </summary>
public sealed class ClusterScanTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 20, 12, 0, 0, TimeSpan.FromHours(8));

    private static readonly TimeSpan Every = TimeSpan.FromMinutes(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Two_instances_racing_over_one_database_scan_once_per_interval()
    {
        var key = Guid.NewGuid().ToString("N");
        var clock = new FixedTimeProvider(Start);
        var port = MailApp.FreePort();
        // The background sender stays out of the way (its first pass is an hour away): the test makes the passes.
        var settings = new Dictionary<string, string> { ["Reminders:PollSeconds"] = "3600", ["Reminders:ScanMinutes"] = "15" };
        try
        {
            using var smtp = SimpleSmtpServer.Start(port);
            await using var first = await MailApp.StartAsync(clock, port, key, settings);
            await first.SetEmailsAsync("agent01", "sup1");
            var month = await first.OpenMonthAsync();
            var ym = YearMonth.Parse(month);
            var policy = await first.WithServiceAsync<PolicyStore, Core.Policy.PolicyDocument>(p => p.InForceAsync(ym, Ct));
            clock.Now = new DateTimeOffset(WindowRules.Opens(policy, ym).ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(8));
            await using var second = await MailApp.StartAsync(clock, port, key, settings);

            var scans = await RaceAsync(first, second);
            Assert.Equal(1, scans.Count(s => s is not null));
            Assert.Equal(2, scans.Single(s => s is not null));
            Assert.Equal(2, await first.DbAsync(db => db.Outbox.CountAsync(Ct)));

            // The same interval: neither scans again.
            clock.Now = clock.Now.AddMinutes(14);
            Assert.All(await RaceAsync(first, second), s => Assert.Null(s));

            // The next one: one of them scans (and finds the reminders queued already).
            clock.Now = clock.Now.AddMinutes(1);
            Assert.Equal([0], (await RaceAsync(first, second)).Where(s => s is not null));
            Assert.Equal(2, await first.DbAsync(db => db.Outbox.CountAsync(Ct)));
            var lease = await second.DbAsync(db => db.JobLeases.AsNoTracking().SingleAsync(Ct));
            Assert.Equal(JobLease.ReminderScan, lease.Job);
            Assert.Equal(clock.Now.UtcDateTime, lease.RunAt);
        }
        finally
        {
            await MailApp.DropAsync(key);
        }
    }

    /// <summary>Both instances' scans, let go together.</summary>
    private static async Task<int?[]> RaceAsync(MailApp first, MailApp second)
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var scans = new[] { first, second }.Select(app => Task.Run(async () =>
        {
            await gate.Task;
            return await app.WithServiceAsync<ScanReminders, int?>(s => s.RunIfDueAsync(Every, Ct));
        })).ToList();
        gate.SetResult();
        return await Task.WhenAll(scans);
    }
}
