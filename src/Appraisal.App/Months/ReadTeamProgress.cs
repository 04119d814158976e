using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.App.People;
using Appraisal.App.Results;
using Appraisal.App.Sheets;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Months;

/// <summary>Where one sheet of a team member stands: none, a draft (content hidden), or submitted with its total.</summary>
public sealed record TeamSheetState(bool Exists, DateTime? SubmittedAt, int? Total)
{
    public bool Submitted => SubmittedAt is not null;
}

/// <summary>One appraised agent of a team in a month: both sheets, the feedback talk, and whether the reader may record it.</summary>
public sealed record TeamMember(Person Person, TeamSheetState Self, TeamSheetState Supervisor, FeedbackTalk? Talk, bool CanRecordTalk);

/// <summary>A team and its appraised agents; <see cref="Name"/> and <see cref="Id"/> are null for agents in no team.</summary>
public sealed record TeamBlock(string? Name, string? SupervisorName, List<TeamMember> Members, int? Id);

/// <summary>Where a team stands in the month: members appraised, self-assessments and supervisor sheets submitted, talks recorded.</summary>
public sealed record TeamSummary(int? Id, string? Name, string? SupervisorName, int Members, int SelfSubmitted, int SupervisorSubmitted, int Talks)
{
    /// <summary>Everything the supervisor has to do this month is done.</summary>
    public bool Done => SupervisorSubmitted == Members && Talks == Members;
}

/// <summary>Who is still waiting for what, for the team page's filter.</summary>
public enum TeamStatus
{
    /// <summary>The self-assessment is not submitted.</summary>
    SelfMissing,

    /// <summary>The supervisor's sheet is not submitted.</summary>
    SupervisorMissing,

    /// <summary>The feedback talk (第七条) is not recorded.</summary>
    TalkMissing,

    /// <summary>Both sheets submitted and the talk recorded.</summary>
    Done,
}

/// <summary>What the team page looks for: part of a name or employee number, one team (0: in no team), a status, the page.</summary>
public sealed record TeamFilter(string? Query = null, int? Team = null, TeamStatus? Status = null, int Page = 1);

/// <summary>The team page at company size: every visible team's counts, and one page of the members matching the filter.</summary>
public sealed record TeamPage(AppraisalMonth Month, IReadOnlyList<TeamSummary> Teams, PageOf<TeamMember> Members);

/// <summary>
/// The month's progress team by team (D16): who has submitted the self-assessment, the supervisor's sheets and the
/// feedback talks (第七条). Who sees which team is D19's rule and lives here: a supervisor the teams they lead, HR and
/// the general manager every team (read-only); anyone else is refused. A draft's content stays its author's: only
/// submitted totals are shown.
/// </summary>
public sealed class ReadTeamProgress(AppDbContext db)
{
    /// <summary>Every team the reader sees with all its members (the KPI forms of a team or month are printed from it).</summary>
    public async Task<(AppraisalMonth Month, List<TeamBlock> Teams)> ExecuteAsync(Actor actor, string? monthText, CancellationToken ct = default)
    {
        var (month, teams) = await ReadAsync(actor, monthText, ct);
        var teamIds = teams.Select(t => t.Id).ToList();
        var appraised = await Members(actor, month, teamIds).OrderBy(p => p.EmployeeNo).ToListAsync(ct);
        var members = await ToMembersAsync(actor, month, teams, appraised, ct);
        var blocks = teams.Select(team => new TeamBlock(team.Name, team.Supervisor?.Name,
            appraised.Where(p => p.TeamId == team.Id).Select(p => members[p.Id]).ToList(), team.Id)).ToList();
        var unassigned = appraised.Where(p => p.TeamId is null).ToList();
        if (unassigned.Count > 0)
        {
            blocks.Add(new TeamBlock(null, null, unassigned.Select(p => members[p.Id]).ToList(), null));
        }

        return (month, blocks);
    }

    /// <summary>
    /// The team page for a company of thousands: the counts of every team the reader sees (grouped by the database)
    /// and one page of the members matching <paramref name="filter"/>, by team and employee number; only the page's
    /// members' sheets and talks are read.
    /// </summary>
    public async Task<TeamPage> PageAsync(Actor actor, string? monthText, TeamFilter filter, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var (month, teams) = await ReadAsync(actor, monthText, ct);
        var members = Members(actor, month, teams.Select(t => t.Id).ToList());

        async Task<Dictionary<int, int>> ByTeamAsync(IQueryable<Person> people) =>
            (await people.GroupBy(p => p.TeamId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct)).ToDictionary(x => x.Key ?? 0, x => x.Count);
        var all = await ByTeamAsync(members);
        var self = await ByTeamAsync(WithSheet(members, month, SheetKind.Self, true));
        var supervisor = await ByTeamAsync(WithSheet(members, month, SheetKind.Supervisor, true));
        var talks = await ByTeamAsync(WithTalk(members, month, true));
        TeamSummary Summary(int key, int? id, string? name, string? sup) =>
            new(id, name, sup, all.GetValueOrDefault(key), self.GetValueOrDefault(key), supervisor.GetValueOrDefault(key), talks.GetValueOrDefault(key));
        var summaries = teams.Select(t => Summary(t.Id, t.Id, t.Name, t.Supervisor?.Name)).ToList();
        if (all.ContainsKey(0))
        {
            summaries.Add(Summary(0, null, null, null));
        }

        var matching = Paging.Matching(members, filter.Query);

        if (filter.Team is { } team)
        {
            matching = team == 0 ? matching.Where(p => p.TeamId == null) : matching.Where(p => p.TeamId == team);
        }

        matching = filter.Status switch
        {
            TeamStatus.SelfMissing => WithSheet(matching, month, SheetKind.Self, false),
            TeamStatus.SupervisorMissing => WithSheet(matching, month, SheetKind.Supervisor, false),
            TeamStatus.TalkMissing => WithTalk(matching, month, false),
            TeamStatus.Done => WithTalk(WithSheet(WithSheet(matching, month, SheetKind.Self, true), month, SheetKind.Supervisor, true), month, true),
            _ => matching,
        };

        var page = await Paging.ReadAsync(matching.OrderBy(p => p.TeamId == null).ThenBy(p => p.Team!.Name).ThenBy(p => p.EmployeeNo), filter.Page, all.Values.Sum(), ct);
        var rows = await ToMembersAsync(actor, month, teams, page.Rows, ct);
        return new TeamPage(month, summaries, new PageOf<TeamMember>(page.Rows.Select(p => rows[p.Id]).ToList(), page.Number, page.Size, page.Matching, page.Total));
    }

