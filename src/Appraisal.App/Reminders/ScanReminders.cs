using System.Globalization;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Policy;
using Appraisal.Core.Months;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Reminders;

/// <summary>
/// The dated reminders (issue 9): on the window's opening day (第六条, the 3rd) and on the day before its
/// deadline, each agent with an unsubmitted self-assessment and each supervisor with unsubmitted team sheets
/// gets an e-mail. Run by the background sender every few minutes; each message's key holds the day it is for,
/// so a scan run again (or by a second instance) queues nothing new; and of several instances polling together, one
/// scans (<see cref="RunIfDueAsync"/>, issue 10 §3).
/// </summary>
public sealed class ScanReminders(AppDbContext db, Outbox outbox, PolicyStore policies, CompanyClock clock, ILogger<ScanReminders> log)
{
    /// <summary>
    /// The scan, once per <paramref name="every"/> for the whole cluster (<see cref="JobLease"/>): null when another
    /// instance (or this one) scanned less than <paramref name="every"/> ago, else how many messages were queued.
    /// </summary>
    public async Task<int?> RunIfDueAsync(TimeSpan every, CancellationToken ct)
    {
        if (!outbox.Enabled || !await JobLease.ClaimAsync(db, JobLease.ReminderScan, every, clock.UtcNow, ct))
        {
            return null;
        }

        return await RunAsync(ct);
    }

    /// <returns>How many messages were queued.</returns>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        if (!outbox.Enabled)
        {
            return 0;
        }

        var queued = 0;
        var open = await db.Months.AsNoTracking().Where(m => m.Status == MonthStatus.Open).OrderBy(m => m.Month).ToListAsync(ct);
        foreach (var month in open)
        {
            var ym = YearMonth.Parse(month.Month);
            var days = WindowDays.Of(await policies.InForceAsync(ym, ct), ym, clock.Today);
            if (!days.OpeningDue && !days.DueTomorrow)
            {
                continue;
            }

            var dueTomorrow = days.DueTomorrow;
            var kind = dueTomorrow ? ReminderKinds.WindowDue : ReminderKinds.WindowOpen;
            var occasion = (dueTomorrow ? days.Today : days.Opens).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            var deadline = ReminderText.Time(ReminderText.EndOfDay(clock, days.Deadline));
            var late = await WhoIsLate.UnsubmittedAsync(db, month, null, ct);
            var already = (await db.Outbox.AsNoTracking().Where(m => m.Kind == kind && m.Month == month.Month && m.Occasion == occasion)
                .Select(m => m.UserId).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);

            foreach (var agent in await outbox.OfPeopleAsync([.. late.Self.Select(p => p.Id)], ct))
            {
                queued += await AddAsync(agent, kind, month.Month, occasion, already, ReminderText.SelfSheet(month.Month, deadline, dueTomorrow),
                    $"/Sheets/Edit?month={month.Month}&person={agent.PersonId}&kind=Self", ct);
            }

            foreach (var supervisor in await outbox.OfPeopleAsync([.. late.BySupervisor.Keys], ct))
            {
                var team = late.BySupervisor[supervisor.PersonId!.Value];
                queued += await AddAsync(supervisor, kind, month.Month, occasion, already,
                    ReminderText.TeamSheets(month.Month, team.Count, WhoIsLate.Names(team), deadline, dueTomorrow), $"/Months/Team?month={month.Month}", ct);
            }
        }

        return queued;
    }

    // One save per message: a second instance that queued the same key first makes this one's insert fail on the
    // unique index, which only means it is already there.
    private async Task<int> AddAsync(Recipient to, string kind, string month, string occasion, HashSet<string> already, Words text, string path, CancellationToken ct)
    {
        if (already.Contains(to.UserId))
        {
            return 0;
        }

        var message = outbox.Message(to, kind, month, occasion, text, path);
        db.Outbox.Add(message);
        try
        {
            await db.SaveChangesAsync(ct);
            return 1;
        }
        catch (DbUpdateException e)
        {
            db.Entry(message).State = EntityState.Detached;
            log.LogInformation(e, "Reminder {Kind} {Month} {Occasion} for {User} was queued meanwhile", kind, month, occasion, to.UserId);
            return 0;
        }
    }
}
