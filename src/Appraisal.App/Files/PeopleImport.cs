using System.Globalization;
using Appraisal.App.People;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Files;

/// <summary>
/// People and teams from a file, matched by employee number: a new number is a new person, a known one is updated
/// where the file differs (old → new in the preview and the audit), through <see cref="SavePerson"/> and its checks.
/// Teams are named by their name (a new name creates the team, <see cref="SaveTeam"/>). The 主管工号 cell names the
/// supervisor of the row's team by employee number — names repeat, numbers do not —, who must be a supervisor (部门主管)
/// already or in the same file; all rows of a team naming one must name the same; an empty cell leaves the team's
/// supervisor as it is. The 组别 and 离职日期 cells are the person's (empty: none); a column left out of the file, and an
/// empty 角色 cell, leave the value as it is (a new person is an agent, 客服). Nobody gets a sign-in account from the
/// import: accounts are the administrator's (<see cref="ManageAccounts"/>), as for people added on the people page.
/// The 邮箱 cell sets the e-mail address of the person's sign-in account through <see cref="ManageAccounts.SetEmailAsync"/>
/// (its check and its audit, as on the accounts page); a person without an account is refused with a message in that
/// cell (the address belongs to the account: the administrator creates the account first, or the cell is left empty),
/// and an empty cell keeps the address held.
/// </summary>
internal static class PeopleImport
{
    private const string Team = "team";
    private const string Supervisor = "supervisor";
    private const string Role = "role";
    private const string Hire = "hireDate";
    private const string Leave = "leaveDate";
    private const string Email = "email";

    private sealed record Entry(ImportRow Row, Person? Old, PersonInput Input, string? Team, string? Supervisor, (string UserId, string? Old, string New)? Email);

