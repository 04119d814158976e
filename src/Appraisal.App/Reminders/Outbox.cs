using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.Pay;
using Appraisal.App.People;
using Appraisal.App.Results;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Reminders;

/// <summary>An account that receives e-mail: its address and the name to greet.</summary>
public sealed record Recipient(string UserId, int? PersonId, string Email, string Name);

/// <summary>
/// Queues reminders in the stored outbox (issue 9). The commands call it before their own save, so that the
/// message is written in the same transaction as the change it tells about (a refused change queues nothing);
/// the daily scan (<see cref="ScanReminders"/>) queues the dated ones. Nothing is queued while e-mail is off,
/// and only for accounts with an address. Sending is <see cref="SendOutbox"/>'s.
/// </summary>
public sealed class Outbox(AppDbContext db, MailSettings settings, CompanyClock clock)
{
    public bool Enabled => settings.Enabled;

    /// <summary>The accounts with an e-mail address of these people.</summary>
    public async Task<List<Recipient>> OfPeopleAsync(IReadOnlyCollection<int> personIds, CancellationToken ct)
    {
        if (!Enabled || personIds.Count == 0)
        {
            return [];
        }

        return await db.Users.AsNoTracking()
            .Where(u => u.PersonId != null && personIds.Contains(u.PersonId.Value) && u.Email != null && u.Email != string.Empty)
            .Select(u => new Recipient(u.Id, u.PersonId, u.Email!, u.Person != null ? u.Person.Name : u.UserName!))
            .ToListAsync(ct);
    }

    /// <summary>The accounts with an e-mail address in <paramref name="role"/> (HR, the general manager).</summary>
    public async Task<List<Recipient>> InRoleAsync(string role, CancellationToken ct)
    {
        if (!Enabled)
        {
            return [];
        }

        return await (from u in db.Users.AsNoTracking()
                      join ur in db.UserRoles on u.Id equals ur.UserId
                      join r in db.Roles on ur.RoleId equals r.Id
                      where r.Name == role && u.Email != null && u.Email != string.Empty
                      select new Recipient(u.Id, u.PersonId, u.Email!, u.Person != null ? u.Person.Name : u.UserName!))
            .ToListAsync(ct);
    }

    /// <summary>Adds the message to the change being saved, unless its key is already in the outbox.</summary>
    public async Task QueueAsync(Recipient to, string kind, string month, string occasion, Words text, string path, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(text);
        if (!Enabled || await db.Outbox.AnyAsync(m => m.Kind == kind && m.UserId == to.UserId && m.Month == month && m.Occasion == occasion, ct))
        {
            return;
        }

        db.Outbox.Add(Message(to, kind, month, occasion, text, path));
    }

    /// <summary>The message itself, not yet added.</summary>
    public OutboxMessage Message(Recipient to, string kind, string month, string occasion, Words text, string path)
    {
        ArgumentNullException.ThrowIfNull(to);
        ArgumentNullException.ThrowIfNull(text);
        var subject = ReminderText.Subject(kind, month);
        var now = clock.UtcNow;
        return new OutboxMessage
        {
            Kind = kind,
            UserId = to.UserId,
            Month = month,
            Occasion = occasion,
            To = to.Email,
            Subject = Cut($"{subject.Zh} · {subject.En}", OutboxMessage.MaxSubjectLength),
            Body = Cut(ReminderText.Body(to.Name, text, settings.Link(path)), OutboxMessage.MaxBodyLength),
            Status = OutboxStatus.Pending,
            CreatedAt = now,
            NextAttemptAt = now,
        };
    }

    /// <summary>The general manager: the month's results are computed and wait for confirmation (from <see cref="ComputeResults"/>).</summary>
    public async Task ReadyToConfirmAsync(AppraisalMonth month, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(month);
        if (!Enabled || month.OpenedBy == Files.HistoryImport.OpenedBy)
        {
            return;
        }

        var occasion = await ConfirmationsAsync(month, ct);
        foreach (var gm in await InRoleAsync(Roles.GeneralManager, ct))
        {
            await QueueAsync(gm, ReminderKinds.ReadyToConfirm, month.Month, occasion, ReminderText.ReadyToConfirm(month.Month), $"/Results/Month?month={month.Month}", ct);
        }
    }

    /// <summary>Each agent of a confirmed month: the result is published, and until when they may appeal (from <see cref="ConfirmMonth"/>).</summary>
    public async Task PublishedAsync(AppraisalMonth month, IReadOnlyCollection<int> personIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(month);
        if (!Enabled || month.PolicyVersion is null)
        {
            return;
        }

        var policy = await ResultPolicies.LoadAsync(db, month.PolicyVersion, ct);
        // The window ends with its last company day (docs/policy.md): the message names that day's last minute.
        var until = AppealWindow.LastDay(month, policy, clock) is { } last ? ReminderText.EndOfDay(clock, last) : clock.Local(clock.UtcNow);
        var text = ReminderText.Published(month.Month, policy.Process.AppealDays, ReminderText.Time(until));
        var occasion = await ConfirmationsAsync(month, ct);
        foreach (var agent in await OfPeopleAsync(personIds, ct))
        {
            await QueueAsync(agent, ReminderKinds.ResultPublished, month.Month, occasion, text, $"/Pay/Payslip?month={month.Month}&person={agent.PersonId}", ct);
        }
    }

    /// <summary>HR: an agent filed an appeal (from <see cref="FileAppeal"/>).</summary>
    public async Task AppealFiledAsync(AppraisalMonth month, int personId, DateTime at, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(month);
        if (!Enabled)
        {
            return;
        }

        var who = await db.People.AsNoTracking().Where(p => p.Id == personId).Select(p => p.Name + "（" + p.EmployeeNo + "）").FirstAsync(ct);
        var earlier = await db.Appeals.CountAsync(a => a.MonthId == month.Id && a.PersonId == personId, ct);
        var text = ReminderText.AppealFiled(month.Month, who, ReminderText.Time(clock.Local(at)));
        foreach (var hr in await InRoleAsync(Roles.Hr, ct))
        {
            await QueueAsync(hr, ReminderKinds.AppealFiled, month.Month, $"{personId}/{earlier + 1}", text, "/Results/Appeals", ct);
        }
    }

    // A month confirmed, reopened and computed again tells the general manager and the agents again: the
    // occasion is the number of confirmations before this one.
    private async Task<string> ConfirmationsAsync(AppraisalMonth month, CancellationToken ct) =>
        "c" + await db.Audit.CountAsync(a => a.Action == "month.confirm" && a.Month == month.Month, ct);

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..max];
}
