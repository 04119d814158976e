using Appraisal.Core;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.App.Policy;
using Appraisal.App.Results;
using Appraisal.Web.Policy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using static Appraisal.App.Localization.L;

namespace Appraisal.Web.Pages.Policy;

/// <summary>
/// One policy version (D18): shown like the policy in force; HR drafts from it and edits drafts, the
/// general manager approves drafts. The commands decide who may do what; the page only hides what the
/// signed-in person cannot do.
/// </summary>
public sealed class VersionModel(AppDbContext db, DraftPolicy draft, EditPolicyDraft edit, ApprovePolicy approve, CompanyClock clock, ReadActionSummary summary) : PageModel
{
    /// <summary>Whether the general manager has seen what approving does (the panel's second button).</summary>
    [BindProperty]
    public bool Confirmed { get; set; }

    /// <summary>Set by the first press of 批准: the open months the version would apply to, asked once before approving.</summary>
    public ApprovalSummary? Pending { get; private set; }

    [BindProperty(SupportsGet = true)]
    public int Id { get; set; }

    public PolicyVersion? Row { get; private set; }

    public PolicyDocument Policy { get; private set; } = DefaultPolicy.Instance;

    [BindProperty]
    public PolicyForm Form { get; set; } = new();

    [BindProperty]
    public string? Json { get; set; }

    [BindProperty]
    public string? EffectiveMonth { get; set; }

    /// <summary>The row's concurrency version as read when the form was shown.</summary>
    [BindProperty]
    public int RowVersion { get; set; }

    [TempData]
    public string? Notice { get; set; }

    public string? Error { get; private set; }

    /// <summary>What the last action came to, shown at the top of the page (<c>Shared/_Outcome.cshtml</c>).</summary>
    public Outcome? Outcome => Problems.Count > 0
        ? Pages.Outcome.Refused(
            T($"未保存：发现 {Problems.Count} 处问题，请修改后重试。", $"Nothing was saved: {Problems.Count} problem(s) found; correct them and try again."),
            Problems.Select(p => (Place: PolicyPlace.Describe(p.Where), p.Zh, p.En))
                .Select(p => p.Place.Zh.Length == 0 ? T(p.Zh, p.En) : T($"{p.Place.Zh}：{p.Zh}", $"{p.Place.En}: {p.En}")))
        : Pages.Outcome.Of(Error, Notice);

    public List<Problem> Problems { get; private set; } = [];

    public string? LastConfirmed { get; private set; }

    public Actor Actor => Actor.From(User);

    /// <summary>Whether the page offers drafting from this version (the command decides again).</summary>
    public bool CanDraft => DraftPolicy.MayDraft(Actor);

    public bool CanEdit => Row is { } row && EditPolicyDraft.MayEdit(Actor, row);

