using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Results;
using Appraisal.App.Sheets;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Files;

/// <summary>
/// Past months' appraisals from a file — each agent's self and supervisor score of every item, sales plan and actual,
/// absence days — so that a company starting mid-year has the history the month-to-month rules read (the bonus for
/// first place twice running and the consecutive 不及格 flag, 第十一条 / D12; the absence window, 第二条 / D14): the
/// first month computed in the product already knows who was first or failed before.
/// <para>
/// Each month of the file is created as a confirmed month marked as imported (<see cref="OpenedBy"/>), with submitted
/// sheets and the facts, its results computed by <see cref="ComputeResults"/> with the policy in force for that month,
/// all in the import's one transaction. The scores are checked as a submitted sheet is (<see cref="SaveSheet.Check"/>:
/// whole points inside one of the item's levels, every item scored by the supervisor; the self-assessment may be left
/// out as a whole), the facts as the facts page checks them. A month must be past, must hold every agent appraised in
/// it (第二条: by role, hiring and leaving dates) and must not be one the product ran itself; a confirmed month of the
/// product's own after it would keep results computed without this history, so that is refused too, and an open one
/// gets its results marked stale. Importing a month that was imported before replaces the values that differ
/// (audited old → new) and computes it and every imported month after it again; the same file twice changes nothing.
/// </para>
/// </summary>
internal static class HistoryImport
{
    /// <summary>What <see cref="AppraisalMonth.OpenedBy"/> holds for an imported month (no account has this name: it has spaces).</summary>
    public const string OpenedBy = "(imported history)";

    private const string MonthKey = "month";

    public static bool IsImported(AppraisalMonth month)
    {
        ArgumentNullException.ThrowIfNull(month);
        return month.OpenedBy == OpenedBy;
    }

    private sealed record Entry(ImportRow Row, Person Person, List<SheetItemInput>? Self, List<SheetItemInput> Supervisor, decimal Plan, decimal Actual, int Absent,
        List<FieldChange> Changes);

