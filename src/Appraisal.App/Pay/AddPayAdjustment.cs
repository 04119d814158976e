using System.Globalization;
using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Appraisal.App.Policy;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Pay;

/// <summary>
/// HR adds a manual pay adjustment (其他, 第十条, D10) for one person and month: an amount, negative for a
/// deduction, always with its reason. Adjustments are appended, never edited: a correction is another
/// adjustment, so the history of what was paid stays readable. The month's results become stale.
/// </summary>
public sealed class AddPayAdjustment(AppDbContext db, PolicyStore policies, AuditLog audit, CompanyClock clock)
{
    public const int MaxReasonLength = PersonEntry.MaxReasonLength;

    /// <summary>A sanity bound, far above any monthly allowance or deduction.</summary>
    public const decimal MaxAmount = 1_000_000m;

    public async Task<PayAdjustment> ExecuteAsync(Actor actor, int monthId, int personId, decimal amount, string? reason, CancellationToken ct = default)
    {
        var (month, ym, person) = await PersonEntry.LoadAsync(db, actor, monthId, personId, ct);
        var policy = await policies.InForceAsync(ym, ct);
        var decimals = policy.Money.Decimals;
        var errors = new List<(string Zh, string En)>();
        if (AmountProblem(amount, decimals) is { } problem)
        {
            errors.Add(problem);
        }

        var text = ReasonText(reason, errors);
        PersonEntry.ThrowIfAny(person, errors);

        var before = await db.PayAdjustments.Where(a => a.MonthId == monthId && a.PersonId == personId).Select(a => a.Amount).ToListAsync(ct);
        var adjustment = new PayAdjustment { MonthId = monthId, PersonId = personId, Amount = amount, Reason = text, By = actor.UserName, At = clock.UtcNow };
        db.PayAdjustments.Add(adjustment);
        audit.Record(actor.UserName, "pay.adjust", month.Month, personId, string.Create(CultureInfo.InvariantCulture, $"{amount}: {text}"),
            new AuditChanges().Field("otherPay", before.Sum(), before.Sum() + amount));
        await MonthRules.SaveChangeAsync(db, month, changesResults: true, ct);
        return adjustment;
    }

    /// <summary>What is wrong with an adjustment's amount, or null (the page, the API and the import check with it).</summary>
    public static (string Zh, string En)? AmountProblem(decimal amount, int decimals)
    {
        if (amount == 0)
        {
            return ("金额不能为 0", "the amount cannot be 0");
        }

        // D9: money is entered to the 分; more decimals would be rounded silently later.
        return Math.Abs(amount) > MaxAmount || !Core.Pay.Money.HasAtMostDecimals(amount, decimals)
            ? ($"金额须在 ±{MaxAmount:0} 以内，最多 {decimals} 位小数", $"the amount must be within ±{MaxAmount:0} with at most {decimals} decimals")
            : null;
    }

    /// <summary>The adjustment's trimmed reason; a missing or too long one is added to <paramref name="errors"/>.</summary>
    public static string ReasonText(string? reason, List<(string Zh, string En)> errors) =>
        PersonEntry.Reason(reason, ("请填写调整原因（第十条“其他”）", "a reason is required for the adjustment (第十条 “其他”)"), errors);
}
