using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Sheets;

/// <summary>
/// The supervisor records the feedback talk (绩效面谈) with one team member: 第七条 asks the assessor to
/// talk the result through with the person, and D16 makes it a condition of the general manager's
/// confirmation. One talk per person and month; recording again corrects it.
/// </summary>
public sealed class RecordFeedbackTalk(AppDbContext db, Access access, AuditLog audit, CompanyClock clock)
{
    /// <summary>D16 asks for short notes, not minutes.</summary>
    public const int MaxNotesLength = 500;

    /// <param name="expectedVersion">The version the form showed, or null when it showed no talk yet.</param>
    public async Task<FeedbackTalk> ExecuteAsync(Actor actor, int monthId, int personId, DateOnly? date, string? notes, int? expectedVersion,
        CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var month = await db.Months.FindAsync([monthId], ct) ?? throw UserError.NotFound();

        // Only the person's own supervisor talks with them (D16, D19); the supervisor is a member of
        // their own team, so the person must also be someone appraised (第二条).
        var person = await db.People.FindAsync([personId], ct);
        if (person is null || !person.IsAppraised || !await access.SupervisesAsync(actor, personId, ct))
        {
            throw UserError.Forbidden();
        }

        MonthRules.EnsureOpen(month);
        var trimmed = notes?.Trim() ?? string.Empty;
        var errors = new List<(string Zh, string En)>();
        var firstDay = Core.Months.YearMonth.Parse(month.Month).FirstDay;
        var today = clock.Today;
        if (date is not { } day)
        {
            errors.Add(("请填写面谈日期", "enter the date of the talk"));
        }
        else if (day < firstDay)
        {
            errors.Add(($"面谈日期不能早于 {month.Month} 月初", $"the talk cannot be before the start of {month.Month}"));
        }
        else if (day > today)
        {
            // A talk is recorded after it happened, not planned here.
            errors.Add(("面谈日期不能晚于今天", "the talk cannot be dated after today"));
        }

        if (trimmed.Length == 0)
        {
            errors.Add(("请填写面谈要点", "enter short notes of the talk"));
        }
        else if (trimmed.Length > MaxNotesLength)
        {
            errors.Add(($"面谈要点最多 {MaxNotesLength} 字", $"the notes may have at most {MaxNotesLength} characters"));
        }

        if (errors.Count > 0)
        {
            throw new UserError($"{person.Name}：" + string.Join("；", errors.Select(e => e.Zh)), $"{person.Name}: " + string.Join("; ", errors.Select(e => e.En)))
            {
                Errors = errors.Select(e => new ApiError(person.EmployeeNo, e.Zh, e.En)).ToList(),
            };
        }

        var talk = await db.FeedbackTalks.FirstOrDefaultAsync(t => t.MonthId == monthId && t.PersonId == personId, ct);
        if (talk?.Version != expectedVersion)
        {
            throw UserError.Conflict();
        }

        if (talk is null)
        {
            talk = new FeedbackTalk { MonthId = monthId, PersonId = personId, Date = date!.Value, Notes = trimmed, By = actor.UserName };
            db.FeedbackTalks.Add(talk);
        }
        else
        {
            talk.Date = date!.Value;
            talk.Notes = trimmed;
            talk.By = actor.UserName;
        }

        audit.Record(actor.UserName, "feedback.record", month.Month, personId, string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd}"));

        // A concurrent correction (Version), or the unique (month, person) index when two tabs recorded the
        // first talk at once, is a 409; so is a month confirmed meanwhile.
        await MonthRules.SaveChangeAsync(db, month, changesResults: false, ct);

        return talk;
    }
}
