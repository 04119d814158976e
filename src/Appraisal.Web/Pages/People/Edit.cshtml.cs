using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.People;
using Appraisal.Web.People;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using static Appraisal.App.Localization.L;

namespace Appraisal.Web.Pages.People;

/// <summary>HR adds a person or changes one: number, name, role, team, hiring and leaving dates.</summary>
public sealed class EditModel(AppDbContext db, SavePerson save) : GuardedPageModel
{
    // The text fields stay "" when left empty (model binding would make them null, and the checks then fail with a 500).
    [BindProperty(SupportsGet = true)]
    public int? Id { get; set; }

    [BindProperty]
    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string EmployeeNo { get; set; } = string.Empty;

    [BindProperty]
    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string Name { get; set; } = string.Empty;

    [BindProperty]
    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string Role { get; set; } = Roles.Agent;

    [BindProperty]
    public int? TeamId { get; set; }

    [BindProperty]
    [DisplayFormat(ConvertEmptyStringToNull = false)]
    public string HireDate { get; set; } = string.Empty;

    [BindProperty]
    public string? LeaveDate { get; set; }

    [BindProperty]
    public bool Active { get; set; } = true;

    [BindProperty]
    public int? Version { get; set; }

    public IReadOnlyList<(int Id, string Name)> Teams { get; private set; } = [];

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ReadAsync(async () =>
    {
        await LoadTeamsAsync(ct);
        if (Id is { } id)
        {
            var p = await db.People.AsNoTracking().FirstOrDefaultAsync(x => x.Id == id, ct) ?? throw UserError.NotFound();
            (EmployeeNo, Name, Role, TeamId, Active, Version) = (p.EmployeeNo, p.Name, p.Role, p.TeamId, p.Active, p.Version);
            HireDate = Iso(p.HireDate);
            LeaveDate = p.LeaveDate is { } left ? Iso(left) : null;
        }
    });

    public Task<IActionResult> OnPostAsync(CancellationToken ct) => ChangeAsync(
        async () =>
        {
            // Refused before the form is read: whoever may not keep the list learns nothing from its checks.
            SavePerson.EnsureMayEdit(Me);
            if (!DateOnly.TryParseExact(HireDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var hired))
            {
                throw new UserError("请填写入职日期（YYYY-MM-DD）", "enter the hiring date (YYYY-MM-DD)");
            }

            DateOnly? left = null;
            if (!string.IsNullOrWhiteSpace(LeaveDate))
            {
                left = DateOnly.TryParseExact(LeaveDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                    ? d
                    : throw new UserError("离职日期格式应为 YYYY-MM-DD", "the leaving date must be YYYY-MM-DD");
            }

            var person = await save.ExecuteAsync(Me, Id, new PersonInput(EmployeeNo, Name, Role, TeamId, hired, left, Active), Version, ct);
            return T($"已保存 {person.Name}", $"{person.Name} saved");
        },
        () => LoadTeamsAsync(ct),
        "/People");

    private async Task LoadTeamsAsync(CancellationToken ct)
    {
        // The form is HR's (the general manager reads people on their detail page): the command's own rule.
        SavePerson.EnsureMayEdit(Me);
        Teams = [.. (await db.Teams.AsNoTracking().OrderBy(t => t.Name).Select(t => new { t.Id, t.Name }).ToListAsync(ct)).Select(t => (t.Id, t.Name))];
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
