using Appraisal.App.Data;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.People;

/// <summary>A person in the list.</summary>
public sealed record PersonRow(int Id, string EmployeeNo, string Name, string Role, string? Team, bool Active, DateOnly HireDate, DateOnly? LeaveDate);

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

    public async Task<IReadOnlyList<PersonRow>> ListAsync(Actor actor, CancellationToken ct = default)
    {
        EnsureSeesEveryone(actor);
        return await Rows(db.People.OrderBy(p => p.EmployeeNo)).ToListAsync(ct);
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
