using System.Globalization;
using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.People;
using Appraisal.App.Policy;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Months;

/// <summary>
/// HR extends the appraisal window (第六条 3~6日) for one person, with a reason (D17): until then that
/// person's self-assessment and their supervisor's sheet may still be saved. Each extension is kept.
/// </summary>
public sealed class ExtendWindow(AppDbContext db, PolicyStore policies, AuditLog audit, CompanyClock clock)
{
    public const int MaxReasonLength = PersonEntry.MaxReasonLength;

    public async Task<WindowExtension> ExecuteAsync(Actor actor, int monthId, int personId, DateOnly? until, string? reason, CancellationToken ct = default)
    {
        var (month, ym, person) = await PersonEntry.LoadAsync(db, actor, monthId, personId, ct);
        var deadline = WindowRules.Deadline(await policies.InForceAsync(ym, ct), ym);
        var errors = new List<(string Zh, string En)>();
        if (until is not { } day)
        {
            errors.Add(("请填写延长至的日期", "enter the date the window is extended to"));
        }
        else if (day <= deadline)
        {
            errors.Add(($"延长日期须晚于正常截止日 {deadline:yyyy-MM-dd}", $"the date must be after the normal deadline {deadline:yyyy-MM-dd}"));
        }
        else if (day < clock.Today)
        {
            errors.Add(("延长日期不能早于今天", "the date cannot be before today"));
        }

        var text = PersonEntry.Reason(reason, ("请填写延长原因（第六条的考核期只能由人事逐人延长）", "a reason is required to extend the appraisal window (clause 6, 第六条)"), errors);
        PersonEntry.ThrowIfAny(person, errors);

        var previous = await db.WindowExtensions.Where(e => e.MonthId == monthId && e.PersonId == personId).OrderByDescending(e => e.Id)
            .Select(e => (DateOnly?)e.Until).FirstOrDefaultAsync(ct) ?? deadline;
        var extension = new WindowExtension { MonthId = monthId, PersonId = personId, Until = until!.Value, Reason = text, By = actor.UserName, At = clock.UtcNow };
        db.WindowExtensions.Add(extension);
        audit.Record(actor.UserName, "window.extend", month.Month, personId, string.Create(CultureInfo.InvariantCulture, $"until {until:yyyy-MM-dd}: {text}"),
            new AuditChanges().Field("windowUntil", previous, until));
        await db.SaveChangesAsync(ct);
        return extension;
    }
}
