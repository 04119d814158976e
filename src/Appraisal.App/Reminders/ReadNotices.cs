using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.Pay;
using Appraisal.App.People;
using Appraisal.App.Policy;
using Appraisal.App.Results;
using Appraisal.Core.Months;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Reminders;

/// <summary>A notice on the home page: what is due and by when, with the page to do it on.</summary>
public sealed record Notice(string Text, string Url);

/// <summary>
/// The home page's notices (issue 9), the in-app side of the reminders, read from the data as it is now (so they
/// show whether or not e-mail is set up): an unsubmitted sheet while the window is open (agents, supervisors),
/// a month ready to confirm (the general manager), a published result and the appeal period (agents), open
/// appeals (HR). Each time in the company's time zone.
/// </summary>
public sealed class ReadNotices(AppDbContext db, Access access, PolicyStore policies, CompanyClock clock)
{
    public const int MaxAppealsListed = 5;

    public async Task<List<Notice>> ForAsync(Actor actor, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var notices = new List<Notice>();
        var open = await db.Months.AsNoTracking().Where(m => m.Status == MonthStatus.Open).OrderBy(m => m.Month).ToListAsync(ct);

        if ((actor.IsAgent || actor.IsSupervisor) && actor.PersonId is { } me)
        {
            var among = actor.IsSupervisor ? (await access.VisiblePeopleAsync(actor, ct))! : [me];
            foreach (var month in open)
            {
                var ym = YearMonth.Parse(month.Month);
                var days = WindowDays.Of(await policies.InForceAsync(ym, ct), ym, clock.Today);
                if (!days.IsOpen)
                {
                    continue;
                }

                var deadline = ReminderText.Time(ReminderText.EndOfDay(clock, days.Deadline));
                var late = await WhoIsLate.UnsubmittedAsync(db, month, among, ct);
                if (actor.IsAgent && late.Self.Any(p => p.Id == me))
                {
                    notices.Add(new(ReminderText.SelfSheet(month.Month, deadline, days.DueTomorrow).Local, $"/Sheets/Edit?month={month.Month}&person={me}&kind=Self"));
                }

                if (actor.IsSupervisor && late.BySupervisor.TryGetValue(me, out var team))
                {
                    notices.Add(new(ReminderText.TeamSheets(month.Month, team.Count, WhoIsLate.Names(team), deadline, days.DueTomorrow).Local, $"/Months/Team?month={month.Month}"));
                }
            }
        }

        if (actor.IsGeneralManager)
        {
            notices.AddRange(open.Where(m => m.ComputedAt is not null)
                .Select(m => new Notice(ReminderText.ReadyToConfirm(m.Month).Local, $"/Results/Month?month={m.Month}")));
        }

        if (actor.IsAgent && actor.PersonId is { } self)
        {
            await AddPublishedAsync(notices, self, ct);
        }

        if (actor.IsHr)
        {
            var appeals = await db.Appeals.AsNoTracking().Where(a => a.Status == AppealStatus.Open).OrderBy(a => a.At)
                .Join(db.Months, a => a.MonthId, m => m.Id, (a, m) => new { a.At, m.Month, a.PersonId })
                .Join(db.People, x => x.PersonId, p => p.Id, (x, p) => new { x.At, x.Month, Who = p.Name + "（" + p.EmployeeNo + "）" })
                .Take(MaxAppealsListed + 1).ToListAsync(ct);
            notices.AddRange(appeals.Take(MaxAppealsListed)
                .Select(a => new Notice(ReminderText.AppealFiled(a.Month, a.Who, ReminderText.Time(clock.Local(a.At))).Local, "/Results/Appeals")));
            if (appeals.Count > MaxAppealsListed)
            {
                notices.Add(new(Localization.L.T("还有更多待处理的复议", "More appeals are waiting"), "/Results/Appeals"));
            }
        }

        return notices;
    }

    // The agent's published results not yet acknowledged whose appeal period has not ended (at most the last few months).
    private async Task AddPublishedAsync(List<Notice> notices, int self, CancellationToken ct)
    {
        var recent = await db.Results.AsNoTracking().Where(r => r.PersonId == self && !db.Acknowledgements.Any(a => a.MonthId == r.MonthId && a.PersonId == self))
            .Join(db.Months.Where(m => m.Status == MonthStatus.Confirmed), r => r.MonthId, m => m.Id, (r, m) => new { Month = m, r.PolicyVersion })
            .OrderByDescending(x => x.Month.Month).Take(3).ToListAsync(ct);
        if (recent.Count == 0)
        {
            return;
        }

        var docs = await ResultPolicies.LoadAsync(db, recent.Select(x => x.PolicyVersion), ct);
        foreach (var x in recent)
        {
            var policy = docs[x.PolicyVersion];
            if (AppealWindow.LastDay(x.Month, policy, clock) is { } last && clock.Today <= last)
            {
                notices.Add(new(ReminderText.Published(x.Month.Month, policy.Process.AppealDays, ReminderText.Time(ReminderText.EndOfDay(clock, last))).Local,
                    $"/Pay/Payslip?month={x.Month.Month}&person={self}"));
            }
        }
    }
}
