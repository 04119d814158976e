using System.Globalization;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Microsoft.AspNetCore.Mvc;
using static Appraisal.App.Localization.L;

namespace Appraisal.Web.Pages.Results;

/// <summary>The HR review queue of D13: HR decides and records steps; the general manager reads.</summary>
public sealed class ReviewsModel(ReadReviews read, DecideFlagReview decide, AddReviewStep addStep) : GuardedPageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Month { get; set; }

    public ReviewList? View { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ReadAsync(() => LoadAsync(ct));

    public Task<IActionResult> OnPostDecideAsync(int reviewId, int version, string? decision, CancellationToken ct) => ChangeAsync(
        async () =>
        {
            await decide.ExecuteAsync(Me, reviewId, decision, version, ct);
            return T("已记录复核决定", "Decision recorded");
        },
        () => LoadAsync(ct),
        Back(reviewId));

    public Task<IActionResult> OnPostStepAsync(int reviewId, int version, string? kind, string? date, string? note, CancellationToken ct) => ChangeAsync(
        async () =>
        {
            // The date input sends ISO yyyy-MM-dd whatever the page language.
            DateOnly? on = DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
            await addStep.ExecuteAsync(Me, reviewId, kind, on, note, version, ct);
            return T("已添加步骤", "Step added");
        },
        () => LoadAsync(ct),
        Back(reviewId));

    private async Task LoadAsync(CancellationToken ct) => View = await read.ExecuteAsync(Me, string.IsNullOrEmpty(Month) ? null : MonthLookup.Parse(Month, StatusCodes.Status404NotFound), ct);

    private string Back(int reviewId) =>
        (string.IsNullOrEmpty(Month) ? "/Results/Reviews" : $"/Results/Reviews?month={Uri.EscapeDataString(Month)}") + $"#review-{reviewId}";
}
