using Appraisal.App.People;
using Appraisal.Web.People;
using Microsoft.AspNetCore.Mvc;

namespace Appraisal.Web.Pages.People;

/// <summary>One person, for HR and the general manager (D19, <see cref="ReadPeople"/>): who they are, their team and accounts.</summary>
public sealed class DetailModel(ReadPeople read) : GuardedPageModel
{
    [BindProperty(SupportsGet = true)]
    public int Id { get; set; }

    public PersonRow? Person { get; private set; }

    public string? Supervisor { get; private set; }

    public IReadOnlyList<string> Accounts { get; private set; } = [];

    public int Results { get; private set; }

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ReadAsync(async () =>
    {
        var detail = await read.DetailAsync(Me, Id, ct);
        (Person, Supervisor, Accounts, Results) = (detail.Person, detail.Supervisor, detail.Accounts, detail.Results);
    });
}
