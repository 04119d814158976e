using Appraisal.App.Results;
using Appraisal.Web.Results;
using Microsoft.AspNetCore.Mvc;

namespace Appraisal.Web.Pages.Results;

/// <summary>One person's months (D19: an employee only their own).</summary>
public sealed class HistoryModel(ReadHistory read) : GuardedPageModel
{
    [BindProperty(SupportsGet = true)]
    public int? Person { get; set; }

    public ResultHistory? View { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ReadAsync(async () =>
    {
        // Without a person the page shows the signed-in employee's own history.
        var person = Person ?? Me.PersonId ?? throw UserError.NotFound();
        View = await read.ExecuteAsync(Me, person, ct);
    });
}
