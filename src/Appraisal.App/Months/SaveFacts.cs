using System.Globalization;
using Appraisal.Core.Months;
using Appraisal.Core.Pay;
using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.People;
using Appraisal.App.Policy;
using Appraisal.App.Results;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Months;

/// <summary>One row of HR's bulk entry: typed values, null where nothing was entered.</summary>
/// <param name="Eligibility">Blank (the absence rule decides, D14), <c>include</c> or <c>exclude</c>.</param>
/// <param name="ExpectedVersion">The stored row's version the form showed, or null when it showed none.</param>
public sealed record FactsEntry(int PersonId, decimal? SalesPlan, decimal? SalesActual, int? AbsentDays, string? Eligibility,
    string? OverrideReason, int? ExpectedVersion)
{
    /// <summary>
    /// What a page's text field held when it was not a number at all (the value is then null), so that it is
    /// reported like any other problem: by employee number and field, together with all the others.
    /// </summary>
    public UnreadFacts? Unread { get; init; }
}

/// <summary>The text typed in a number field of <see cref="FactsEntry"/> that did not read as a number; null where it did.</summary>
public sealed record UnreadFacts(string? SalesPlan, string? SalesActual, string? AbsentDays);

/// <summary>
/// HR saves a month's facts for many people at once: sales plan and actual (第九条, D8), absence days
/// (第二条, D14) and eligibility overrides with their reason (D14). All or nothing: every row is checked
/// first and every problem reported; one bad row saves nothing. Changes make the month's results stale.
/// </summary>
public sealed class SaveFacts(AppDbContext db, PolicyStore policies, AuditLog audit, CompanyClock clock)
{
    public const string Include = "include";
    public const string Exclude = "exclude";
    public const int MaxReasonLength = 500;

    /// <summary>Above what decimal(18,4) can hold with room to spare; no agent sells this much in a month.</summary>
    public const decimal MaxAmount = 1_000_000_000_000m;

