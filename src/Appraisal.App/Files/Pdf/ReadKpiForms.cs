using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Policy;
using Appraisal.App.Results;
using Appraisal.App.Sheets;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Files.Pdf;

/// <summary>One column of the printed form (自评 or 部门主管): the scores given, as stored.</summary>
public sealed record KpiFormColumn(IReadOnlyList<SheetItem> Items, DateTime? SubmittedAt, string? SubmittedBy)
{
    public SheetItem? Find(string itemKey) => Items.FirstOrDefault(i => string.Equals(i.ItemKey, itemKey, StringComparison.Ordinal));

    public int Total => Items.Sum(i => i.Score);
}

/// <summary>The stored result as the form prints it: the weighted 总评 and the grade (第八条), from the version that computed it.</summary>
public sealed record KpiFormResult(bool Eligible, decimal? Score, GradeBand? Grade, int? SelfTotal, int SupervisorTotal, int AbsentDaysInWindow, PolicyDocument Policy);

/// <summary>
/// What one printed 《客服 KPI 考核表》 holds: the person and month, the policy version in force for the month
/// (its groups, items and levels), each column only when the reader may read that sheet (null: blank), and the
/// result only when the reader may see the month's results (null: blank).
/// </summary>
public sealed record KpiForm(
    string Month,
    int PersonId,
    string EmployeeNo,
    string Name,
    string? Team,
    PolicyDocument Policy,
    KpiFormColumn? Self,
    KpiFormColumn? Supervisor,
    KpiFormResult? Result,
    bool ResultsHidden,
    DateTime? ConfirmedAt,
    string? ConfirmedBy);

/// <summary>
/// Reads the KPI forms to print under the rules of the pages they come from: one person's form for whoever may
/// see that person's sheets (<see cref="SheetAccess"/>: the agent their own, the supervisor their team, HR and the
/// general manager everyone); a team's or the whole month's forms for whoever may open the team page
/// (<see cref="ReadTeamProgress"/>). Each column is printed only when <see cref="SheetAccess.Decide"/> lets the
/// reader read that sheet, and the total and grade only when <see cref="ResultAccess"/> lets them see the month's
/// results (before publication: HR and the general manager).
/// </summary>
public sealed class ReadKpiForms(AppDbContext db, SheetAccess sheets, ReadTeamProgress teams, PolicyStore policies)
{
    /// <summary>One person's form; 403 or 404 as the sheet page.</summary>
    public async Task<KpiForm> PersonAsync(Actor actor, YearMonth month, int personId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var row = await MonthLookup.GetAsync(db, month, ct);
        var (person, relation) = await sheets.SubjectAsync(actor, row, personId, SheetKind.Self, ct);
        var team = person.TeamId is { } id ? await db.Teams.AsNoTracking().Where(t => t.Id == id).Select(t => t.Name).FirstOrDefaultAsync(ct) : null;
        var forms = await BuildAsync(actor, row, [(person, team, relation)], ct);
        return forms[0];
    }

    /// <summary>
    /// The forms of one team (<paramref name="teamId"/>) or, when null, of every team the reader may open, in
    /// team and employee-number order; 403 for whoever may not open the team page, 404 when the team has no
    /// appraised agent this month or is not one the reader may open.
    /// </summary>
    public async Task<List<KpiForm>> TeamsAsync(Actor actor, YearMonth month, int? teamId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (row, blocks) = await teams.ExecuteAsync(actor, month.ToString(), ct);
        var chosen = blocks.Where(b => teamId is null || b.Id == teamId).ToList();
        var people = new List<(Person, string?, SheetRelation)>();
        foreach (var block in chosen)
        {
            foreach (var member in block.Members)
            {
                people.Add((member.Person, block.Name, await sheets.RelationAsync(actor, member.Person.Id, ct)));
            }
        }

        if (people.Count == 0)
        {
            throw teamId is not null && chosen.Count == 0
                ? new UserError($"没有编号为 {teamId} 的可查看团队", $"there is no team {teamId} that you may see", StatusCodes.Status404NotFound)
                : new UserError($"{row.Month} 没有参加考核的客服，没有可打印的考核表", $"no agents are appraised in {row.Month}: there is no KPI form to print", StatusCodes.Status404NotFound);
        }

        return await BuildAsync(actor, row, people, ct);
    }

    private async Task<List<KpiForm>> BuildAsync(Actor actor, AppraisalMonth month, List<(Person Person, string? Team, SheetRelation Relation)> people, CancellationToken ct)
    {
        var policy = await policies.InForceAsync(YearMonth.Parse(month.Month), ct);
        var ids = people.Select(p => p.Person.Id).ToList();
        var stored = await InChunksAsync(ids, chunk => db.Sheets.AsNoTracking().Include(s => s.Items)
            .Where(s => s.MonthId == month.Id && chunk.Contains(s.PersonId)).ToListAsync(ct));
        var byPerson = stored.ToLookup(s => s.PersonId);

        // Results are printed only when the reader sees the month's results (D16) and they are current.
        var seesResults = ResultAccess.SeesMonth(actor, month);
        var resultRows = seesResults && month.ComputedAt is not null
            ? (await InChunksAsync(ids, chunk => db.Results.AsNoTracking().Where(r => r.MonthId == month.Id && chunk.Contains(r.PersonId)).ToListAsync(ct)))
                .ToDictionary(r => r.PersonId)
            : [];
        var resultPolicies = await ResultPolicies.LoadAsync(db, resultRows.Values.Select(r => r.PolicyVersion), ct);

        KpiFormColumn? Column(int personId, SheetKind kind, SheetRelation relation)
        {
            var sheet = byPerson[personId].FirstOrDefault(s => s.Kind == kind);
            var rights = SheetAccess.Decide(relation, kind, appraised: true, month.Status, SheetAccess.StateOf(sheet));
            return sheet is null || !rights.ReadContent ? null
                : new KpiFormColumn([.. sheet.Items.OrderBy(i => i.Id)], sheet.SubmittedAt, sheet.SubmittedBy);
        }

        return people.Select(p =>
        {
            KpiFormResult? result = null;
            if (resultRows.TryGetValue(p.Person.Id, out var r))
            {
                var doc = resultPolicies[r.PolicyVersion];
                result = new KpiFormResult(r.Eligible, r.Score, r.GradeKey is null ? null : doc.FindGrade(r.GradeKey), r.SelfTotal, r.SupervisorTotal, r.AbsentDaysInWindow, doc);
            }

            return new KpiForm(month.Month, p.Person.Id, p.Person.EmployeeNo, p.Person.Name, p.Team, policy,
                Column(p.Person.Id, SheetKind.Self, p.Relation), Column(p.Person.Id, SheetKind.Supervisor, p.Relation),
                result, !seesResults, month.ConfirmedAt, month.ConfirmedBy);
        }).ToList();
    }

    /// <summary>Reads by id in chunks, keeping each query's parameter list short on both providers.</summary>
    private static async Task<List<T>> InChunksAsync<T>(List<int> ids, Func<List<int>, Task<List<T>>> read)
    {
        var all = new List<T>();
        foreach (var chunk in ids.Chunk(500))
        {
            all.AddRange(await read([.. chunk]));
        }

        return all;
    }
}
