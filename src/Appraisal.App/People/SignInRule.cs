using System.Security.Cryptography;
using Appraisal.App.Data;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.People;

/// <summary>
/// Whose account may be signed in (issue 7 §3), the one rule for the sign-in page and for the check of every
/// request's session: an account that is not locked, whose person — if it has one; the administrator has none — is
/// marked active and has not left. The leaving date is the person's last working day, as <c>ComputeResults</c> counts
/// it: the account signs in that day and no longer from the next (company's day, <see cref="Months.CompanyClock"/>).
/// </summary>
public static class SignInRule
{
    /// <summary>True when a person marked <paramref name="active"/> with <paramref name="leaveDate"/> may still be signed in on <paramref name="today"/>.</summary>
    public static bool PersonMaySignIn(bool active, DateOnly? leaveDate, DateOnly today) => active && (leaveDate is not { } left || left >= today);

    /// <summary>True when the account's person (if any) may be signed in on <paramref name="today"/>; one query by key, none when the person was read with the account.</summary>
    public static async Task<bool> PersonMaySignInAsync(AppDbContext db, AppUser user, DateOnly today, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(user);
        if (user.PersonId is not { } id)
        {
            return true;
        }

        // Read with the account already (the per-request session check, SessionValidator): no second query.
        if (user.Person is { } loaded && loaded.Id == id)
        {
            return PersonMaySignIn(loaded.Active, loaded.LeaveDate, today);
        }

        var person = await db.People.AsNoTracking().Where(p => p.Id == id).Select(p => new { p.Active, p.LeaveDate }).FirstOrDefaultAsync(ct);
        return person is not null && PersonMaySignIn(person.Active, person.LeaveDate, today);
    }

    /// <summary>A new security stamp: every cookie issued under the old one is refused from the next request on.</summary>
    public static string NewSecurityStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(20));

    /// <summary>The lock the administrator sets (停用): until unlocked, whatever the date.</summary>
    public static readonly DateTimeOffset LockedForGood = DateTimeOffset.MaxValue;

    /// <summary>True when <paramref name="lockoutEnd"/> is the administrator's lock rather than a lock of some minutes.</summary>
    public static bool IsLockedForGood(DateTimeOffset? lockoutEnd) => lockoutEnd is { } end && end.Year >= 9999;
}