    /// <returns>How many rows were added or changed.</returns>
    public async Task<int> ExecuteAsync(Actor actor, int monthId, IReadOnlyList<FactsEntry> rows, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(rows);
        FactsAccess.EnsureEnter(actor);
        var month = await db.Months.FindAsync([monthId], ct) ?? throw UserError.NotFound();
        MonthRules.EnsureOpen(month);
        var ym = YearMonth.Parse(month.Month);
        var policy = await policies.InForceAsync(ym, ct);
        var people = (await ComputeResults.AppraisedPeopleAsync(db, ym, ct)).ToDictionary(p => p.Id);
        var stored = await db.Facts.Where(f => f.MonthId == monthId).ToDictionaryAsync(f => f.PersonId, ct);

        var errors = new List<(string Where, string Zh, string En)>();
        var conflict = false;
        var seen = new HashSet<int>();
        var valid = new List<(Person Person, MonthFacts? Row, decimal Plan, decimal Actual, int Absent, bool? Override, string? Reason)>();
        for (var i = 0; i < rows.Count; i++)
        {
            var entry = rows[i];
            if (!people.TryGetValue(entry.PersonId, out var person))
            {
                errors.Add(($"rows[{i}]", $"第 {i + 1} 行：不是 {month.Month} 的参评员工", $"row {i + 1}: not an employee appraised in {month.Month}"));
                continue;
            }

            var no = person.EmployeeNo;
            if (!seen.Add(person.Id))
            {
                errors.Add((no, $"{no}：重复出现", $"{no}: appears twice"));
                continue;
            }

            stored.TryGetValue(person.Id, out var row);
            if (row is null && IsBlank(entry))
            {
                // Not known yet: a blank row is simply not entered.
                continue;
            }

            if (row?.Version != entry.ExpectedVersion)
            {
                // Who changed it, so that HR knows whom to ask; the row itself is named by number and name.
                conflict = true;
                var by = row?.UpdatedBy is { Length: > 0 } u ? u : null;
                errors.Add((
                    no,
                    $"{no} {person.Name}：该行已被{(by is null ? "他人" : $" {by} ")}修改，请刷新页面后重新录入该行",
                    $"{no} {person.Name}: this row was changed by {by ?? "someone else"}; reload the page and enter it again"));
                continue;
            }

            var before = errors.Count;
            var plan = ReadMoney(no, "销售计划", "sales plan", entry.SalesPlan, entry.Unread?.SalesPlan, policy.Money.Decimals, errors);
            var actual = ReadMoney(no, "实际销售额", "actual sales", entry.SalesActual, entry.Unread?.SalesActual, policy.Money.Decimals, errors);
            var absent = ReadAbsence(no, entry.AbsentDays, entry.Unread?.AbsentDays, ym.DaysInMonth, errors);
            var (ov, reason) = ReadOverride(no, entry.Eligibility, entry.OverrideReason, errors);
            if (errors.Count == before)
            {
                valid.Add((person, row, plan, actual, absent, ov, reason));
            }
        }

        if (errors.Count > 0)
        {
            throw new UserError("未保存任何数据：" + string.Join("；", errors.Select(e => e.Zh)),
                "nothing was saved: " + string.Join("; ", errors.Select(e => e.En)), conflict ? 409 : 400)
            {
                Errors = errors.Select(e => new ApiError(e.Where, e.Zh, e.En)).ToList(),
            };
        }

        var now = clock.UtcNow;
        var changed = 0;
        var added = new List<MonthFacts>();
        var entries = new List<AuditEntry>();
        foreach (var (person, existing, plan, actual, absent, ov, reason) in valid)
        {
            var row = existing;
            if (row is not null && row.SalesPlan == plan && row.SalesActual == actual && row.AbsentDays == absent
                && row.EligibilityOverride == ov && row.OverrideReason == reason)
            {
                continue;
            }

            var changes = new AuditChanges()
                .Field("salesPlan", row?.SalesPlan, plan).Field("salesActual", row?.SalesActual, actual).Field("absentDays", row?.AbsentDays, absent)
                .Field("eligibility", Choice(row?.EligibilityOverride), Choice(ov)).Field("overrideReason", row?.OverrideReason, reason);
            if (row is null)
            {
                row = new MonthFacts { MonthId = monthId, PersonId = person.Id };
                added.Add(row);
            }

            row.SalesPlan = plan;
            row.SalesActual = actual;
            row.AbsentDays = absent;
            row.EligibilityOverride = ov;
            row.OverrideReason = reason;
            row.UpdatedAt = now;
            row.UpdatedBy = actor.UserName;
            entries.Add(audit.Entry(actor.UserName, "facts.save", month.Month, person.Id, string.Create(CultureInfo.InvariantCulture,
                $"plan {plan}, actual {actual}, absent {absent}, override {Choice(ov) ?? "-"}{(reason is null ? string.Empty : ": " + reason)}"), changes));
            changed++;
        }

        if (changed == 0)
        {
            return 0;
        }

        // Many new rows (an imported file) are written as they are, without the change tracker; a few go with SaveChanges.
        var bulk = added.Count >= BulkInsert.Threshold;
        if (!bulk)
        {
            db.Facts.AddRange(added);
            db.Audit.AddRange(entries);
        }

        // A concurrent edit of a row (its Version) or a concurrent first entry (unique month+person) is a 409.
        await MonthRules.SaveChangeAsync(db, month, changesResults: true, ct, new UserError(
            $"未保存任何数据：保存的同时有人修改或录入了 {month.Month} 的其中几行；请刷新页面，核对后重新录入",
            $"nothing was saved: someone changed or entered some of these rows of {month.Month} at the same moment; reload the page, check them and enter them again", 409),
            bulk ? async c => { await db.InsertAsync(added, c); await db.InsertAsync(entries, c); } : null);
        return changed;
    }

    private static string? Choice(bool? eligibilityOverride) => eligibilityOverride is { } v ? v ? Include : Exclude : null;

