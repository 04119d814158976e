using Appraisal.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Pages.People;

/// <summary>One person, for HR and the general manager (D19): who they are, their team and accounts.</summary>
public sealed class DetailModel(AppDbContext db) : GuardedPageModel
{
    [BindProperty(SupportsGet = true)]
    public int Id { get; set; }

    public PersonRow? Person { get; private set; }

    public string? Supervisor { get; private set; }

    public IReadOnlyList<string> Accounts { get; private set; } = [];

    public int Results { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ReadAsync(async () =>
    {
        if (!Me.SeesEveryone)
        {
            throw UserError.Forbidden();
        }

        Person = await db.People.AsNoTracking().Where(p => p.Id == Id)
            .Select(p => new PersonRow(p.Id, p.EmployeeNo, p.Name, p.Role, p.Team != null ? p.Team.Name : null, p.Active, p.HireDate, p.LeaveDate))
            .FirstOrDefaultAsync(ct) ?? throw UserError.NotFound();
        Supervisor = await db.People.AsNoTracking().Where(p => p.Id == Id && p.Team != null && p.Team.Supervisor != null)
            .Select(p => p.Team!.Supervisor!.Name).FirstOrDefaultAsync(ct);
        Accounts = await db.Users.AsNoTracking().Where(u => u.PersonId == Id).Select(u => u.UserName!).ToListAsync(ct);
        Results = await db.Results.CountAsync(r => r.PersonId == Id, ct);
    });
}