    public static async Task<ImportPlan> PlanAsync(ImportServices s, Actor actor, List<ImportRow> rows, ImportProblems problems, CancellationToken ct)
    {
        var db = s.Db;
        var today = YearMonth.FromDate(s.Clock.Today);
        var months = await db.Months.AsNoTracking().ToDictionaryAsync(m => m.Month, StringComparer.Ordinal, ct);
        var everyone = ImportPeople.ByNumber(await db.People.AsNoTracking().ToListAsync(ct));
        var plan = new Plan(s, actor);

        foreach (var group in rows.Where(r => r.Month(MonthKey) is not null).GroupBy(r => r.Month(MonthKey)!.Value).OrderBy(g => g.Key))
        {
            var ym = group.Key;
            var key = ym.ToString();
            var first = group.First();
            months.TryGetValue(key, out var existing);
            if (ym >= today)
            {
                first.Problem(MonthKey, ($"{key} 不是以往的月份：只能导入本月之前的月份，本月及以后请在系统中进行", $"{key} is not a past month: only months before this one can be imported; run this month and later ones in the product"));
                continue;
            }

            if (existing is not null && !IsImported(existing))
            {
                first.Problem(MonthKey, ($"{key} 已在系统中进行过考核，不能用导入覆盖", $"{key} was appraised in the product itself; an import cannot replace it"));
                continue;
            }

            if (months.Values.Where(m => !IsImported(m) && m.Status == MonthStatus.Confirmed && string.CompareOrdinal(m.Month, key) > 0).Min(m => m.Month) is { } later)
            {
                first.Problem(MonthKey, ($"{later} 已在系统中确认，其结果未包含 {key}：以往月份须在确认第一个系统月份之前导入", $"{later} is confirmed in the product with results computed without {key}: past months must be imported before the product's first month is confirmed"));
                continue;
            }

            var policy = await s.Policies.InForceAsync(ym, ct);
            var appraised = await ComputeResults.AppraisedPeopleAsync(db, ym, ct);
            var people = ImportPeople.ByNumber(appraised);
            var stored = existing is null ? null : await StoredAsync(s, existing.Id, ct);
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var entries = new List<Entry>();
            foreach (var row in group)
            {
                var person = ImportPeople.Match(row, people, everyone, seen, key);
                var self = Scores(row, policy, "self", required: false);
                var supervisor = Scores(row, policy, "supervisor", required: true);
                var plan0 = Money(row, "salesPlan", policy);
                var actual = Money(row, "salesActual", policy);
                var absent = row.Whole("absentDays");
                if (absent is { } d && SaveFacts.AbsenceProblem(d, ym.DaysInMonth) is { } wrongDays)
                {
                    row.Problem("absentDays", wrongDays);
                    absent = null;
                }

                if (person is null || supervisor is null || self is null || plan0 is not { } p || actual is not { } a || absent is not { } days)
                {
                    continue;
                }

                var changes = new List<FieldChange>();
                var old = stored?.GetValueOrDefault(person.Id);
                Compare(changes, policy, "self", "自评", "self", old?.Self, self);
                Compare(changes, policy, "supervisor", "主管", "supervisor", old?.Supervisor, supervisor);
                FactsImport.Change(changes, "salesPlan", "销售计划", "sales plan", old?.Facts?.SalesPlan, p);
                FactsImport.Change(changes, "salesActual", "实际销售额", "actual sales", old?.Facts?.SalesActual, a);
                FactsImport.Change(changes, "absentDays", "缺岗天数", "absence days", old?.Facts?.AbsentDays, days);
                entries.Add(new Entry(row, person, self, supervisor, p, a, days, changes));
                plan.Row(row, person, $"{key} {person.Name}", changes, old is null);
            }

            var missing = appraised.Where(p => !seen.Contains(p.EmployeeNo.Trim())).ToList();
            if (missing.Count > 0)
            {
                var names = string.Join("、", missing.Take(20).Select(p => $"{p.Name}（{p.EmployeeNo}）")) + (missing.Count > 20 ? $" 等 {missing.Count} 人" : string.Empty);
                var namesEn = string.Join(", ", missing.Take(20).Select(p => $"{p.Name} ({p.EmployeeNo})")) + (missing.Count > 20 ? $" and {missing.Count - 20} more" : string.Empty);
                first.Problem(MonthKey, ($"{key} 缺少以下参评客服的行（每位参评客服都须有一行，才能计算该月结果）：{names}",
                    $"{key} lacks rows for these appraised agents (every agent appraised in the month needs a row to compute its results): {namesEn}"));
                continue;
            }

            plan.Months.Add(new PlannedMonth(ym, existing, entries));
        }

        return plan;
    }

