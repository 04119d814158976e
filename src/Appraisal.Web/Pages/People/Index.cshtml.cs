using Appraisal.Web.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Pages.People;

/// <summary>A person in the list.</summary>
public sealed record PersonRow(int Id, string EmployeeNo, string Name, string Role, string? Team, bool Active, DateOnly HireDate, DateOnly? LeaveDate);

/// <summary>Everyone in the company, for HR and the general manager (D19).</summary>
public sealed class IndexModel(AppDbContext db) : GuardedPageModel
{
    public IReadOnlyList<PersonRow> Rows { get; private set; } = [];

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ReadAsync(async () =>
    {
        if (!Me.SeesEveryone)
        {
            throw UserError.Forbidden();
        }

        Rows = await db.People.AsNoTracking().OrderBy(p => p.EmployeeNo)
            .Select(p => new PersonRow(p.Id, p.EmployeeNo, p.Name, p.Role, p.Team != null ? p.Team.Name : null, p.Active, p.HireDate, p.LeaveDate))
            .ToListAsync(ct);
    });
}