    /// <summary>The month and the teams the reader sees (D19): a supervisor the teams they lead, HR and the general manager every team; anyone else is refused.</summary>
    private async Task<(AppraisalMonth Month, List<Team> Teams)> ReadAsync(Actor actor, string? monthText, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var month = await MonthLookup.GetAsync(db, monthText, ct);
        var teamQuery = db.Teams.AsNoTracking().Include(t => t.Supervisor).AsQueryable();
        if (!actor.SeesEveryone)
        {
            if (!actor.IsSupervisor || actor.PersonId is not { } me)
            {
                throw UserError.Forbidden();
            }

            teamQuery = teamQuery.Where(t => t.SupervisorId == me);
        }

        return (month, await teamQuery.OrderBy(t => t.Name).ToListAsync(ct));
    }

    /// <summary>The agents appraised in the month in the reader's teams (and, for those who see everyone, in no team).</summary>
    private IQueryable<Person> Members(Actor actor, AppraisalMonth month, List<int> teamIds)
    {
        var everyone = actor.SeesEveryone;
        return ComputeResults.Appraised(db, YearMonth.Parse(month.Month)).Where(p => p.TeamId != null ? teamIds.Contains(p.TeamId.Value) : everyone);
    }

    private IQueryable<Person> WithSheet(IQueryable<Person> people, AppraisalMonth month, SheetKind kind, bool submitted)
    {
        var monthId = month.Id;
        return submitted
            ? people.Where(p => db.Sheets.Any(s => s.MonthId == monthId && s.PersonId == p.Id && s.Kind == kind && s.SubmittedAt != null))
            : people.Where(p => !db.Sheets.Any(s => s.MonthId == monthId && s.PersonId == p.Id && s.Kind == kind && s.SubmittedAt != null));
    }

    private IQueryable<Person> WithTalk(IQueryable<Person> people, AppraisalMonth month, bool recorded)
    {
        var monthId = month.Id;
        return recorded
            ? people.Where(p => db.FeedbackTalks.Any(t => t.MonthId == monthId && t.PersonId == p.Id))
            : people.Where(p => !db.FeedbackTalks.Any(t => t.MonthId == monthId && t.PersonId == p.Id));
    }

    /// <summary>
    /// Both sheets and the talk of <paramref name="people"/>: a draft's content stays its author's (only submitted totals);
    /// the talk may be recorded by the team's own supervisor while the month is open.
    /// </summary>
    private async Task<Dictionary<int, TeamMember>> ToMembersAsync(Actor actor, AppraisalMonth month, List<Team> teams, IReadOnlyList<Person> people, CancellationToken ct)
    {
        var ids = people.Select(p => p.Id).ToList();
        var sheets = (await db.Sheets.AsNoTracking().Where(s => s.MonthId == month.Id && ids.Contains(s.PersonId))
            .Select(s => new { s.PersonId, s.Kind, s.SubmittedAt, Total = s.Items.Sum(i => i.Score) })
            .ToListAsync(ct))
            .ToDictionary(s => (s.PersonId, s.Kind), s => new TeamSheetState(true, s.SubmittedAt, s.SubmittedAt is null ? null : s.Total));
        var talks = await db.FeedbackTalks.AsNoTracking().Where(t => t.MonthId == month.Id && ids.Contains(t.PersonId)).ToDictionaryAsync(t => t.PersonId, ct);
        var open = month.Status == MonthStatus.Open;
        var none = new TeamSheetState(false, null, null);
        var supervisors = teams.ToDictionary(t => t.Id, t => t.SupervisorId);
        return people.ToDictionary(p => p.Id, p => new TeamMember(
            p,
            sheets.GetValueOrDefault((p.Id, SheetKind.Self), none),
            sheets.GetValueOrDefault((p.Id, SheetKind.Supervisor), none),
            talks.GetValueOrDefault(p.Id),
            open && actor.IsSupervisor && p.TeamId is { } team && supervisors.GetValueOrDefault(team) is { } sup && sup == actor.PersonId));
    }
}
