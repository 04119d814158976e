using Appraisal.App.Dashboards;
using Appraisal.App.Results;
using Appraisal.Web.Results;
using Microsoft.AspNetCore.Mvc;

namespace Appraisal.Web.Pages.Results;

/// <summary>
/// One person's months (D19: an employee only their own, a supervisor their team, HR and the general manager
/// everyone; the reading of pay audited by <see cref="ReadHistory"/>): the last 12 calendar months as score and pay
/// charts with their tables and what the next grade needs, then every month.
/// </summary>
public sealed class HistoryModel(ReadHistory read) : GuardedPageModel
{
    [BindProperty(SupportsGet = true)]
    public int? Person { get; set; }

    public ResultHistory? View { get; private set; }

    /// <summary>The charts' 12 calendar months, oldest first (a month without a result is a gap).</summary>
    public IReadOnlyList<HistoryMonth> Months { get; private set; } = [];

    /// <summary>What the next grade needs after the newest scored month of the chart (第八条), or null.</summary>
    public NextGrade? ToNextGrade { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ReadAsync(async () =>
    {
        // Without a person the page shows the signed-in employee's own history.
        var person = Person ?? Me.PersonId ?? throw UserError.NotFound();
        View = await read.ExecuteAsync(Me, person, ct);
        Months = View.LastMonths();
        ToNextGrade = NextGrade.Of(View, Months.Select(m => m.Row).OfType<HistoryRow>());
    });
}
