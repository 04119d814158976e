using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Appraisal.App.Sheets;
using Appraisal.Web.Sheets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using static Appraisal.App.Localization.L;

namespace Appraisal.Web.Pages.Months;

/// <summary>
/// A supervisor's team for one month (D16): who has submitted the self-assessment, the supervisor's own
/// sheets, and the feedback talks (第七条), recorded here. HR and the general manager see every team, read-only (D19).
/// </summary>
public sealed class TeamModel(AppDbContext db, ReadTeamProgress read, RecordFeedbackTalk recordTalk, CompanyClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Month { get; set; }

    /// <summary>Search by name or employee number; in the query string, kept by the page links and the talk forms.</summary>
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    /// <summary>One team's id; 0 for the agents in no team.</summary>
    [BindProperty(SupportsGet = true, Name = "team")]
    public int? TeamFilter { get; set; }

    [BindProperty(SupportsGet = true, Name = "status")]
    public TeamStatus? Status { get; set; }

    /// <summary>The page, from 1 ("page" is Razor Pages' own route value, hence "p").</summary>
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    [BindProperty]
    public int TalkPersonId { get; set; }

    [BindProperty]
    public DateOnly? TalkDate { get; set; }

    [BindProperty]
    public string? TalkNotes { get; set; }

    [BindProperty]
    public int? TalkVersion { get; set; }

    public AppraisalMonth MonthRow { get; private set; } = null!;

    public Actor Actor { get; private set; } = null!;

    /// <summary>The page's members, team by team (the page is ordered by team).</summary>
    public List<TeamBlock> Teams { get; } = [];

    /// <summary>Every team the reader sees, with its counts for the whole month.</summary>
    public IReadOnlyList<TeamSummary> Summaries { get; private set; } = [];

    /// <summary>The page of matching members.</summary>
    public PageOf<TeamMember> Members { get; private set; } = new([], 1, Paging.Size, 0, 0);

    public bool Filtered => !string.IsNullOrWhiteSpace(Query) || TeamFilter is not null || Status is not null;

    /// <summary>The search and filter, for the links of the pages.</summary>
    public Pages.PagerView Pager => new("/Months/Team", Route(), Members.Number, Members.Count);

    /// <summary>The month, search and filter in the query string (and the page, unless <paramref name="page"/> is null).</summary>
    public Dictionary<string, string> Route(int? page = null) => new Dictionary<string, string?>
    {
        ["month"] = MonthRow?.Month ?? Month,
        ["q"] = string.IsNullOrWhiteSpace(Query) ? null : Query.Trim(),
        ["team"] = TeamFilter?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["status"] = Status?.ToString(),
        ["p"] = page?.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }.Where(r => r.Value is not null).ToDictionary(r => r.Key, r => r.Value!);

    public DateOnly Today { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Set when <c>?month=</c> names no opened month: the page shows only this message (404).</summary>
    public string? NotFoundMessage { get; private set; }

    /// <summary>The person whose talk form failed: it shows what was typed, not what is stored.</summary>
    public int? FailedPersonId { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    /// <summary>What the last action came to, shown at the top of the page (<c>Shared/_Outcome.cshtml</c>).</summary>
    public Outcome? Outcome => Pages.Outcome.Of(Error, Notice);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ?? Page();

    public async Task<IActionResult> OnPostTalkAsync(CancellationToken ct)
    {
        var refused = await LoadAsync(ct);
        if (refused is not null)
        {
            return refused;
        }

        try
        {
            await recordTalk.ExecuteAsync(Actor, MonthRow.Id, TalkPersonId, TalkDate, TalkNotes, TalkVersion, ct);
            var name = await db.People.Where(p => p.Id == TalkPersonId).Select(p => p.Name).FirstAsync(ct);
            Notice = T($"已记录与 {name} 的绩效面谈。", $"Feedback talk with {name} recorded.");
            return RedirectToPage(new { month = MonthRow.Month, q = Query, team = TeamFilter, status = Status, p = PageNumber });
        }
        catch (UserError e) when (e.Status is StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound)
        {
            return e.Status == StatusCodes.Status403Forbidden ? Forbid() : NotFound();
        }
        catch (UserError e)
        {
            Error = e.Localized;
            FailedPersonId = TalkPersonId;
            Response.StatusCode = e.Status;
            return Page();
        }
    }

    /// <returns>A refusal, or null when the page may be shown.</returns>
    private async Task<IActionResult?> LoadAsync(CancellationToken ct)
    {
        Actor = Actor.From(User);
        Today = clock.Today;
        try
        {
            var page = await read.PageAsync(Actor, Month, new TeamFilter(Query, TeamFilter, Status, PageNumber), ct);
            MonthRow = page.Month;
            Summaries = page.Teams;
            Members = page.Members;
            PageNumber = page.Members.Number;
            foreach (var group in page.Members.Rows.GroupBy(m => m.Person.TeamId))
            {
                var summary = Summaries.FirstOrDefault(t => t.Id == group.Key);
                Teams.Add(new TeamBlock(summary?.Name, summary?.SupervisorName, group.ToList(), group.Key));
            }

            return null;
        }
        catch (UserError e) when (e.Status == StatusCodes.Status403Forbidden)
        {
            return Forbid();
        }
        catch (UserError e)
        {
            NotFoundMessage = e.Localized;
            var page = Page();
            page.StatusCode = e.Status;
            return page;
        }
    }
}