    /// <summary>An assessor's scores of a row: null when one is missing or wrong (a problem each), empty when the optional self-assessment is left out.</summary>
    private static List<SheetItemInput>? Scores(ImportRow row, PolicyDocument policy, string prefix, bool required)
    {
        var keys = policy.Items.Select(i => $"{prefix}.{i.Key}").ToList();
        if (!required && keys.All(k => !row.Has(k)))
        {
            return [];
        }

        var items = new List<SheetItemInput>();
        var ok = true;
        foreach (var item in policy.Items)
        {
            var key = $"{prefix}.{item.Key}";
            if (row.Whole(key) is not { } score)
            {
                if (!row.Has(key))
                {
                    row.Problem(key, ($"「{item.Name.Zh}」尚未评分：{(required ? "主管评分每项必填" : "自评要么每项都填，要么整组留空")}",
                        $"{item.Name.Get(true)} has no score: {(required ? "every item of the supervisor's sheet is required" : "fill in every self-assessment item, or none")}"));
                }

                ok = false;
                continue;
            }

            var level = item.Levels.ToList().FindIndex(l => l.Holds(score));
            if (level < 0)
            {
                row.Problem(key, ($"「{item.Name.Zh}」的分数应为 0–{item.Max} 之间的整数", $"{item.Name.Get(true)}: the score must be a whole number 0–{item.Max}"));
                ok = false;
                continue;
            }

            items.Add(new SheetItemInput(item.Key, level, score));
        }

        if (ok)
        {
            foreach (var wrong in SaveSheet.Check(policy, items, complete: true))
            {
                row.Problem($"{prefix}.{policy.Items[0].Key}", wrong);
                ok = false;
            }
        }

        return ok ? items : null;
    }

    private static decimal? Money(ImportRow row, string key, PolicyDocument policy)
    {
        var value = row.Amount(key);
        if (value is { } v && SaveFacts.MoneyProblem(v, policy.Money.Decimals) is { } wrong)
        {
            row.Problem(key, wrong);
            return null;
        }

        return value;
    }

    private static void Compare(List<FieldChange> changes, PolicyDocument policy, string prefix, string zh, string en, IReadOnlyDictionary<string, int>? old, List<SheetItemInput> scores)
    {
        foreach (var item in policy.Items)
        {
            int? before = old is not null && old.TryGetValue(item.Key, out var o) ? o : null;
            int? after = scores.FirstOrDefault(x => x.ItemKey == item.Key)?.Score;
            if (before != after)
            {
                changes.Add(new FieldChange($"{prefix}.{item.Key}", $"{zh}·{item.Name.Zh}", $"{en}: {item.Name.Get(true)}", before?.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    after?.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }
    }

    private sealed record StoredPerson(IReadOnlyDictionary<string, int>? Self, IReadOnlyDictionary<string, int>? Supervisor, MonthFacts? Facts);

    private static async Task<Dictionary<int, StoredPerson>> StoredAsync(ImportServices s, int monthId, CancellationToken ct)
    {
        var sheets = await s.Db.Sheets.AsNoTracking().Where(x => x.MonthId == monthId).Include(x => x.Items).ToListAsync(ct);
        var facts = await s.Db.Facts.AsNoTracking().Where(f => f.MonthId == monthId).ToDictionaryAsync(f => f.PersonId, ct);
        return sheets.Select(x => x.PersonId).Concat(facts.Keys).Distinct().ToDictionary(id => id, id => new StoredPerson(
            Items(sheets.FirstOrDefault(x => x.PersonId == id && x.Kind == SheetKind.Self)),
            Items(sheets.FirstOrDefault(x => x.PersonId == id && x.Kind == SheetKind.Supervisor)),
            facts.GetValueOrDefault(id)));

        static Dictionary<string, int>? Items(Sheet? sheet) => sheet?.Items.ToDictionary(i => i.ItemKey, i => i.Score, StringComparer.Ordinal);
    }

    private sealed record PlannedMonth(YearMonth Month, AppraisalMonth? Existing, List<Entry> Entries);

    private sealed class Plan(ImportServices s, Actor actor) : ImportPlan
    {
        public List<PlannedMonth> Months { get; } = [];

        public void Row(ImportRow row, Person person, string name, List<FieldChange> changes, bool isNew) => Add(row, person.EmployeeNo, name, changes, isNew);

        public override async Task<int> ApplyAsync(CancellationToken ct)
        {
            var db = s.Db;
            var now = s.Clock.UtcNow;
            var changed = 0;
            var recompute = false;
            string? earliest = null;
            foreach (var planned in Months)
            {
                var key = planned.Month.ToString();
                var entries = planned.Entries.Where(e => planned.Existing is null || e.Changes.Count > 0).ToList();
                if (entries.Count == 0 && !recompute)
                {
                    continue;
                }

                earliest ??= key;
                AppraisalMonth month;
                if (planned.Existing is null)
                {
                    month = new AppraisalMonth { Month = key, Status = MonthStatus.Open, OpenedAt = now, OpenedBy = OpenedBy };
                    db.Months.Add(month);
                    await db.SaveChangesAsync(ct);
                }
                else
                {
                    month = await db.Months.FindAsync([planned.Existing.Id], ct) ?? throw UserError.Conflict();
                    if (month.Version != planned.Existing.Version)
                    {
                        throw MonthRules.ChangedMeanwhile(month);
                    }

                    month.Status = MonthStatus.Open;
                    month.DataVersion++;
                    month.ComputedAt = null;
                    await db.SaveOrConflictAsync(ct, MonthRules.ChangedMeanwhile(month));
                }

                var sheets = planned.Existing is null ? [] : await db.Sheets.Where(x => x.MonthId == month.Id).Include(x => x.Items).ToListAsync(ct);
                var facts = planned.Existing is null ? [] : await db.Facts.Where(f => f.MonthId == month.Id).ToDictionaryAsync(f => f.PersonId, ct);
                foreach (var e in entries)
                {
                    Sheet(sheets, month.Id, e.Person.Id, SheetKind.Supervisor, e.Supervisor, now);
                    if (e.Self is { Count: > 0 } self)
                    {
                        Sheet(sheets, month.Id, e.Person.Id, SheetKind.Self, self, now);
                    }
                    else
                    {
                        db.Sheets.RemoveRange(sheets.Where(x => x.PersonId == e.Person.Id && x.Kind == SheetKind.Self));
                    }

                    if (!facts.TryGetValue(e.Person.Id, out var f))
                    {
                        f = new MonthFacts { MonthId = month.Id, PersonId = e.Person.Id };
                        db.Facts.Add(f);
                    }

                    (f.SalesPlan, f.SalesActual, f.AbsentDays, f.UpdatedAt, f.UpdatedBy) = (e.Plan, e.Actual, e.Absent, now, actor.UserName);
                    var audited = new AuditChanges();
                    audited.AddRange(e.Changes.Select(c => new AuditChange(c.Field, c.Old, c.New)));
                    s.Audit.Record(actor.UserName, planned.Existing is null ? "history.create" : "history.update", key, e.Person.Id, $"{e.Person.EmployeeNo} {e.Person.Name}", audited);
                    changed++;
                }

                await db.SaveChangesAsync(ct);

                // Its results, with the policy in force for it and the months before it; later imported months are computed again after it.
                await ComputeAndConfirmAsync(month, now, ct);
                recompute = true;
            }

            if (earliest is not null)
            {
                // Imported months after the changed ones that the file does not hold: their history changed.
                var inFile = Months.Select(m => m.Month.ToString()).ToHashSet(StringComparer.Ordinal);
                foreach (var later in (await db.Months.Where(m => m.OpenedBy == OpenedBy && string.Compare(m.Month, earliest) > 0).ToListAsync(ct))
                    .Where(m => !inFile.Contains(m.Month)).OrderBy(m => m.Month, StringComparer.Ordinal))
                {
                    later.Status = MonthStatus.Open;
                    later.DataVersion++;
                    await db.SaveOrConflictAsync(ct, MonthRules.ChangedMeanwhile(later));
                    await ComputeAndConfirmAsync(later, now, ct);
                }

                // The product's own open months after the history: their results were computed without it.
                foreach (var live in await db.Months.Where(m => m.Status == MonthStatus.Open && m.OpenedBy != OpenedBy && string.Compare(m.Month, earliest) > 0).ToListAsync(ct))
                {
                    await MonthRules.DataChangedAsync(db, live, ct);
                }
            }

            return changed;
        }

        private async Task ComputeAndConfirmAsync(AppraisalMonth month, DateTime now, CancellationToken ct)
        {
            await s.Compute.ExecuteAsync(actor, month.Id, ct);
            month.Status = MonthStatus.Confirmed;
            month.ConfirmedAt = now;
            month.ConfirmedBy = actor.UserName;
            await s.Db.SaveOrConflictAsync(ct, MonthRules.ChangedMeanwhile(month));
        }

        private void Sheet(List<Sheet> sheets, int monthId, int personId, SheetKind kind, List<SheetItemInput> items, DateTime now)
        {
            var sheet = sheets.FirstOrDefault(x => x.PersonId == personId && x.Kind == kind);
            if (sheet is null)
            {
                sheet = new Sheet { MonthId = monthId, PersonId = personId, Kind = kind };
                s.Db.Sheets.Add(sheet);
                sheets.Add(sheet);
            }

            sheet.Items.Clear();
            sheet.Items.AddRange(items.Select(i => new SheetItem { ItemKey = i.ItemKey, LevelIndex = i.LevelIndex, Score = i.Score }));
            sheet.SubmittedAt = now;
            sheet.SubmittedBy = actor.UserName;
            sheet.UpdatedAt = now;
        }
    }
}
