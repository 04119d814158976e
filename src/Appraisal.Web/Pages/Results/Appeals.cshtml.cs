using Appraisal.App.Results;
using Appraisal.Web.Results;
using Microsoft.AspNetCore.Mvc;
using static Appraisal.App.Localization.L;

namespace Appraisal.Web.Pages.Results;

/// <summary>Open and decided appeals (D16) for HR and the general manager, who decide them with a note.</summary>
public sealed class AppealsModel(ReadAppeals read, DecideAppeal decide, ReadActionSummary summary) : GuardedPageModel
{
    /// <summary>Set by the first press of 支持: what upholding reopens, asked once before it is done.</summary>
    public AppealActionSummary? Pending { get; private set; }

    /// <summary>The note typed, carried into the confirmation panel.</summary>
    public string? Note { get; private set; }

    public IReadOnlyList<AppealRow> Open { get; private set; } = [];

    public IReadOnlyList<AppealRow> Decided { get; private set; } = [];

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ReadAsync(() => LoadAsync(ct));

    public async Task<IActionResult> OnPostDecideAsync(int appealId, int version, bool upheld, string? note, bool confirmed, CancellationToken ct)
    {
        if (upheld && !confirmed && !string.IsNullOrWhiteSpace(note))
        {
            Note = note;
            return await ReadAsync(async () =>
            {
                await LoadAsync(ct);
                Pending = await summary.AppealAsync(Me, appealId, ct);
            });
        }

        return await ChangeAsync(
            async () =>
            {
                await decide.ExecuteAsync(Me, appealId, upheld, note, version, ct);
                return upheld
                    ? T("已支持复议：该员工的主管评分表已重新开启，本月回到进行中，须重新计算并确认", "Appeal upheld: the supervisor sheet is reopened and the month is open again; recompute and confirm")
                    : T("已驳回复议", "Appeal rejected");
            },
            () => LoadAsync(ct),
            "/Results/Appeals");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var rows = await read.ExecuteAsync(Me, ct: ct);
        Open = rows.Where(r => r.Appeal.Status == AppealStatus.Open).OrderBy(r => r.Appeal.At).ToList();
        Decided = rows.Where(r => r.Appeal.Status != AppealStatus.Open).OrderByDescending(r => r.Appeal.DecidedAt).ToList();
    }
}
