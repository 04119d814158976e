using Appraisal.App.Audit;
using Appraisal.App.Data;
using Appraisal.App.Months;
using Appraisal.App.People;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App.Results;

/// <summary>The steps of the Labour Contract Law Art. 40(2) path that HR records on a review (D13).</summary>
public static class ReviewStepKinds
{
    public const string Training = "training";
    public const string JobChange = "jobChange";
    public const string Reappraisal = "reappraisal";
    public const string Notice = "notice";

    public static readonly IReadOnlyList<string> All = [Training, JobChange, Reappraisal, Notice];

    public static string Label(string kind) => kind switch
    {
        Training => Localization.L.T("培训", "Training"),
        JobChange => Localization.L.T("调岗", "Job change"),
        Reappraisal => Localization.L.T("重新考核", "Re-appraisal"),
        Notice => Localization.L.T("书面通知", "Written notice"),
        _ => kind,
    };
}

/// <summary>HR records the human decision on a 自动请辞 flag (D13); the product itself never decides an exit.</summary>
public sealed class DecideFlagReview(AppDbContext db, AuditLog audit, CompanyClock clock)
{
    public const int MaxLength = 2000;

    public async Task ExecuteAsync(Actor actor, int reviewId, string? decision, int expectedVersion, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsHr)
        {
            throw UserError.Forbidden();
        }

        var text = decision?.Trim() ?? string.Empty;
        if (text.Length == 0)
        {
            throw new UserError("请填写复核决定", "write down the decision");
        }

        if (text.Length > MaxLength)
        {
            throw new UserError($"复核决定不能超过 {MaxLength} 字", $"the decision may have at most {MaxLength} characters");
        }

        var review = await db.FlagReviews.FindAsync([reviewId], ct) ?? throw UserError.NotFound();
        if (review.Version != expectedVersion)
        {
            throw UserError.Conflict();
        }

        review.Decision = text;
        review.DecidedBy = actor.UserName;
        review.DecidedAt = clock.UtcNow;
        var month = await db.Months.Where(m => m.Id == review.MonthId).Select(m => m.Month).FirstAsync(ct);
        audit.Record(actor.UserName, "review.decide", month, review.PersonId, $"{review.Flag}: {text}");
        await SaveAsync(db, ct);
    }

    internal static async Task SaveAsync(AppDbContext db, CancellationToken ct)
    {
        await db.SaveOrConflictAsync(ct);
    }
}

/// <summary>
/// HR adds a step taken on a review: training, job change, re-appraisal or written notice (D13). Art. 40(2)
/// allows notice only after training or a job change and a re-appraisal, so the order is enforced here.
/// </summary>
public sealed class AddReviewStep(AppDbContext db, AuditLog audit)
{
    public async Task ExecuteAsync(Actor actor, int reviewId, string? kind, DateOnly? date, string? note, int expectedVersion, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!actor.IsHr)
        {
            throw UserError.Forbidden();
        }

        if (kind is null || !ReviewStepKinds.All.Contains(kind, StringComparer.Ordinal))
        {
            throw new UserError("请选择步骤类型：培训、调岗、重新考核或书面通知", "choose a step: training, job change, re-appraisal or written notice");
        }

        if (date is not { } on)
        {
            throw new UserError("请填写步骤日期", "give the date of the step");
        }

        var text = note?.Trim();
        if (text?.Length > DecideFlagReview.MaxLength)
        {
            throw new UserError($"备注不能超过 {DecideFlagReview.MaxLength} 字", $"the note may have at most {DecideFlagReview.MaxLength} characters");
        }

        var review = await db.FlagReviews.Include(r => r.Steps).FirstOrDefaultAsync(r => r.Id == reviewId, ct) ?? throw UserError.NotFound();
        if (review.Version != expectedVersion)
        {
            throw UserError.Conflict();
        }

        var remedy = review.Steps.Where(s => s.Kind is ReviewStepKinds.Training or ReviewStepKinds.JobChange && s.Date <= on).ToList();
        if (kind == ReviewStepKinds.Reappraisal && remedy.Count == 0)
        {
            throw new UserError("重新考核须在培训或调岗之后（《劳动合同法》第四十条第二项）",
                "a re-appraisal comes after training or a job change (Labour Contract Law Art. 40(2))");
        }

        if (kind == ReviewStepKinds.Notice && !review.Steps.Any(s => s.Kind == ReviewStepKinds.Reappraisal && s.Date <= on && remedy.Any(t => t.Date <= s.Date)))
        {
            throw new UserError("书面通知须在培训或调岗并重新考核之后（《劳动合同法》第四十条第二项）",
                "written notice comes only after training or a job change and then a re-appraisal (Labour Contract Law Art. 40(2))");
        }

        review.Steps.Add(new ReviewStep { Kind = kind, Date = on, Note = string.IsNullOrEmpty(text) ? null : text });

        // The step changes the review: saving it checks and bumps the review's version (optimistic concurrency).
        db.Entry(review).State = EntityState.Modified;
        var month = await db.Months.Where(m => m.Id == review.MonthId).Select(m => m.Month).FirstAsync(ct);
        audit.Record(actor.UserName, "review.step", month, review.PersonId, $"{review.Flag}: {kind} {on:yyyy-MM-dd} {text}");
        await DecideFlagReview.SaveAsync(db, ct);
    }
}
