using Appraisal.App.Data;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.People;

/// <summary>A person in the list.</summary>
public sealed record PersonRow(int Id, string EmployeeNo, string Name, string Role, string? Team, bool Active, DateOnly HireDate, DateOnly? LeaveDate);

/// <summary>
/// What HR looks for in the people list: part of a name or employee number, a team (0: in no team), a role, active or
/// not; the order (<see cref="PeopleSort"/>) and the page. Everything optional.
/// </summary>
public sealed record PeopleFilter(string? Query = null, int? Team = null, string? Role = null, bool? Active = null,
    PeopleSort Sort = PeopleSort.EmployeeNo, bool Descending = false, int Page = 1);

/// <summary>The orders of the people list.</summary>
public enum PeopleSort
{
    EmployeeNo,
    Name,
    Team,
    HireDate,
}

/// <summary>One person with their supervisor, sign-in accounts and how many months of results they have.</summary>
public sealed record PersonDetail(PersonRow Person, string? Supervisor, IReadOnlyList<string> Accounts, int Results);

/// <summary>
/// The company's people list and one person's details: HR and the general manager only (D19: they see
/// everyone; an employee or a supervisor sees themselves and their team through their own pages).
/// </summary>
public sealed class ReadPeople(AppDbContext db)
{
    /// <summary>
    /// The id of the person with this employee number, for pages and batch jobs that name a person by it; a number
    /// nobody has is a 404 saying so. Who may then read what about the person is the caller's access function's rule.
    /// </summary>
    public static async Task<int> IdOfAsync(AppDbContext db, string employeeNo, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(employeeNo);
        var no = employeeNo.Trim();
        return await db.People.AsNoTracking().Where(p => p.EmployeeNo == no).Select(p => (int?)p.Id).FirstOrDefaultAsync(ct)
            ?? throw new UserError($"工号 {no} 不存在，请核对后重新输入", $"there is no employee number {no}; check it and enter it again", 404);
    }

    /// <summary>
    /// One page of the people list as <paramref name="filter"/> asks, searched, filtered, ordered and cut by the
    /// database (a company of thousands is never loaded whole); the employee number breaks ties so that pages do not overlap.
    /// </summary>
    public async Task<PageOf<PersonRow>> PageAsync(Actor actor, PeopleFilter filter, CancellationToken ct = default)
    {
        EnsureSeesEveryone(actor);
        ArgumentNullException.ThrowIfNull(filter);
        var people = db.People.AsNoTracking();
        var total = await people.CountAsync(ct);
        people = Paging.Matching(people, filter.Query);

        if (filter.Team is { } team)
        {
            people = team == 0 ? people.Where(p => p.TeamId == null) : people.Where(p => p.TeamId == team);
        }

        if (filter.Role is { Length: > 0 } role)
        {
            people = people.Where(p => p.Role == role);
        }

        if (filter.Active is { } active)
        {
            people = people.Where(p => p.Active == active);
        }

        var d = filter.Descending;
        var ordered = filter.Sort switch
        {
            PeopleSort.Name => d ? people.OrderByDescending(p => p.Name) : people.OrderBy(p => p.Name),
            PeopleSort.Team => d ? people.OrderByDescending(p => p.Team!.Name) : people.OrderBy(p => p.Team!.Name),
            PeopleSort.HireDate => d ? people.OrderByDescending(p => p.HireDate) : people.OrderBy(p => p.HireDate),
            _ => d ? people.OrderByDescending(p => p.EmployeeNo) : people.OrderBy(p => p.EmployeeNo),
        };
        return await Paging.ReadAsync(Rows(ordered.ThenBy(p => p.EmployeeNo)), filter.Page, total, ct);
    }

    /// <summary>The teams, by name, for the list's team filter.</summary>
    public async Task<IReadOnlyList<(int Id, string Name)>> TeamsAsync(Actor actor, CancellationToken ct = default)
    {
        EnsureSeesEveryone(actor);
        return (await db.Teams.AsNoTracking().OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(ct)).Select(t => (t.Id, t.Name)).ToList();
    }

    public async Task<PersonDetail> DetailAsync(Actor actor, int id, CancellationToken ct = default)
    {
        EnsureSeesEveryone(actor);
        var person = await Rows(db.People.Where(p => p.Id == id)).FirstOrDefaultAsync(ct) ?? throw UserError.NotFound();
        var supervisor = await db.People.AsNoTracking().Where(p => p.Id == id && p.Team != null && p.Team.Supervisor != null)
            .Select(p => p.Team!.Supervisor!.Name).FirstOrDefaultAsync(ct);
        var accounts = await db.Users.AsNoTracking().Where(u => u.PersonId == id).Select(u => u.UserName!).ToListAsync(ct);
        return new PersonDetail(person, supervisor, accounts, await db.Results.CountAsync(r => r.PersonId == id, ct));
    }

    private static IQueryable<PersonRow> Rows(IQueryable<Person> people) => people.AsNoTracking()
        .Select(p => new PersonRow(p.Id, p.EmployeeNo, p.Name, p.Role, p.Team != null ? p.Team.Name : null, p.Active, p.HireDate, p.LeaveDate));

    private static void EnsureSeesEveryone(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.SeesEveryone)
        {
            throw UserError.Forbidden();
        }
    }
}
