using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.Pay;
using Appraisal.App.People;
using Appraisal.App.Results;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Files;

/// <summary>
/// A month's sales (plan and actual, 第九条) or absence days (第二条, D14) from a file, saved through
/// <see cref="SaveFacts"/> with its checks: a row that changes nothing is not sent, so the same file twice changes nothing.
/// </summary>
internal static class FactsImport
{
    public static async Task<ImportPlan> PlanAsync(ImportServices s, Actor actor, ImportKind kind, AppraisalMonth month, List<ImportRow> rows,
        ImportProblems problems, CancellationToken ct)
    {
        var ym = YearMonth.Parse(month.Month);
        var policy = await s.Policies.InForceAsync(ym, ct);
        var people = ImportPeople.ByNumber(await ComputeResults.AppraisedPeopleAsync(s.Db, ym, ct));
        var everyone = await ImportPeople.OthersAsync(s.Db, rows, people, ct);
        var stored = await s.Db.Facts.AsNoTracking().Where(f => f.MonthId == month.Id).ToDictionaryAsync(f => f.PersonId, ct);
        var plan = new Plan(s, actor, month.Id);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var decimals = policy.Money.Decimals;
        foreach (var row in rows)
        {
            var person = ImportPeople.Match(row, people, everyone, seen, month.Month);
            stored.TryGetValue(person?.Id ?? 0, out var old);
            var changes = new List<FieldChange>();
            var entry = (FactsEntry?)null;
            if (kind == ImportKind.Sales)
            {
                var planned = Money(row, "salesPlan", decimals);
                var actual = Money(row, "salesActual", decimals);
                if (person is null || planned is not { } p || actual is not { } a)
                {
                    continue;
                }

                Change(changes, "salesPlan", "销售计划", "sales plan", old?.SalesPlan, p);
                Change(changes, "salesActual", "实际销售额", "actual sales", old?.SalesActual, a);

                // A new row's absence is 0 until the absence is imported or entered (the facts page says the same: 0 when none).
                entry = new FactsEntry(person.Id, p, a, old?.AbsentDays ?? 0, Choice(old), old?.OverrideReason, old?.Version);
            }
            else
            {
                var days = row.Whole("absentDays");
                if (days is { } d && SaveFacts.AbsenceProblem(d, ym.DaysInMonth) is { } wrong)
                {
                    row.Problem("absentDays", wrong);
                    days = null;
                }

                if (person is null || days is not { } absent)
                {
                    continue;
                }

                if (old is null)
                {
                    row.Problem(ImportLayout.EmployeeNo, ($"{person.Name} 的 {month.Month} 销售数据尚未录入：请先导入销售计划与实际销售额，再导入缺岗",
                        $"{person.Name}'s sales for {month.Month} are not entered yet: import the sales plan and actual first, then the absence"));
                    continue;
                }

                Change(changes, "absentDays", "缺岗天数", "absence days", old.AbsentDays, absent);
                entry = new FactsEntry(person.Id, old.SalesPlan, old.SalesActual, absent, Choice(old), old.OverrideReason, old.Version);
            }

            plan.Add(row, person, changes, old is null, entry);
        }

        return plan;
    }

    private static decimal? Money(ImportRow row, string key, int decimals)
    {
        var value = row.Amount(key);
        if (value is { } v && SaveFacts.MoneyProblem(v, decimals) is { } wrong)
        {
            row.Problem(key, wrong);
            return null;
        }

        return value;
    }

    private static string? Choice(MonthFacts? f) => f?.EligibilityOverride switch { true => SaveFacts.Include, false => SaveFacts.Exclude, null => null };

    internal static void Change(List<FieldChange> changes, string field, string zh, string en, decimal? old, decimal @new)
    {
        if (old != @new)
        {
            changes.Add(new FieldChange(field, zh, en, old is null ? null : ImportPeople.Text(old), ImportPeople.Text(@new)));
        }
    }

    private sealed class Plan(ImportServices s, Actor actor, int monthId) : ImportPlan
    {
        private readonly List<FactsEntry> entries = [];

