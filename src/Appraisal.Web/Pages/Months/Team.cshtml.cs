using Appraisal.Core.Months;
using Appraisal.Web.Data;
using Appraisal.Web.Months;
using Appraisal.Web.People;
using Appraisal.Web.Results;
using Appraisal.Web.Sheets;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using static Appraisal.Web.Localization.L;

namespace Appraisal.Web.Pages.Months;

/// <summary>
/// A supervisor's team for one month (D16): who has submitted the self-assessment, the supervisor's own
/// sheets, and the feedback talks (第七条), recorded here. HR and the general manager see every team, read-only (D19).
/// </summary>
public sealed class TeamModel(AppDbContext db, RecordFeedbackTalk recordTalk, CompanyClock clock) : PageModel
{
    public sealed record SheetState(bool Exists, DateTime? SubmittedAt, int? Total)
    {
        public bool Submitted => SubmittedAt is not null;
    }

    public sealed record Member(Person Person, SheetState Self, SheetState Supervisor, FeedbackTalk? Talk, bool CanRecordTalk);

    public sealed record TeamBlock(string Name, string? SupervisorName, List<Member> Members);

    [BindProperty(SupportsGet = true)]
    public string? Month { get; set; }

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

    public List<TeamBlock> Teams { get; } = [];

    public DateOnly Today { get; private set; }

    public string? Error { get; private set; }

    /// <summary>Set when <c>?month=</c> names no opened month: the page shows only this message (404).</summary>
    public string? NotFoundMessage { get; private set; }

    /// <summary>The person whose talk form failed: it shows what was typed, not what is stored.</summary>
    public int? FailedPersonId { get; private set; }

    [TempData]
    public string? Notice { get; set; }

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
            return RedirectToPage(new { month = MonthRow.Month });
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
        AppraisalMonth month;
        try
        {
            month = await MonthLookup.GetAsync(db, Month, ct);
        }
        catch (UserError e)
        {
            NotFoundMessage = e.Localized;
            var page = Page();
            page.StatusCode = e.Status;
            return page;
        }

        var ym = YearMonth.Parse(month.Month);

        MonthRow = month;

        // D19: a supervisor sees only the teams they lead; HR and the general manager all of them.
        var teamQuery = db.Teams.AsNoTracking().Include(t => t.Supervisor).AsQueryable();
        if (!Actor.SeesEveryone)
        {
            if (!Actor.IsSupervisor || Actor.PersonId is not { } me)
            {
                return Forbid();
            }

            teamQuery = teamQuery.Where(t => t.SupervisorId == me);
        }

        var teams = await teamQuery.OrderBy(t => t.Name).ToListAsync(ct);
        var teamIds = teams.Select(t => t.Id).ToHashSet();
        var appraised = (await ComputeResults.AppraisedPeopleAsync(db, ym, ct))
            .Where(p => p.TeamId is { } id ? teamIds.Contains(id) : Actor.SeesEveryone)
            .ToList();
        var ids = appraised.Select(p => p.Id).ToList();
        var sheets = await db.Sheets.AsNoTracking().Where(s => s.MonthId == month.Id && ids.Contains(s.PersonId))
            .Select(s => new { s.PersonId, s.Kind, s.SubmittedAt, Total = s.Items.Sum(i => i.Score) })
            .ToListAsync(ct);
        var talks = await db.FeedbackTalks.AsNoTracking().Where(t => t.MonthId == month.Id && ids.Contains(t.PersonId)).ToDictionaryAsync(t => t.PersonId, ct);
        var open = month.Status == MonthStatus.Open;

        SheetState State(int personId, SheetKind kind)
        {
            var s = sheets.FirstOrDefault(x => x.PersonId == personId && x.Kind == kind);

            // A draft's content belongs to whoever is still writing it: only submitted totals are shown.
            return s is null ? new SheetState(false, null, null) : new SheetState(true, s.SubmittedAt, s.SubmittedAt is null ? null : s.Total);
        }

        Member ToMember(Person p, Team? team) => new(
            p,
            State(p.Id, SheetKind.Self),
            State(p.Id, SheetKind.Supervisor),
            talks.GetValueOrDefault(p.Id),
            open && Actor.IsSupervisor && team?.SupervisorId is { } sup && sup == Actor.PersonId);

        foreach (var team in teams)
        {
            Teams.Add(new TeamBlock(team.Name, team.Supervisor?.Name, appraised.Where(p => p.TeamId == team.Id).Select(p => ToMember(p, team)).ToList()));
        }

        var unassigned = appraised.Where(p => p.TeamId is null).ToList();
        if (unassigned.Count > 0)
        {
            Teams.Add(new TeamBlock(T("未分组", "No team"), null, unassigned.Select(p => ToMember(p, null)).ToList()));
        }

        return null;
    }
}