    public bool CanApprove => Row is { } row && ApprovePolicy.MayApprove(Actor, row);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        ResetInputs();
        return Page();
    }

    public async Task<IActionResult> OnPostDraftAsync(CancellationToken ct)
    {
        try
        {
            var created = await draft.ExecuteAsync(Actor, Id, ct);
            Notice = T($"已创建草案 {created.VersionName}", $"Draft {created.VersionName} created");
            return RedirectToPage(new { id = created.Id });
        }
        catch (UserError e)
        {
            return await ShowAsync(e, ct);
        }
    }

    public async Task<IActionResult> OnPostEditAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        var keep = Form;
        if (!DraftPolicy.MayDraft(Actor))
        {
            // Refused before the form is read, as the command would refuse it (the form's checks come after).
            return await ShowAsync(UserError.Forbidden(), ct);
        }

        try
        {
            // Form fields that cannot be read and the validator's findings are shown together (every problem at once).
            var problems = new List<Problem>();
            var changed = keep.Apply(Policy, problems);
            if (problems.Count > 0)
            {
                problems.AddRange(PolicyValidator.Validate(changed));
                return Redisplay(problems, keepForm: true);
            }

            await edit.ExecuteAsync(Actor, Id, PolicyJson.Serialize(changed), keep.Note, RowVersion, ct);
            Notice = T("草案已保存", "Draft saved");
            return RedirectToPage(new { id = Id });
        }
        catch (ProblemsException ex)
        {
            return Redisplay([.. ex.Problems], keepForm: true);
        }
        catch (UserError e)
        {
            return await ShowAsync(e, ct, keepForm: true);
        }
    }

    public async Task<IActionResult> OnPostJsonAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        try
        {
            await edit.ExecuteAsync(Actor, Id, Json ?? string.Empty, null, RowVersion, ct);
            Notice = T("草案已保存", "Draft saved");
            return RedirectToPage(new { id = Id });
        }
        catch (ProblemsException ex)
        {
            return Redisplay([.. ex.Problems], keepJson: true);
        }
        catch (UserError e)
        {
            return await ShowAsync(e, ct, keepJson: true);
        }
    }

    public async Task<IActionResult> OnPostApproveAsync(CancellationToken ct)
    {
        try
        {
            if (!Confirmed)
            {
                var (_, effective) = await approve.CheckAsync(Actor, Id, EffectiveMonth?.Trim() ?? string.Empty, RowVersion, ct);
                Pending = await summary.ApprovalAsync(Actor, effective.ToString(), ct);
                if (!await LoadAsync(ct))
                {
                    return NotFound();
                }

                ResetInputs(keepMonth: true);
                return Page();
            }

            var approved = await approve.ExecuteAsync(Actor, Id, EffectiveMonth?.Trim() ?? string.Empty, RowVersion, ct);
            Notice = T($"已批准 {approved.VersionName}，自 {approved.EffectiveFrom} 起生效", $"{approved.VersionName} approved, in force from {approved.EffectiveFrom}");
            return RedirectToPage(new { id = Id });
        }
        catch (UserError e)
        {
            return await ShowAsync(e, ct, keepMonth: true);
        }
    }

    private async Task<IActionResult> ShowAsync(UserError error, CancellationToken ct, bool keepForm = false, bool keepJson = false, bool keepMonth = false)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        Error = error.Localized;
        Response.StatusCode = error.Status;
        ResetInputs(keepForm, keepJson, keepMonth);
        return Page();
    }

    private PageResult Redisplay(List<Problem> problems, bool keepForm = false, bool keepJson = false)
    {
        Problems = problems;
        Response.StatusCode = StatusCodes.Status400BadRequest;
        ResetInputs(keepForm, keepJson);
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Row = await db.PolicyVersions.AsNoTracking().FirstOrDefaultAsync(p => p.Id == Id, ct);
        if (Row is null)
        {
            return false;
        }

        Policy = PolicyStore.Parse(Row);
        LastConfirmed = await db.Months.AsNoTracking().Where(m => m.Status == MonthStatus.Confirmed)
            .OrderByDescending(m => m.Month).Select(m => m.Month).FirstOrDefaultAsync(ct);
        return true;
    }

    /// <summary>Fills the inputs from the stored row, except those being redisplayed with the person's own text.</summary>
    private void ResetInputs(bool keepForm = false, bool keepJson = false, bool keepMonth = false)
    {
        if (!keepForm)
        {
            Form = PolicyForm.From(Policy, Row!.Note);
        }

        if (!keepJson)
        {
            Json = Row!.Json;
        }

        if (!keepMonth)
        {
            // Suggest the first month a new version may take: after the latest confirmed month, and not before next month.
            var next = YearMonth.FromDate(clock.Today).Next;
            if (LastConfirmed is not null && YearMonth.Parse(LastConfirmed).Next > next)
            {
                next = YearMonth.Parse(LastConfirmed).Next;
            }

            EffectiveMonth = next.ToString();
        }

        // A redisplayed form keeps the version it was made from, so that saving it again still detects a concurrent edit.
        if (!keepForm && !keepJson && !keepMonth)
        {
            RowVersion = Row!.Version;
        }
    }
}
