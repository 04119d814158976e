using Appraisal.Core.Months;
using Appraisal.App.Data;
using Appraisal.Web.Data;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.App.People;
using Appraisal.Web.People;
using Appraisal.App.Policy;
using Appraisal.Web.Policy;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using static Appraisal.App.Localization.L;

namespace Appraisal.Web.Pages.Months;

/// <summary>All appraisal months with their state (D16); HR opens the next one here.</summary>
public sealed class IndexModel(AppDbContext db, PolicyStore policies, OpenMonth openMonth, CompanyClock clock) : PageModel
{
    public sealed record Row(AppraisalMonth Month, bool HasResults, string PolicyVersion, bool PolicyIsStored);

    public List<Row> Rows { get; } = [];

    public Actor Actor { get; private set; } = null!;

    /// <summary>The month the open form suggests: the current month if not open yet, else the next one not open.</summary>
    [BindProperty]
    public string? NewMonth { get; set; }

    public string? Error { get; private set; }

    [TempData]
    public string? Notice { get; set; }

    /// <summary>What the last action came to, shown at the top of the page (<c>Shared/_Outcome.cshtml</c>).</summary>
    public Outcome? Outcome => Pages.Outcome.Of(Error, Notice);

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(keepInput: false, ct);

    public async Task<IActionResult> OnPostOpenAsync(CancellationToken ct)
    {
        Actor = Actor.From(User);
        try
        {
            var month = await openMonth.ExecuteAsync(Actor, NewMonth?.Trim() ?? string.Empty, ct);
            Notice = T($"已开启 {month.Month}，员工现在可以填写自评。", $"{month.Month} is open; employees can now fill in their self-assessments.");
            return RedirectToPage();
        }
        catch (UserError e) when (e.Status == StatusCodes.Status403Forbidden)
        {
            return Forbid();
        }
        catch (UserError e)
        {
            Error = e.Localized;
            Response.StatusCode = e.Status;
            await LoadAsync(keepInput: true, ct);
            return Page();
        }
    }

    private async Task LoadAsync(bool keepInput, CancellationToken ct)
    {
        Actor = Actor.From(User);
        var months = await db.Months.AsNoTracking().OrderByDescending(m => m.Month).ToListAsync(ct);
        var withResults = await db.Results.Select(r => r.MonthId).Distinct().ToListAsync(ct);
        foreach (var m in months)
        {
            // A computed month shows the version it was computed with (D18); otherwise the one that would be used.
            var version = m.PolicyVersion ?? (await policies.InForceAsync(YearMonth.Parse(m.Month), ct)).Version;
            Rows.Add(new Row(m, withResults.Contains(m.Id), version, m.PolicyVersion is not null));
        }

        if (!keepInput)
        {
            var open = months.Select(m => m.Month).ToHashSet(StringComparer.Ordinal);
            var suggestion = YearMonth.FromDate(clock.Today);
            while (open.Contains(suggestion.ToString()))
            {
                suggestion = suggestion.Next;
            }

            NewMonth = suggestion.ToString();
        }
    }
}
