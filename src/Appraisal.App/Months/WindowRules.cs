using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Data;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Months;

/// <summary>The appraisal window of a month: days of the following month set by the policy (第六条 3~6日, D17).</summary>
public static class WindowRules
{
    /// <summary>The last day on which sheets of <paramref name="month"/> may be saved without an extension.</summary>
    public static DateOnly Deadline(PolicyDocument policy, YearMonth month)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var next = month.Next;

        // A policy may name a day the month lacks (e.g. 31): the window then ends on the month's last day.
        return new DateOnly(next.Year, next.Month, Math.Min(policy.Process.AppraisalWindow.ToDay, next.DaysInMonth));
    }

    /// <summary>
    /// The month being appraised on <paramref name="today"/> (a company date): the one whose window (第六条, 3~6日) is
    /// open today or is the next to open. From the 1st to the 6th that is last month (its window is now or days away);
    /// from the 7th, last month's window has closed and the next window to open is this month's.
    /// </summary>
    public static YearMonth AppraisedMonth(PolicyDocument policy, DateOnly today)
    {
        var previous = YearMonth.FromDate(today).Previous;
        return today <= Deadline(policy, previous) ? previous : previous.Next;
    }

    /// <summary>The first day of the window (shown to people; saving earlier is allowed).</summary>
    public static DateOnly Opens(PolicyDocument policy, YearMonth month)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var next = month.Next;
        return new DateOnly(next.Year, next.Month, Math.Min(policy.Process.AppraisalWindow.FromDay, next.DaysInMonth));
    }

    /// <summary>The latest day HR has extended the window to for this person (D17), or null.</summary>
    public static Task<DateOnly?> ExtendedUntilAsync(AppDbContext db, int monthId, int personId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.WindowExtensions.AsNoTracking()
            .Where(e => e.MonthId == monthId && e.PersonId == personId)
            .OrderByDescending(e => e.Until)
            .Select(e => (DateOnly?)e.Until)
            .FirstOrDefaultAsync(ct);
    }
}
