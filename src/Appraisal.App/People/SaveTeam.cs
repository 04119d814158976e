using Appraisal.App.Audit;
using Appraisal.App.Data;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.People;

/// <summary>
/// HR adds a team or names its supervisor (部门主管, who assesses the team's agents). Audited as team.create and
/// team.update (old → new). Joins a caller's transaction (the people import); a team changed meanwhile is a 409.
/// </summary>
public sealed class SaveTeam(AppDbContext db, AuditLog audit)
{
    public const int MaxNameLength = 100;

    public async Task<Team> CreateAsync(Actor actor, string name, int? supervisorId, CancellationToken ct = default)
    {
        Ensure(actor);
        var text = (name ?? string.Empty).Trim();
        var problems = new List<(string Zh, string En)>();
        if (NameProblem(text) is { } wrong)
        {
            problems.Add(wrong);
        }
        else if (await db.Teams.AnyAsync(t => t.Name == text, ct))
        {
            problems.Add(($"组别“{text}”已存在", $"the team \"{text}\" exists already"));
        }

        var supervisor = await SupervisorAsync(supervisorId, problems, ct);
        Refuse(problems);
        var team = new Team { Name = text, SupervisorId = supervisorId };
        db.Teams.Add(team);
        audit.Record(actor.UserName, "team.create", detail: text,
            changes: new AuditChanges().Field("name", null, text).Field("supervisor", null, Label(supervisor)));
        await db.SaveOrConflictAsync(ct);
        return team;
    }

    public async Task UpdateSupervisorAsync(Actor actor, int teamId, int? supervisorId, int expectedVersion, CancellationToken ct = default)
    {
        Ensure(actor);
        var team = await db.Teams.FindAsync([teamId], ct) ?? throw UserError.NotFound();
        if (team.Version != expectedVersion)
        {
            throw UserError.Conflict();
        }

        var problems = new List<(string Zh, string En)>();
        var supervisor = await SupervisorAsync(supervisorId, problems, ct);
        Refuse(problems);
        if (team.SupervisorId == supervisorId)
        {
            return;
        }

        var old = team.SupervisorId is { } oldId ? await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == oldId, ct) : null;
        team.SupervisorId = supervisorId;
        audit.Record(actor.UserName, "team.update", detail: team.Name, changes: new AuditChanges().Field("supervisor", Label(old), Label(supervisor)));
        await db.SaveOrConflictAsync(ct);
    }

    public static (string Zh, string En)? NameProblem(string name) =>
        (name ?? string.Empty).Trim().Length is 0 or > MaxNameLength ? ($"组别名称须为 1–{MaxNameLength} 个字符", $"the team's name must have 1–{MaxNameLength} characters") : null;

    /// <summary>Only a supervisor (部门主管) leads a team: they fill the team's supervisor sheets (第五条).</summary>
    public static (string Zh, string En)? SupervisorProblem(Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        return person.Role == Roles.Supervisor ? null
            : ($"{person.Name}（{person.EmployeeNo}）的角色是{Roles.DisplayZh(person.Role)}，不是部门主管", $"{person.Name} ({person.EmployeeNo}) is {Roles.DisplayEn(person.Role)}, not a supervisor");
    }

    private async Task<Person?> SupervisorAsync(int? supervisorId, List<(string Zh, string En)> problems, CancellationToken ct)
    {
        if (supervisorId is not { } id)
        {
            return null;
        }

        var person = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (person is null)
        {
            problems.Add(("所选主管不存在", "the chosen supervisor does not exist"));
        }
        else if (SupervisorProblem(person) is { } wrong)
        {
            problems.Add(wrong);
        }

        return person;
    }

    private static string? Label(Person? p) => p is null ? null : $"{p.EmployeeNo} {p.Name}";

    private static void Refuse(List<(string Zh, string En)> problems)
    {
        if (problems.Count > 0)
        {
            throw new UserError(string.Join("；", problems.Select(p => p.Zh)), string.Join("; ", problems.Select(p => p.En)));
        }
    }

    private static void Ensure(Actor actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsHr)
        {
            throw UserError.Forbidden();
        }
    }
}
