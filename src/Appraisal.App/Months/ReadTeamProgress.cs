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

/// <summary>
/// The month's progress team by team (D16): who has submitted the self-assessment, the supervisor's sheets and the
/// feedback talks (第七条). Who sees which team is D19's rule and lives here: a supervisor the teams they lead, HR and
/// the general manager every team (read-only); anyone else is refused. A draft's content stays its author's: only
/// submitted totals are shown.
/// </summary>
public sealed class ReadTeamProgress(AppDbContext db)
{
    public async Task<(AppraisalMonth Month, List<TeamBlock> Teams)> ExecuteAsync(Actor actor, string? monthText, CancellationToken ct = default)
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

        var teams = await teamQuery.OrderBy(t => t.Name).ToListAsync(ct);
        var teamIds = teams.Select(t => t.Id).ToHashSet();
        var appraised = (await ComputeResults.AppraisedPeopleAsync(db, YearMonth.Parse(month.Month), ct))
            .Where(p => p.TeamId is { } id ? teamIds.Contains(id) : actor.SeesEveryone)
            .ToList();
        var ids = appraised.Select(p => p.Id).ToList();
        var sheets = (await db.Sheets.AsNoTracking().Where(s => s.MonthId == month.Id && ids.Contains(s.PersonId))
            .Select(s => new { s.PersonId, s.Kind, s.SubmittedAt, Total = s.Items.Sum(i => i.Score) })
            .ToListAsync(ct))
            .ToDictionary(s => (s.PersonId, s.Kind), s => new TeamSheetState(true, s.SubmittedAt, s.SubmittedAt is null ? null : s.Total));
        var talks = await db.FeedbackTalks.AsNoTracking().Where(t => t.MonthId == month.Id && ids.Contains(t.PersonId)).ToDictionaryAsync(t => t.PersonId, ct);
        var open = month.Status == MonthStatus.Open;
        var none = new TeamSheetState(false, null, null);

        TeamMember ToMember(Person p, Team? team) => new(
            p,
            sheets.GetValueOrDefault((p.Id, SheetKind.Self), none),
            sheets.GetValueOrDefault((p.Id, SheetKind.Supervisor), none),
            talks.GetValueOrDefault(p.Id),
            open && actor.IsSupervisor && team?.SupervisorId is { } sup && sup == actor.PersonId);

        var blocks = teams.Select(team => new TeamBlock(team.Name, team.Supervisor?.Name,
            appraised.Where(p => p.TeamId == team.Id).Select(p => ToMember(p, team)).ToList(), team.Id)).ToList();
        var unassigned = appraised.Where(p => p.TeamId is null).ToList();
        if (unassigned.Count > 0)
        {
            blocks.Add(new TeamBlock(null, null, unassigned.Select(p => ToMember(p, null)).ToList(), null));
        }

        return (month, blocks);
    }
}
