using Appraisal.App.People;
using Appraisal.Web.People;
using Microsoft.AspNetCore.Mvc;

namespace Appraisal.Web.Pages.People;

/// <summary>Everyone in the company, for HR and the general manager (D19, <see cref="ReadPeople"/>).</summary>
public sealed class IndexModel(ReadPeople read) : GuardedPageModel
{
    public IReadOnlyList<PersonRow> Rows { get; private set; } = [];

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ReadAsync(async () => Rows = await read.ListAsync(Me, ct));
}
