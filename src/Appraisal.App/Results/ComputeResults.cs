using System.Collections.Immutable;
using Appraisal.Core;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.Core.Results;
using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Policy;
using Appraisal.App.Sheets;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Results;

/// <summary>
/// Computes a month's results with the engine and the policy version in force for it (D18), from the
/// month's sheets, facts and adjustments and the months before it (the history rules D12, D14 need
/// them), and stores the snapshot. All-or-nothing: if anyone's supervisor sheet or facts are missing,
/// nothing is stored and the message names each of them with what they lack. The old results are replaced in one transaction, and only
/// if the month's data did not change while computing (<see cref="AppraisalMonth.DataVersion"/>): results
/// are never stored for data older than what is in the month, and never half.
/// </summary>
public sealed class ComputeResults(AppDbContext db, PolicyStore policies, AuditLog audit, CompanyClock clock, Reminders.Outbox outbox)
{
    public async Task<int> ExecuteAsync(Actor actor, int monthId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsHr && !actor.IsGeneralManager)
        {
            throw UserError.Forbidden();
        }

        using var span = Telemetry.AppMetrics.Activities.StartActivity("appraisal.compute");
        var started = System.Diagnostics.Stopwatch.GetTimestamp();

        // Read before the data: a change committed after this read raises DataVersion and the store below refuses.
        var month = await db.Months.FindAsync([monthId], ct) ?? throw UserError.NotFound();
        MonthRules.EnsureOpen(month);
        var ym = YearMonth.Parse(month.Month);
        var policy = await policies.InForceAsync(ym, ct);

        var expected = await AppraisedPeopleAsync(db, ym, ct);
        var input = await BuildInputAsync(db, policy, month.Month, ct);
        var current = input.Months.Single(m => m.Month == ym);
        var present = current.Employees.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
        var missing = expected.Where(p => !present.Contains(p.EmployeeNo)).ToList();
        if (missing.Count > 0)
        {
            throw await MissingAsync(db, month, missing, ct);
        }

        EvaluationResult result;
        try
        {
            result = Evaluator.Evaluate(input, policy);
        }
        catch (ProblemsException ex)
        {
            throw EngineRefused(month.Month, ex.Problems, expected);
        }

        var people = expected.ToDictionary(p => p.EmployeeNo, StringComparer.Ordinal);
        var now = clock.UtcNow;
        // Inside a caller's transaction (an import of past months) the results commit with it.
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;

        // The month first: its update is conditional on Version and DataVersion as read (concurrency tokens),
        // so a change of the data, another computation or a confirmation since then ends here, before any row
        // is touched; on PostgreSQL the row stays locked until commit, so those wait for this one.
        month.ComputedAt = now;
        month.PolicyVersion = policy.Version;
        await db.SaveOrConflictAsync(ct, MonthRules.ChangedMeanwhile(month));

        // Thousands of new rows nobody reads back in this unit of work: written in bulk, not change-tracked (issue 10).
        await db.Results.Where(r => r.MonthId == monthId).ExecuteDeleteAsync(ct);
        var computed = result.Months.Single(m => m.Month == ym).Results;
        var stored = new List<StoredResult>(computed.Length);
        foreach (var r in computed)
        {
            var person = people[r.Id];
            stored.Add(ToStored(r, monthId, person.Id, person.TeamId, policy.Version, now));
        }

        await db.InsertAsync(stored, ct);

        audit.Record(actor.UserName, "results.compute", month.Month, detail: $"policy {policy.Version}, {expected.Count} people");
        await outbox.ReadyToConfirmAsync(month, ct);
        await db.SaveOrConflictAsync(ct, MonthRules.ChangedMeanwhile(month));
        if (tx is not null)
        {
            await tx.CommitAsync(ct);
        }

