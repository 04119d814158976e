using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Results;
using Appraisal.App.Sheets;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Reminders;

/// <summary>Where today is in a month's window (第六条 3~6日, D17), in the company's calendar.</summary>
public sealed record WindowDays(DateOnly Opens, DateOnly Deadline, DateOnly Today)
{
    public static WindowDays Of(PolicyDocument policy, YearMonth month, DateOnly today) =>
        new(WindowRules.Opens(policy, month), WindowRules.Deadline(policy, month), today);

    /// <summary>The window is open today (the home page's notices).</summary>
    public bool IsOpen => Opens <= Today && Today <= Deadline;

    /// <summary>Today is the day before the deadline: the second e-mail.</summary>
    public bool DueTomorrow => Today == Deadline.AddDays(-1);

    /// <summary>
    /// The opening e-mail is due from the opening day until the day before the deadline, when the second one
    /// takes over; a sender that was down on the 3rd still sends it on the 4th (once: its key is the opening day).
    /// </summary>
    public bool OpeningDue => Opens <= Today && Today < Deadline.AddDays(-1);
}

/// <summary>The sheets of an open month not yet submitted: each agent's own, and each supervisor's for their team.</summary>
public sealed record Unsubmitted(IReadOnlyList<Person> Self, IReadOnlyDictionary<int, List<Person>> BySupervisor);

/// <summary>Who has not submitted a sheet of a month, one rule for the notices and the e-mails.</summary>
public static class WhoIsLate
{
    /// <param name="among">Only these people (the signed-in person or their team), or null for everyone.</param>
    public static async Task<Unsubmitted> UnsubmittedAsync(AppDbContext db, AppraisalMonth month, IReadOnlyCollection<int>? among, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(month);
        var appraised = await ComputeResults.AppraisedPeopleAsync(db, YearMonth.Parse(month.Month), ct);
        if (among is not null)
        {
            appraised = [.. appraised.Where(p => among.Contains(p.Id))];
        }

        var sheets = db.Sheets.Where(s => s.MonthId == month.Id && s.SubmittedAt != null);
        if (among is not null)
        {
            sheets = sheets.Where(s => among.Contains(s.PersonId));
        }

        var submitted = (await sheets.Select(s => new { s.PersonId, s.Kind }).ToListAsync(ct)).ToHashSet();
        var supervisors = await db.Teams.AsNoTracking().Where(t => t.SupervisorId != null).ToDictionaryAsync(t => t.Id, t => t.SupervisorId!.Value, ct);
        var self = appraised.Where(p => !submitted.Contains(new { PersonId = p.Id, Kind = SheetKind.Self })).ToList();
        var bySupervisor = appraised
            .Where(p => !submitted.Contains(new { PersonId = p.Id, Kind = SheetKind.Supervisor }) && p.TeamId is { } t && supervisors.ContainsKey(t))
            .GroupBy(p => supervisors[p.TeamId!.Value])
            .ToDictionary(g => g.Key, g => g.ToList());
        return new Unsubmitted(self, bySupervisor);
    }

    /// <summary>Names for a message: the first few, then how many more.</summary>
    public static string Names(IReadOnlyList<Person> people)
    {
        ArgumentNullException.ThrowIfNull(people);
        const int Shown = 5;
        var names = string.Join("、", people.Take(Shown).Select(p => p.Name));
        return people.Count > Shown ? $"{names} +{people.Count - Shown}" : names;
    }
}