    public static async Task<ImportPlan> PlanAsync(ImportServices s, Actor actor, List<ImportRow> rows, ImportProblems problems, CancellationToken ct)
    {
        var people = await s.Db.People.AsNoTracking().ToListAsync(ct);
        var byNo = ImportPeople.ByNumber(people);
        var byId = people.ToDictionary(p => p.Id);
        var teams = await s.Db.Teams.AsNoTracking().OrderBy(t => t.Id).ToListAsync(ct);
        var teamByName = teams.GroupBy(t => t.Name.Trim(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var teamById = teams.ToDictionary(t => t.Id);
        var accounts = (await s.Db.Users.AsNoTracking().Where(u => u.PersonId != null).Select(u => new { u.Id, u.PersonId, u.Email }).ToListAsync(ct))
            .ToDictionary(u => u.PersonId!.Value, u => (u.Id, u.Email));

        var entries = new List<Entry>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var no = row.Text(ImportLayout.EmployeeNo);
            if (no is null)
            {
                continue;
            }

            if (seen.TryGetValue(no, out var first))
            {
                row.Problem(ImportLayout.EmployeeNo, ($"工号 {no} 在文件中出现了两次（另见第 {first} 行）", $"the employee number {no} appears twice in the file (see also row {first})"));
                continue;
            }

            seen[no] = row.Number;
            byNo.TryGetValue(no, out var old);
            var role = old?.Role ?? Roles.Agent;
            if (row.Text(Role) is { } roleText)
            {
                if (ParseRole(roleText) is { } parsed)
                {
                    role = parsed;
                }
                else
                {
                    row.Problem(Role, ("应为 客服、部门主管、人力资源 或 总经理", "expected 客服 (Agent), 部门主管 (Supervisor), 人力资源 (HR) or 总经理 (General manager)"));
                    continue;
                }
            }

            var team = row.HasColumn(Team) ? row.Text(Team) : old?.TeamId is { } tid && teamById.TryGetValue(tid, out var t) ? t.Name.Trim() : null;
            if (team is not null && SaveTeam.NameProblem(team) is { } badTeam)
            {
                row.Problem(Team, badTeam);
                continue;
            }

            if (row.Text(ImportLayout.Name) is not { } name || row.Date(Hire) is not { } hired || row.Unread(Leave))
            {
                continue;
            }

            var left = row.HasColumn(Leave) ? row.Date(Leave) : old?.LeaveDate;
            var input = new PersonInput(no, name, role, old?.TeamId, hired, left, old?.Active ?? true);
            var wrong = SavePerson.Problems(input);
            foreach (var (field, zh, en) in wrong)
            {
                row.Problem(field, (zh, en));
            }

            var email = EmailOf(row, old, no, name, accounts, out var refused);
            if (wrong.Count == 0 && !refused)
            {
                entries.Add(new Entry(row, old, input, team, row.Text(Supervisor), email));
            }
        }

        // The supervisor each team is given: someone who is a supervisor once the file is applied, one per team.
        var roleAfter = people.ToDictionary(p => p.EmployeeNo.Trim(), p => (p.Name, p.Role), StringComparer.Ordinal);
        foreach (var e in entries)
        {
            roleAfter[e.Input.EmployeeNo] = (e.Input.Name, e.Input.Role);
        }

        var named = new Dictionary<string, (string No, int Row)>(StringComparer.Ordinal);
        var bad = new HashSet<Entry>();
        foreach (var e in entries.Where(e => e.Supervisor is not null))
        {
            var no = e.Supervisor!;
            if (e.Team is null)
            {
                e.Row.Problem(Supervisor, ("填写了主管工号但没有组别：主管工号指这一行所在组别的主管，请填写组别", "a supervisor is given but no team: the supervisor is the row's team's; fill in the team"));
            }
            else if (!roleAfter.TryGetValue(no, out var sup))
            {
                e.Row.Problem(Supervisor, ($"没有工号为“{no}”的员工：主管工号应填写部门主管的工号（不是姓名）", $"no employee has the number \"{no}\": give the supervisor's employee number (not the name)"));
            }
            else if (sup.Role != Roles.Supervisor)
            {
                e.Row.Problem(Supervisor, ($"{sup.Name}（{no}）的角色是{Roles.DisplayZh(sup.Role)}，不是部门主管", $"{sup.Name} ({no}) is {Roles.DisplayEn(sup.Role)}, not a supervisor"));
            }
            else if (named.TryGetValue(e.Team, out var earlier) && earlier.No != no)
            {
                e.Row.Problem(Supervisor, ($"组别“{e.Team}”在第 {earlier.Row} 行的主管是 {earlier.No}：一个组别只有一位主管", $"row {earlier.Row} gives {earlier.No} as the supervisor of \"{e.Team}\": a team has one supervisor"));
            }
            else
            {
                named.TryAdd(e.Team, (no, e.Row.Number));
                continue;
            }

            bad.Add(e);
        }

        var plan = new Plan(s, actor, byNo, teamByName);
        var teamsSeen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in entries.Where(e => !bad.Contains(e)))
        {
            var changes = new List<FieldChange>();
            var old = e.Old;
            var oldTeam = old?.TeamId is { } id && teamById.TryGetValue(id, out var ot) ? ot.Name.Trim() : null;
            Change(changes, "name", "姓名", "name", old?.Name.Trim(), e.Input.Name.Trim());
            Change(changes, "role", "角色", "role", old is null ? null : Roles.DisplayZh(old.Role), Roles.DisplayZh(e.Input.Role));
            Change(changes, "team", "组别", "team", oldTeam, e.Team);
            Change(changes, "hireDate", "入职日期", "hire date", Date(old?.HireDate), Date(e.Input.HireDate));
            Change(changes, "leaveDate", "离职日期", "leave date", Date(old?.LeaveDate), Date(e.Input.LeaveDate));
            if (e.Team is { } teamName && teamsSeen.Add(teamName) && !teamByName.ContainsKey(teamName))
            {
                changes.Add(new FieldChange("team.create", "新组别", "new team", null, teamName));
                plan.NewTeams.Add(teamName);
            }

            if (e.Team is { } tn && e.Supervisor is { } supNo && named.TryGetValue(tn, out var n) && n.Row == e.Row.Number)
            {
                var current = teamByName.TryGetValue(tn, out var team) && team.SupervisorId is { } sid && byId.TryGetValue(sid, out var cur) ? cur.EmployeeNo.Trim() : null;
                if (current != supNo)
                {
                    changes.Add(new FieldChange("team.supervisor", $"“{tn}”的主管", $"supervisor of \"{tn}\"", current, $"{supNo} {roleAfter[supNo].Name}"));
                    plan.Supervisors[tn] = supNo;
                }
            }

            var personChanged = old is null || changes.Any(c => !c.Field.StartsWith("team.", StringComparison.Ordinal));
            if (e.Email is { } mail && mail.Old != mail.New)
            {
                changes.Add(new FieldChange(Email, "邮箱", "e-mail", mail.Old, mail.New));
                plan.Emails.Add((mail.UserId, mail.New));
            }

            plan.Add(e, changes, personChanged);
        }

        return plan;
    }