        Telemetry.AppMetrics.Computed(started, expected.Count);
        return expected.Count;
    }

    /// <summary>The agents under the policy in <paramref name="month"/>: hired by its end, not gone before its start.</summary>
    public static Task<List<Person>> AppraisedPeopleAsync(AppDbContext db, YearMonth month, CancellationToken ct) =>
        Appraised(db, month).OrderBy(p => p.EmployeeNo).ToListAsync(ct);

    /// <summary>The agents appraised in <paramref name="month"/> as a query, for lists that filter, count, group and page them in the database (team page, dashboards).</summary>
    public static IQueryable<Person> Appraised(AppDbContext db, YearMonth month)
    {
        ArgumentNullException.ThrowIfNull(db);
        var first = month.FirstDay;
        var last = month.Next.FirstDay.AddDays(-1);
        return db.People.AsNoTracking()
            .Where(p => p.Role == Roles.Agent && p.HireDate <= last && (p.LeaveDate == null || p.LeaveDate >= first));
    }

    /// <summary>
    /// The evaluate contract's input for every month up to <paramref name="upTo"/>: an employee appears in
    /// a month when their supervisor sheet is submitted and their facts are entered. Read as only what the engine
    /// uses (issue 10: a company of 20 000 with a year of history is millions of sheet items): each submitted sheet
    /// as one row with its scores joined into one text by the database, keyed by the item's place in the policy;
    /// the facts' rule fields; the adjustments summed per person by the database.
    /// </summary>
    public static async Task<EvaluationInput> BuildInputAsync(AppDbContext db, PolicyDocument policy, string upTo, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(policy);
        var months = await db.Months.AsNoTracking().Where(m => string.Compare(m.Month, upTo) <= 0).OrderBy(m => m.Month)
            .Select(m => new { m.Id, m.Month }).ToListAsync(ct);
        var monthIds = months.Select(m => m.Id).ToList();
        var people = await db.People.AsNoTracking().Where(p => p.Role == Roles.Agent)
            .Select(p => new { p.Id, p.EmployeeNo, p.Name }).ToDictionaryAsync(p => p.Id, ct);
        var submitted = db.Sheets.AsNoTracking().Where(s => s.SubmittedAt != null && monthIds.Contains(s.MonthId));
        var (items, labels) = LabelledItems(db, policy);
        // Grouped in the order of the sheets' unique index (month, person, kind): no sort in the database.
        var sheets = await (
                from s in submitted
                join i in items on s.Id equals i.SheetId
                group new { i.Label, i.Score } by new { s.MonthId, s.PersonId, s.Kind } into g
                select new { g.Key.MonthId, g.Key.PersonId, g.Key.Kind, Scores = string.Join(",", g.Select(x => x.Score + ":" + x.Label)) })
            .ToListAsync(ct);
        var facts = (await db.Facts.AsNoTracking().Where(f => monthIds.Contains(f.MonthId))
            .Select(f => new { f.MonthId, f.PersonId, f.SalesPlan, f.SalesActual, f.AbsentDays, f.EligibilityOverride, f.OverrideReason })
            .ToListAsync(ct)).ToLookup(f => f.MonthId);
        var adjustments = await db.PayAdjustments.AsNoTracking().Where(a => monthIds.Contains(a.MonthId))
            .GroupBy(a => new { a.MonthId, a.PersonId }).Select(g => new { g.Key.MonthId, g.Key.PersonId, Sum = g.Sum(a => a.Amount) })
            .ToListAsync(ct);

        var sheetsBy = new Dictionary<(int MonthId, int PersonId, SheetKind Kind), ItemScores>(sheets.Count);
        foreach (var s in sheets)
        {
            sheetsBy[(s.MonthId, s.PersonId, s.Kind)] = Scores(policy, labels, s.Scores);
        }

        var otherBy = adjustments.ToDictionary(a => (a.MonthId, a.PersonId), a => a.Sum);
        var builder = ImmutableArray.CreateBuilder<MonthInput>(months.Count);
        foreach (var month in months)
        {
            var employees = ImmutableArray.CreateBuilder<EmployeeMonthInput>();
            foreach (var f in facts[month.Id])
            {
                if (!people.TryGetValue(f.PersonId, out var person)
                    || !sheetsBy.TryGetValue((month.Id, f.PersonId, SheetKind.Supervisor), out var supervisor))
                {
                    continue;
                }

                employees.Add(new EmployeeMonthInput(
                    person.EmployeeNo,
                    person.Name,
                    sheetsBy.GetValueOrDefault((month.Id, f.PersonId, SheetKind.Self)),
                    supervisor,
                    f.SalesPlan,
                    f.SalesActual,
                    f.AbsentDays,
                    otherBy.GetValueOrDefault((month.Id, f.PersonId)),
                    f.EligibilityOverride,
                    f.EligibilityOverride is null ? null : f.OverrideReason));
            }

            builder.Add(new MonthInput(YearMonth.Parse(month.Month), employees.ToImmutable()));
        }

        return new EvaluationInput(builder.MoveToImmutable());
    }

    /// <summary>A sheet item as the engine reads it: its sheet, the label of its item (<see cref="LabelledItems"/>), the score.</summary>
    private sealed class LabelledItem
    {
        public int SheetId { get; init; }

        public required string Label { get; init; }

        public int Score { get; init; }
    }

    /// <summary>
    /// The sheet items labelled so that a sheet's "score:label,score:label" text reads back without doubt, with each
    /// label's index in <paramref name="policy"/>: the item key itself, or, when one of the policy's keys holds a comma
    /// or colon, the key's index as text, turned into it by the database (a CASE over the policy's keys, which costs the
    /// database more). A key the policy no longer has is a label that is not in the table, and is ignored.
    /// </summary>
    private static (IQueryable<LabelledItem> Items, Dictionary<string, int> Labels) LabelledItems(AppDbContext db, PolicyDocument policy)
    {
        var plain = policy.Items.All(i => i.Key.AsSpan().IndexOfAny(',', ':') < 0);
        var labels = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var k = 0; k < policy.Items.Length; k++)
        {
            labels[plain ? policy.Items[k].Key : k.ToString(System.Globalization.CultureInfo.InvariantCulture)] = k;
        }

        var items = db.SheetItems.AsNoTracking();
        if (plain)
        {
            return (items.Select(i => new LabelledItem { SheetId = i.SheetId, Label = i.ItemKey, Score = i.Score }), labels);
        }

        var item = System.Linq.Expressions.Expression.Parameter(typeof(SheetItem), "i");
        var key = System.Linq.Expressions.Expression.Property(item, nameof(SheetItem.ItemKey));
        System.Linq.Expressions.Expression place = System.Linq.Expressions.Expression.Constant(-1);
        for (var k = policy.Items.Length - 1; k >= 0; k--)
        {
            place = System.Linq.Expressions.Expression.Condition(
                System.Linq.Expressions.Expression.Equal(key, System.Linq.Expressions.Expression.Constant(policy.Items[k].Key)),
                System.Linq.Expressions.Expression.Constant(k),
                place);
        }

        var label = System.Linq.Expressions.Expression.Call(place, typeof(int).GetMethod(nameof(int.ToString), Type.EmptyTypes)!);
        var body = System.Linq.Expressions.Expression.MemberInit(
            System.Linq.Expressions.Expression.New(typeof(LabelledItem)),
            System.Linq.Expressions.Expression.Bind(typeof(LabelledItem).GetProperty(nameof(LabelledItem.SheetId))!, System.Linq.Expressions.Expression.Property(item, nameof(SheetItem.SheetId))),
            System.Linq.Expressions.Expression.Bind(typeof(LabelledItem).GetProperty(nameof(LabelledItem.Label))!, label),
            System.Linq.Expressions.Expression.Bind(typeof(LabelledItem).GetProperty(nameof(LabelledItem.Score))!, System.Linq.Expressions.Expression.Property(item, nameof(SheetItem.Score))));
        return (items.Select(System.Linq.Expressions.Expression.Lambda<Func<SheetItem, LabelledItem>>(body, item)), labels);
    }

    /// <summary>
    /// The refusal when some appraised people are not in the input: one problem per person naming what they lack
    /// (the supervisor sheet not filled in, only a draft, or no sales and absence facts), with the pages where each
    /// is put right.
    /// </summary>
    private static async Task<UserError> MissingAsync(AppDbContext db, AppraisalMonth month, List<Person> missing, CancellationToken ct)
    {
        var ids = missing.Select(p => p.Id).ToList();
        var sheets = await db.Sheets.AsNoTracking()
            .Where(s => s.MonthId == month.Id && s.Kind == SheetKind.Supervisor && ids.Contains(s.PersonId))
            .Select(s => new { s.PersonId, Submitted = s.SubmittedAt != null })
            .ToListAsync(ct);
        var withFacts = (await db.Facts.AsNoTracking().Where(f => f.MonthId == month.Id && ids.Contains(f.PersonId))
            .Select(f => f.PersonId).ToListAsync(ct)).ToHashSet();
        var errors = new List<ApiError>(missing.Count);
        foreach (var p in missing)
        {
            var sheet = sheets.FirstOrDefault(s => s.PersonId == p.Id);
            var zh = new List<string>(2);
            var en = new List<string>(2);
            var links = new List<ErrorLink>(2);
            if (sheet is not { Submitted: true })
            {
                zh.Add(sheet is null ? "主管尚未填写评分表" : "主管评分表只有草稿，尚未提交");
                en.Add(sheet is null ? "the supervisor has not filled in the sheet" : "the supervisor's sheet is only a draft, not submitted");
                links.Add(new ErrorLink($"/Sheets/Edit?month={month.Month}&person={p.Id}&kind=Supervisor", "打开主管评分表", "Open the supervisor's sheet"));
            }

            if (!withFacts.Contains(p.Id))
            {
                zh.Add("尚未录入销售与缺岗数据");
                en.Add("no sales and absence facts entered");
                links.Add(new ErrorLink($"/Months/Facts?month={month.Month}&q={Uri.EscapeDataString(p.EmployeeNo)}", "录入其销售与缺岗数据", "Enter their sales and absence"));
            }

            errors.Add(new ApiError(
                InputValidator.Where(month.Month, p.EmployeeNo, withFacts.Contains(p.Id) ? "supervisor" : "facts"),
                $"{p.Name}（{p.EmployeeNo}）：{string.Join("；", zh)}",
                $"{p.Name} ({p.EmployeeNo}): {string.Join("; ", en)}")
            {
                Links = links,
            });
        }

        return new UserError(
            $"无法计算：{missing.Count} 名员工的资料不全，未保存任何结果。补齐下列各项后再计算：",
            $"Cannot compute: {missing.Count} employee(s) lack what the results need; nothing was stored. Complete each of these, then compute again:")
        {
            Errors = errors,
        };
    }

    /// <summary>
    /// The engine's refusal in plain words: each problem names the person (and the month, when it is an earlier one)
    /// instead of the engine's place of the field; the API keeps that place in <see cref="ApiError.Where"/>.
    /// </summary>
    private static UserError EngineRefused(string month, IReadOnlyList<Problem> problems, List<Person> people)
    {
        var byNo = people.ToDictionary(p => p.EmployeeNo, StringComparer.Ordinal);
        var errors = problems.Select(p =>
        {
            var place = PlaceOf.Match(p.Where);
            var no = place.Groups["no"].Success ? place.Groups["no"].Value : null;
            var inMonth = place.Groups["month"].Success ? place.Groups["month"].Value : month;
            var who = no is null ? null : byNo.TryGetValue(no, out var person) ? $"{person.Name}（{no}）" : no;
            var whoEn = who?.Replace("（", " (", StringComparison.Ordinal).Replace("）", ")", StringComparison.Ordinal);
            var prefixZh = who is null ? $"{inMonth}：" : inMonth == month ? $"{who}：" : $"{who} {inMonth}：";
            var prefixEn = whoEn is null ? $"{inMonth}: " : inMonth == month ? $"{whoEn}: " : $"{whoEn} {inMonth}: ";
            return new ApiError(p.Where, prefixZh + p.Zh, prefixEn + p.En)
            {
                Links = no is null ? [] : [new ErrorLink($"/Months/Facts?month={inMonth}&q={Uri.EscapeDataString(no)}", "查看其数据", "See their facts")],
            };
        }).ToList();
        return new UserError(
            $"无法计算：数据有 {errors.Count} 处问题，未保存任何结果。改正后再计算：",
            $"Cannot compute: the data has {errors.Count} problem(s); nothing was stored. Correct them, then compute again:")
        {
            Errors = errors,
        };
    }

    /// <summary>The month and employee of the engine's place of a problem (<see cref="InputValidator.Where"/>).</summary>
    private static readonly System.Text.RegularExpressions.Regex PlaceOf = new(
        "(月份 month (?<month>[0-9]{4}-[0-9]{2}))?(, )?(员工 employee (?<no>[^,]+))?",
        System.Text.RegularExpressions.RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));

    /// <summary>
    /// A sheet's scores from the database's "score:label,score:label" text (<see cref="LabelledItems"/>): items the policy
    /// no longer has are ignored; a missing item is -1 so that validation names it.
    /// </summary>
    private static ItemScores Scores(PolicyDocument policy, Dictionary<string, int> labels, string joined)
    {
        var scores = new int[policy.Items.Length];
        Array.Fill(scores, -1);
        var lookup = labels.GetAlternateLookup<ReadOnlySpan<char>>();
        foreach (var range in joined.AsSpan().Split(','))
        {
            var pair = joined.AsSpan()[range];
            var colon = pair.IndexOf(':');
            if (colon > 0 && lookup.TryGetValue(pair[(colon + 1)..], out var index)
                && int.TryParse(pair[..colon], System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var score))
            {
                scores[index] = score;
            }
        }

        return new ItemScores(scores);
    }

    private static StoredResult ToStored(EmployeeResult r, int monthId, int personId, int? teamId, string policyVersion, DateTime now) => new()
    {
        MonthId = monthId,
        PersonId = personId,
        TeamId = teamId,
        PolicyVersion = policyVersion,
        Eligible = r.Eligible,
        SelfTotal = r.SelfTotal,
        SupervisorTotal = r.SupervisorTotal,
        Score = r.Score,
        GradeKey = r.Grade?.Key,
        LevelKey = r.PayGrade.Key,
        PositionSalary = r.PositionSalary,
        SalesPlan = r.SalesPlan,
        SalesActual = r.SalesActual,
        CommissionRate = r.CommissionTier.Rate,
        Commission = r.Commission,
        Bonus = r.Bonus,
        OtherPay = r.OtherPay,
        TotalPay = r.TotalPay,
        Rank = r.Rank,
        SalesRank = r.SalesRank,
        Flags = r.Flags,
        AbsentDaysInWindow = r.AbsentDaysInWindow,
        ComputedAt = now,
    };
}
