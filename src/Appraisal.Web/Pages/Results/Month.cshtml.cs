using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.Web.Pages;
using Appraisal.Web.Months;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using static Appraisal.App.Localization.L;

namespace Appraisal.Web.Pages.Results;

/// <summary>
/// The month overview (D16): HR computes, the general manager confirms or reopens; supervisors see their
/// team (D19). Agents are refused and use their payslip.
/// </summary>
public sealed class MonthModel(AppDbContext db, ReadMonthOverview read, ComputeResults compute, ConfirmMonth confirm, ReopenMonth reopen, ReadActionSummary summary) : GuardedPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Month { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Sort { get; set; }

    /// <summary>Search by name or employee number (part of either, case ignored).</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    /// <summary>The team of the month (0: in no team).</summary>
    [BindProperty(SupportsGet = true, Name = "team")]
    public int? Team { get; set; }

    /// <summary>One of <see cref="ReadMonthOverview.Statuses"/>.</summary>
    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    /// <summary>The page, from 1 ("page" is Razor Pages' own route value, hence "p").</summary>
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public bool Filtered => !string.IsNullOrWhiteSpace(Query) || Team is not null || KnownStatus is not null;

    /// <summary>The status asked for when it is one the list knows (anything else lists everyone).</summary>
    private string? KnownStatus => Status is { } s && ReadMonthOverview.Statuses.Contains(s) ? s : null;

    /// <summary>The search, filter and order every link of the list keeps.</summary>
    private Dictionary<string, string?> Kept => new()
    {
        ["month"] = View?.Month.Month ?? Month,
        ["q"] = Query?.Trim(),
        ["team"] = Team?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["status"] = KnownStatus,
        ["sort"] = View?.Sort ?? Sort,
    };

    public PagerView Pager => new("/Results/Month", Kept.Where(k => k.Value is not null).ToDictionary(k => k.Key, k => k.Value!), View?.Page.Number ?? 1, View?.Page.Count ?? 1);

    public MonthOverview? View { get; private set; }

    /// <summary>The reason typed into the reopen form, kept when the form is refused.</summary>
    public string? Reason { get; private set; }

    /// <summary>The reopening's sheet as chosen, carried into the confirmation panel.</summary>
    public int? ReopenPerson { get; private set; }

    /// <summary>The employee number typed for the sheet to reopen, kept when the form is refused.</summary>
    public string? ReopenEmployeeNo { get; private set; }

    /// <summary>The name of the person whose sheet the reopening unlocks, for the confirmation panel.</summary>
    public string? ReopenName { get; private set; }

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

    public async Task<IActionResult> OnPostReopenAsync(int monthId, int version, string? reason, int? person, string? employeeNo, bool confirmed, CancellationToken ct)
    {
        Reason = reason;
        ReopenEmployeeNo = employeeNo?.Trim();
        if (!string.IsNullOrEmpty(ReopenEmployeeNo))
        {
            // The sheet is named by the employee number typed (a company of thousands is no drop-down list).
            try
            {
                person = await ReadPeople.IdOfAsync(db, ReopenEmployeeNo, ct);
            }
            catch (UserError e)
            {
                return await ReadAsync(async () =>
                {
                    await LoadAsync(ct);
                    throw new UserError(e.Zh, e.En, StatusCodes.Status400BadRequest);
                });
            }
        }

        ReopenPerson = person;
        if (!confirmed && !string.IsNullOrWhiteSpace(reason))
        {
            if (person is { } id)
            {
                ReopenName = await db.People.AsNoTracking().Where(p => p.Id == id).Select(p => p.Name + "（" + p.EmployeeNo + "）").FirstOrDefaultAsync(ct);
            }

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
        var kept = Kept;
        kept["sort"] = next;
        return Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/Results/Month", kept.Where(k => !string.IsNullOrEmpty(k.Value)));
    }

    public string AriaSort(string column) =>
        View?.Sort == column ? "ascending" : View?.Sort == "-" + column ? "descending" : "none";

    private async Task LoadAsync(CancellationToken ct) =>
        View = await read.PageAsync(Me, Month, new ResultFilter(Query, Team, KnownStatus, Sort, PageNumber), ct);

    private string Back() =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString("/Results/Month", Kept.Where(k => !string.IsNullOrEmpty(k.Value)));
}