        public void Add(ImportRow row, Person person, List<FieldChange> changes, bool isNew, FactsEntry? entry)
        {
            Add(row, person.EmployeeNo, person.Name, changes, isNew);
            if (entry is not null && (isNew || changes.Count > 0))
            {
                entries.Add(entry);
            }
        }

        public override async Task<int> ApplyAsync(CancellationToken ct) =>
            entries.Count == 0 ? 0 : await s.SaveFacts.ExecuteAsync(actor, monthId, entries, ct);
    }
}

/// <summary>
/// A month's pay adjustments (其他, 第十条, D10) from a file: one row per person and reason with the amount. Adjustments
/// are appended, never edited (<see cref="AddPayAdjustment"/>): a reason new for the person adds the amount; a reason
/// already there with another total adds the difference, so that the person's adjustments for that reason then add
/// up to the file's amount; the same total changes nothing. The same file twice thus changes nothing.
/// </summary>
internal static class AdjustmentsImport
{
    public static async Task<ImportPlan> PlanAsync(ImportServices s, Actor actor, AppraisalMonth month, List<ImportRow> rows, ImportProblems problems, CancellationToken ct)
    {
        var ym = YearMonth.Parse(month.Month);
        var policy = await s.Policies.InForceAsync(ym, ct);
        var people = ImportPeople.ByNumber(await ComputeResults.AppraisedPeopleAsync(s.Db, ym, ct));
        var everyone = await ImportPeople.OthersAsync(s.Db, rows, people, ct);
        var stored = (await s.Db.PayAdjustments.AsNoTracking().Where(a => a.MonthId == month.Id).ToListAsync(ct))
            .GroupBy(a => (a.PersonId, a.Reason.Trim())).ToDictionary(g => g.Key, g => g.Sum(a => a.Amount));
        var plan = new Plan(s, actor, month.Id);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            var errors = new List<(string Zh, string En)>();
            var reason = AddPayAdjustment.ReasonText(row.Text("reason"), errors);
            foreach (var e in errors.Where(_ => row.Has("reason")))
            {
                row.Problem("reason", e);
            }

            var amount = row.Amount("amount");
            if (amount is { } a && AddPayAdjustment.AmountProblem(a, policy.Money.Decimals) is { } wrong)
            {
                row.Problem("amount", wrong);
                amount = null;
            }

            // The same person and reason twice: which amount is meant cannot be guessed.
            var person = ImportPeople.Match(row, people, everyone, new HashSet<string>(StringComparer.Ordinal), month.Month);
            if (person is null || amount is not { } value || errors.Count > 0)
            {
                continue;
            }

            if (!seen.Add($"{person.EmployeeNo}\n{reason}"))
            {
                row.Problem("reason", ($"{person.Name} 的“{reason}”在文件中出现了两次：同一原因请合并为一行", $"{person.Name}'s \"{reason}\" appears twice in the file: put one reason on one row"));
                continue;
            }

            var old = stored.TryGetValue((person.Id, reason), out var sum) ? sum : (decimal?)null;
            var changes = new List<FieldChange>();
            FactsImport.Change(changes, "otherPay", $"调整：{reason}", $"adjustment: {reason}", old, value);
            plan.Add(row, person, changes, old is null, value - (old ?? 0), reason);
        }

        return plan;
    }

    private sealed class Plan(ImportServices s, Actor actor, int monthId) : ImportPlan
    {
        private readonly List<(int PersonId, decimal Delta, string Reason)> adds = [];

        public void Add(ImportRow row, Person person, List<FieldChange> changes, bool isNew, decimal delta, string reason)
        {
            Add(row, person.EmployeeNo, person.Name, changes, isNew);
            if (delta != 0)
            {
                adds.Add((person.Id, delta, reason));
            }
        }

        public override async Task<int> ApplyAsync(CancellationToken ct)
        {
            foreach (var (personId, delta, reason) in adds)
            {
                await s.AddAdjustment.ExecuteAsync(actor, monthId, personId, delta, reason, ct);
            }

            return adds.Count;
        }
    }
}
