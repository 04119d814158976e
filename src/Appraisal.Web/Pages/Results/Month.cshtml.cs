using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Microsoft.AspNetCore.Mvc;
using static Appraisal.App.Localization.L;

namespace Appraisal.Web.Pages.Results;

/// <summary>
/// The month overview (D16): HR computes, the general manager confirms or reopens; supervisors see their
/// team (D19). Agents are refused and use their payslip.
/// </summary>
public sealed class MonthModel(ReadMonthOverview read, ComputeResults compute, ConfirmMonth confirm, ReopenMonth reopen, ReadActionSummary summary) : GuardedPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Month { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    public MonthOverview? View { get; private set; }

    /// <summary>The reason typed into the reopen form, kept when the form is refused.</summary>
    public string? Reason { get; private set; }

    /// <summary>The reopening's sheet as chosen, carried into the confirmation panel.</summary>
    public int? ReopenPerson { get; private set; }

    /// <summary>
    /// Set by the first press of 确认并发布 or 重新开启: the page shows what it will do (<see cref="Summary"/>) and asks
    /// once; nothing changes until the panel's own button is pressed (works without script).
    /// </summary>
    public string? Pending { get; private set; }

    public MonthActionSummary? Summary { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ReadAsync(() => LoadAsync(ct));

    public Task<IActionResult> OnPostComputeAsync(int monthId, CancellationToken ct) => ChangeAsync(
        async () =>
        {
            var count = await compute.ExecuteAsync(Me, monthId, ct);
            return T($"已计算 {count} 名员工的结果", $"Results computed for {count} employees");
        },
        () => LoadAsync(ct),
        Back());

    public async Task<IActionResult> OnPostConfirmAsync(int monthId, int version, bool confirmed, CancellationToken ct)
    {
        if (!confirmed)
        {
            return await AskAsync("confirm", monthId, ct);
        }

        return await ChangeAsync(
            async () =>
            {
                await confirm.ExecuteAsync(Me, monthId, version, ct);
                Next(new OutcomeLink($"/Results/Reviews?month={Uri.EscapeDataString(Month ?? string.Empty)}", T("查看人事复核", "See HR's reviews")),
                    new OutcomeLink($"/Results/Decisions?month={Uri.EscapeDataString(Month ?? string.Empty)}", T("查看决策清单", "See the decision lists")));
                return T("已确认并发布；员工现在可以查看并确认自己的结果", "Confirmed and published; employees can now see and acknowledge their results");
            },
            () => LoadAsync(ct),
            Back());
    }

    public async Task<IActionResult> OnPostReopenAsync(int monthId, int version, string? reason, int? person, bool confirmed, CancellationToken ct)
    {
        Reason = reason;
        ReopenPerson = person;
        if (!confirmed && !string.IsNullOrWhiteSpace(reason))
        {
            return await AskAsync("reopen", monthId, ct);
        }

        return await ChangeAsync(
            async () =>
            {
                await reopen.ExecuteAsync(Me, monthId, reason ?? string.Empty, person, version, ct);
                Next(new OutcomeLink($"/Months/Facts?month={Uri.EscapeDataString(Month ?? string.Empty)}", T("核对数据并重新计算", "Check the facts and compute again")));
                return T("已重新开启；修改后须重新计算并确认", "Reopened; recompute and confirm after the changes");
            },
            () => LoadAsync(ct),
            Back());
    }

    /// <summary>The first press: the page with the summary of what the action will do and its second button.</summary>
    private Task<IActionResult> AskAsync(string action, int monthId, CancellationToken ct) => ReadAsync(async () =>
    {
        await LoadAsync(ct);
        Summary = await summary.MonthAsync(Me, monthId, ct);
        Pending = action;
    });

    /// <summary>A header link: the first click sorts ascending for text and rank, descending for amounts.</summary>
    public string SortLink(string column)
    {
        var current = View?.Sort ?? "rank";
        var next = current == column ? "-" + column
            : current == "-" + column ? column
            : column is "rank" or "no" or "name" or "team" ? column : "-" + column;
        return $"/Results/Month?month={Uri.EscapeDataString(View?.Month.Month ?? string.Empty)}&sort={next}";
    }

    public string AriaSort(string column) =>
        View?.Sort == column ? "ascending" : View?.Sort == "-" + column ? "descending" : "none";

    private async Task LoadAsync(CancellationToken ct) => View = await read.ExecuteAsync(Me, Month, Sort, ct);

    private string Back() =>
        $"/Results/Month?month={Uri.EscapeDataString(Month ?? string.Empty)}" + (string.IsNullOrEmpty(Sort) ? string.Empty : $"&sort={Uri.EscapeDataString(Sort)}");
}
