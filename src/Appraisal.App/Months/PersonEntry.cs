using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.App.People;
using Appraisal.App.Results;

namespace Appraisal.App.Months;

/// <summary>
/// What HR's entries for one person of a month have in common — a pay adjustment (D10) and a window
/// extension (D17): HR only, the month still open, the person appraised in it, a reason that is required
/// and bounded, and every problem of the entry told at once, naming the person.
/// </summary>
public static class PersonEntry
{
    public const int MaxReasonLength = 500;

    /// <summary>The month and person of the entry, or the refusal (403 unless HR, 404, 409 when confirmed, 400 not appraised).</summary>
    public static async Task<(AppraisalMonth Month, YearMonth YearMonth, Person Person)> LoadAsync(
        AppDbContext db, Actor actor, int monthId, int personId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(actor);
        FactsAccess.EnsureEnter(actor);
        var month = await db.Months.FindAsync([monthId], ct) ?? throw UserError.NotFound();
        MonthRules.EnsureOpen(month);
        var ym = YearMonth.Parse(month.Month);
        var person = (await ComputeResults.AppraisedPeopleAsync(db, ym, ct)).FirstOrDefault(p => p.Id == personId)
            ?? throw new UserError($"请选择 {month.Month} 的参评员工", $"choose an employee appraised in {month.Month}");
        return (month, ym, person);
    }

    /// <summary>The trimmed reason; a missing (<paramref name="missing"/>) or too long one is added to <paramref name="errors"/>.</summary>
    public static string Reason(string? reason, (string Zh, string En) missing, List<(string Zh, string En)> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        var text = reason?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            errors.Add(missing);
        }
        else if (text.Length > MaxReasonLength)
        {
            errors.Add(($"原因最多 {MaxReasonLength} 字", $"the reason may have at most {MaxReasonLength} characters"));
        }

        return text;
    }

    /// <summary>Refuses the entry with all of <paramref name="errors"/> in one message, if there are any.</summary>
    public static void ThrowIfAny(Person person, List<(string Zh, string En)> errors)
    {
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(errors);
        if (errors.Count > 0)
        {
            throw new UserError($"{person.EmployeeNo} {person.Name}：" + string.Join("；", errors.Select(e => e.Zh)),
                $"{person.EmployeeNo} {person.Name}: " + string.Join("; ", errors.Select(e => e.En)))
            {
                Errors = errors.Select(e => new ApiError(person.EmployeeNo, e.Zh, e.En)).ToList(),
            };
        }
    }
}
