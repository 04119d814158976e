// The company of the morning of the 3rd (issue 10 §1), for the load benchmark (bench/Appraisal.Bench.Rush) and its
// short run in CI (tests/Appraisal.Web.Tests/Reliability/RushTests.cs), compiled into each as a linked file: the
// same people, accounts and month everywhere. The people and facts are ManyAgents' (distinct names, varied facts).
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Sheets;
using Appraisal.Core.Months;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Appraisal.Bench;

/// <summary>One account of the rush: who signs in, as which person, and (for a supervisor) whom they assess.</summary>
public sealed record RushUser(string UserName, int PersonId, IReadOnlyList<int> Team);

/// <summary>The accounts of the rush and the month they appraise.</summary>
public sealed record RushRoster(YearMonth Month, string Password, string Hr, IReadOnlyList<RushUser> Agents, IReadOnlyList<RushUser> Supervisors);

/// <summary>
/// A company on the morning of the 3rd: HR, <c>supervisors</c> supervisors each with a team of agents, every one with
/// an account, the month being appraised open with its facts entered and no sheet yet (第六条: the window of the
/// 3rd–6th). Accounts share one password hash, made once by Identity's own hasher at full strength: seeding 3 000
/// accounts need not hash 3 000 times, and signing in costs exactly what it costs for any account.
/// </summary>
public static class RushCompany
{
    /// <summary>The month whose sheets can be saved today: last month until the 5th (UTC), this month after (WindowRules).</summary>
    public static YearMonth MonthOpenToday()
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var month = YearMonth.FromDate(today);
        return today.Day <= 5 ? month.Previous : month;
    }

    /// <summary>Seeds the company into the (migrated) database of <paramref name="services"/> and returns its accounts.</summary>
    public static async Task<RushRoster> SeedAsync(IServiceProvider services, int agents, int supervisors, string password)
    {
        ArgumentNullException.ThrowIfNull(services);
        var month = MonthOpenToday();
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var hr = new Person { EmployeeNo = "H001", Name = "人事" + ManyAgents.Name(11 * ManyAgents.Offset), Role = Roles.Hr, HireDate = month.FirstDay.AddYears(-3) };
            db.People.Add(hr);
            db.Months.Add(new AppraisalMonth { Month = month.ToString(), Status = MonthStatus.Open, OpenedAt = DateTime.UtcNow, OpenedBy = "hr" });
            await db.SaveChangesAsync();
            var account = new AppUser { UserName = "hr", PersonId = hr.Id };
            Check(await users.CreateAsync(account, password));
            Check(await users.AddToRoleAsync(account, Roles.Hr));
        }

        var teamSize = (agents + supervisors - 1) / supervisors;
        var teams = await ManyAgents.AddAsync(services, month.ToString(), agents, teamSize);
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var hash = users.PasswordHasher.HashPassword(new AppUser(), password);
            var roles = await db.Roles.ToDictionaryAsync(r => r.Name!, r => r.Id);
            var bosses = await db.Teams.AsNoTracking().Where(t => teams.Contains(t.Id)).ToDictionaryAsync(t => t.Id, t => t.SupervisorId);
            var people = await db.People.AsNoTracking()
                .Where(p => (p.TeamId != null && teams.Contains(p.TeamId.Value)) || bosses.Values.Contains(p.Id))
                .Select(p => new { p.Id, p.EmployeeNo, p.Role, p.TeamId }).ToListAsync();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            await using var transaction = await db.Database.BeginTransactionAsync();
            foreach (var p in people)
            {
                var name = p.EmployeeNo.ToLowerInvariant();
                var user = new AppUser
                {
                    UserName = name,
                    NormalizedUserName = users.NormalizeName(name),
                    PersonId = p.Id,
                    PasswordHash = hash,
                    SecurityStamp = SignInRule.NewSecurityStamp(),
                    LockoutEnabled = true,
                };
                db.Users.Add(user);
                db.UserRoles.Add(new IdentityUserRole<string> { UserId = user.Id, RoleId = roles[p.Role] });
            }

            await db.SaveChangesAsync();
            await transaction.CommitAsync();

            var members = people.Where(p => p.Role == Roles.Agent).ToLookup(p => p.TeamId!.Value, p => p.Id);
            var agentUsers = people.Where(p => p.Role == Roles.Agent).OrderBy(p => p.EmployeeNo, StringComparer.Ordinal)
                .Select(p => new RushUser(p.EmployeeNo.ToLowerInvariant(), p.Id, [])).ToList();
            var supervisorUsers = teams.Select(t => people.Single(p => p.Id == bosses[t]))
                .Select(p => new RushUser(p.EmployeeNo.ToLowerInvariant(), p.Id, members[teams.Single(t => bosses[t] == p.Id)].ToList())).ToList();
            return new RushRoster(month, password, "hr", agentUsers, supervisorUsers);
        }
    }

    /// <summary>
    /// "Nothing lost": every submit the application acknowledged is in the database as submitted, with the scores
    /// sent. Returns one line per sheet that is missing, not submitted or different (empty when nothing was lost).
    /// </summary>
    public static async Task<List<string>> LostAsync(IServiceProvider services, YearMonth month, IReadOnlyDictionary<(int Person, SheetKind Kind), IReadOnlyDictionary<string, int>> acknowledged)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(acknowledged);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var monthId = await db.Months.Where(m => m.Month == month.ToString()).Select(m => m.Id).SingleAsync();
        var stored = (await db.Sheets.AsNoTracking().Include(s => s.Items).Where(s => s.MonthId == monthId).ToListAsync())
            .ToDictionary(s => (s.PersonId, s.Kind));
        var lost = new List<string>();
        foreach (var ((person, kind), scores) in acknowledged)
        {
            if (!stored.TryGetValue((person, kind), out var sheet))
            {
                lost.Add($"person {person} {kind}: acknowledged, not in the database");
            }
            else if (sheet.SubmittedAt is null)
            {
                lost.Add($"person {person} {kind}: acknowledged, stored as a draft");
            }
            else if (sheet.Items.Count != scores.Count || sheet.Items.Any(i => !scores.TryGetValue(i.ItemKey, out var s) || s != i.Score))
            {
                lost.Add($"person {person} {kind}: stored scores differ from the acknowledged ones");
            }
        }

        return lost;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