    /// <summary>
    /// The account whose e-mail the row's 邮箱 cell sets, the address held and the new one; null when the cell is empty.
    /// A bad address or a person without an account is a problem in the cell (the row is then not read further).
    /// </summary>
    private static (string UserId, string? Old, string New)? EmailOf(ImportRow row, Person? old, string no, string name, Dictionary<int, (string Id, string? Email)> accounts, out bool refused)
    {
        refused = false;
        if (ManageAccounts.NormalEmail(row.Text(Email)) is not { } email)
        {
            return null;
        }

        if (ManageAccounts.EmailProblem(email) is { } bad)
        {
            row.Problem(Email, bad);
        }
        else if (old is null || !accounts.TryGetValue(old.Id, out var account))
        {
            row.Problem(Email, ($"{name}（{no}）还没有登录账户，邮箱无法保存：邮箱属于登录账户，请管理员先在“账户”页创建账户，或把这一格留空",
                $"{name} ({no}) has no sign-in account, so the e-mail cannot be stored: the address belongs to the account; have the administrator create it on the Accounts page first, or leave this cell empty"));
        }
        else
        {
            return (account.Id, account.Email, email);
        }

        refused = true;
        return null;
    }

    /// <summary>A role as people write it: 客服 / Agent, 部门主管 / 主管 / Supervisor, 人力资源 / 人事 / HR, 总经理 / General manager.</summary>
    internal static string? ParseRole(string text)
    {
        var key = ImportLayout.HeaderKey(text);
        return key switch
        {
            "客服" or "agent" => Roles.Agent,
            "部门主管" or "主管" or "supervisor" => Roles.Supervisor,
            "人力资源" or "人事" or "hr" => Roles.Hr,
            "总经理" or "generalmanager" or "gm" => Roles.GeneralManager,
            _ => null,
        };
    }

    private static string? Date(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static void Change(List<FieldChange> changes, string field, string zh, string en, string? old, string? @new)
    {
        if (!string.Equals(old, @new, StringComparison.Ordinal))
        {
            changes.Add(new FieldChange(field, zh, en, old, @new));
        }
    }

    private sealed class Plan(ImportServices s, Actor actor, Dictionary<string, Person> byNo, Dictionary<string, People.Team> teamByName) : ImportPlan
    {
        private readonly List<Entry> saves = [];

        public List<string> NewTeams { get; } = [];

        public Dictionary<string, string> Supervisors { get; } = new(StringComparer.Ordinal);

        /// <summary>The accounts whose e-mail address changes, set through the accounts page's command after the people.</summary>
        public List<(string UserId, string Email)> Emails { get; } = [];

        public void Add(Entry e, List<FieldChange> changes, bool save)
        {
            Add(e.Row, e.Input.EmployeeNo, e.Input.Name, changes, e.Old is null);
            if (save)
            {
                saves.Add(e);
            }
        }

        public override async Task<int> ApplyAsync(CancellationToken ct)
        {
            // Teams first (people join them by id); a new team whose supervisor is new in the file gets them once they exist.
            var teamIds = teamByName.ToDictionary(t => t.Key, t => t.Value.Id, StringComparer.Ordinal);
            var versions = teamByName.Values.ToDictionary(t => t.Id, t => t.Version);
            foreach (var name in NewTeams)
            {
                int? supervisorId = Supervisors.TryGetValue(name, out var no) && byNo.TryGetValue(no, out var known) && known.Role == Roles.Supervisor ? known.Id : null;
                var team = await s.SaveTeam.CreateAsync(actor, name, supervisorId, ct);
                teamIds[name] = team.Id;
                versions[team.Id] = team.Version;
                if (supervisorId is not null)
                {
                    Supervisors.Remove(name);
                }
            }

            var ids = byNo.ToDictionary(p => p.Key, p => p.Value.Id, StringComparer.Ordinal);
            foreach (var e in saves)
            {
                var input = e.Input with { TeamId = e.Team is { } t ? teamIds[t] : null };
                var person = await s.SavePerson.ExecuteAsync(actor, e.Old?.Id, input, e.Old?.Version, ct);
                ids[input.EmployeeNo] = person.Id;
            }

            foreach (var (name, no) in Supervisors)
            {
                var id = teamIds[name];
                await s.SaveTeam.UpdateSupervisorAsync(actor, id, ids[no], versions[id], ct);
            }

            foreach (var (userId, email) in Emails)
            {
                await s.Accounts.SetEmailAsync(actor, userId, email, ct);
            }

            return Rows.Count(r => r.Change != RowChange.Unchanged);
        }
    }
}