    private static bool IsBlank(FactsEntry e) =>
        e.SalesPlan is null && e.SalesActual is null && e.AbsentDays is null
        && e.Unread is null or { SalesPlan: null, SalesActual: null, AbsentDays: null }
        && string.IsNullOrWhiteSpace(e.Eligibility) && string.IsNullOrWhiteSpace(e.OverrideReason);

    private static decimal ReadMoney(string no, string zh, string en, decimal? value, string? unread, int decimals, List<(string Where, string Zh, string En)> errors)
    {
        if (value is null && unread is null)
        {
            errors.Add((no, $"{no} {zh}：必填", $"{no} {en}: required"));
            return 0;
        }

        if (value is not { } amount || MoneyProblem(amount, decimals) is not null)
        {
            var text = unread?.Trim() ?? value!.Value.ToString(CultureInfo.InvariantCulture);
            errors.Add((no, $"{no} {zh}：“{text}”无效，须为不小于 0 的金额，最多 {decimals} 位小数",
                $"{no} {en}: \"{text}\" is not valid; expected an amount ≥ 0 with at most {decimals} decimals"));
            return 0;
        }

        return amount;
    }

    /// <summary>
    /// What is wrong with a sales amount (plan or actual), or null: D9 keeps amounts in yuan to the policy's decimals
    /// (分); a third decimal is a typing error, not something to round away. The facts page and the imports check with it.
    /// </summary>
    public static (string Zh, string En)? MoneyProblem(decimal amount, int decimals) =>
        amount < 0 || amount > MaxAmount || !Money.HasAtMostDecimals(amount, decimals)
            ? ($"须为不小于 0 的金额，最多 {decimals} 位小数", $"expected an amount ≥ 0 with at most {decimals} decimals")
            : null;

    /// <summary>What is wrong with a month's absence days, or null: D14 counts whole days of absence of every kind within the month.</summary>
    public static (string Zh, string En)? AbsenceProblem(int days, int daysInMonth) =>
        days < 0 || days > daysInMonth
            ? ($"须为 0–{daysInMonth} 的整数", $"expected a whole number 0–{daysInMonth}")
            : null;

    private static int ReadAbsence(string no, int? value, string? unread, int daysInMonth, List<(string Where, string Zh, string En)> errors)
    {
        if (value is null && unread is null)
        {
            errors.Add((no, $"{no} 缺岗天数：必填（没有缺岗填 0）", $"{no} absence days: required (0 when none)"));
            return 0;
        }

        if (value is not { } days || AbsenceProblem(days, daysInMonth) is not null)
        {
            var text = unread?.Trim() ?? value!.Value.ToString(CultureInfo.InvariantCulture);
            errors.Add((no, $"{no} 缺岗天数：“{text}”无效，须为 0–{daysInMonth} 的整数",
                $"{no} absence days: \"{text}\" is not valid; expected a whole number 0–{daysInMonth}"));
            return 0;
        }

        return days;
    }

    private static (bool? Override, string? Reason) ReadOverride(string no, string? choice, string? reasonText, List<(string Where, string Zh, string En)> errors)
    {
        var reason = string.IsNullOrWhiteSpace(reasonText) ? null : reasonText.Trim();
        bool? value;
        switch (choice?.Trim())
        {
            case null or "":
                // No override: the absence rule decides and any old reason goes with the old override.
                return (null, null);
            case Include:
                value = true;
                break;
            case Exclude:
                value = false;
                break;
            default:
                errors.Add((no, $"{no} 参评资格：“{choice}”无效", $"{no} eligibility: \"{choice}\" is not valid"));
                return (null, null);
        }

        // D14: an override of eligibility is recorded with its reason.
        if (!Appraisal.Core.Results.InputValidator.IsOverrideReason(reason))
        {
            errors.Add((no, $"{no} 覆盖原因：调整参评资格须填写原因", $"{no} override reason: a reason is required to override eligibility"));
        }
        else if (reason.Length > MaxReasonLength)
        {
            errors.Add((no, $"{no} 覆盖原因：最多 {MaxReasonLength} 字", $"{no} override reason: at most {MaxReasonLength} characters"));
        }

        return (value, reason);
    }
}
