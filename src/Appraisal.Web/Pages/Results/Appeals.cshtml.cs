using Appraisal.Web.Data;
using Appraisal.Web.Results;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using static Appraisal.Web.Localization.L;

namespace Appraisal.Web.Pages.Results;

/// <summary>An appeal with who filed it, for the list.</summary>
public sealed record AppealRow(Appeal Appeal, string Month, string EmployeeNo, string Name, string? Team);

/// <summary>Open and decided appeals (D16) for HR and the general manager, who decide them with a note.</summary>
public sealed class AppealsModel(AppDbContext db, DecideAppeal decide) : GuardedPageModel
{
    public IReadOnlyList<AppealRow> Open { get; private set; } = [];

    public IReadOnlyList<AppealRow> Decided { get; private set; } = [];

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ReadAsync(() => LoadAsync(ct));

    public Task<IActionResult> OnPostDecideAsync(int appealId, int version, bool upheld, string? note, CancellationToken ct) => ChangeAsync(
        async () =>
        {
            await decide.ExecuteAsync(Me, appealId, upheld, note, version, ct);
            return upheld
                ? T("已支持复议：该员工的主管评分表已重新开启，本月回到进行中，须重新计算并确认（D16）", "Appeal upheld: the supervisor sheet is reopened and the month is open again; recompute and confirm (D16)")
                : T("已驳回复议", "Appeal rejected");
        },
        () => LoadAsync(ct),
        "/Results/Appeals");

    private async Task LoadAsync(CancellationToken ct)
    {
        if (!Me.SeesEveryone)
        {
            throw UserError.Forbidden();
        }

        var rows = await db.Appeals.AsNoTracking()
            .Join(db.Months, a => a.MonthId, m => m.Id, (a, m) => new { a, m.Month })
            .Join(db.People, x => x.a.PersonId, p => p.Id, (x, p) => new AppealRow(x.a, x.Month, p.EmployeeNo, p.Name, p.Team != null ? p.Team.Name : null))
            .ToListAsync(ct);
        Open = rows.Where(r => r.Appeal.Status == AppealStatus.Open).OrderBy(r => r.Appeal.At).ToList();
        Decided = rows.Where(r => r.Appeal.Status != AppealStatus.Open).OrderByDescending(r => r.Appeal.DecidedAt).ToList();
    }
}
