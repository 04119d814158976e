using Appraisal.App.People;
using Microsoft.AspNetCore.Mvc;

namespace Appraisal.Web.Pages.People;

/// <summary>
/// Everyone in the company, for HR and the general manager (D19, <see cref="ReadPeople"/>): searched by name or
/// employee number, filtered by team, role and status, ordered by a column and shown a page at a time — in the
/// query string, so that a link keeps it.
/// </summary>
public sealed class IndexModel(ReadPeople read) : GuardedPageModel
{
    [BindProperty(SupportsGet = true, Name = "q")]
    public string? Query { get; set; }

    /// <summary>A team's id; 0 for the people in no team.</summary>
    [BindProperty(SupportsGet = true, Name = "team")]
    public int? Team { get; set; }

    [BindProperty(SupportsGet = true, Name = "role")]
    public string? Role { get; set; }

    /// <summary><c>active</c> or <c>inactive</c>; anything else is everyone.</summary>
    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "sort")]
    public string? Sort { get; set; }

    [BindProperty(SupportsGet = true, Name = "desc")]
    public bool Descending { get; set; }

    /// <summary>The page, from 1 ("page" is Razor Pages' own route value, hence "p").</summary>
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public PageOf<PersonRow> People { get; private set; } = new([], 1, Paging.Size, 0, 0);

    public IReadOnlyList<(int Id, string Name)> Teams { get; private set; } = [];

    public PeopleSort SortedBy => Enum.TryParse<PeopleSort>(Sort, ignoreCase: true, out var s) && Enum.IsDefined(s) ? s : PeopleSort.EmployeeNo;

    public bool Filtered => !string.IsNullOrWhiteSpace(Query) || Team is not null || !string.IsNullOrEmpty(Role) || ActiveFilter is not null;

    private bool? ActiveFilter => Status switch { "active" => true, "inactive" => false, _ => null };

    /// <summary>The search, filter and order, for the links of the pages and the column headings.</summary>
    public PagerView Pager => new("/People", new Dictionary<string, string?>
    {
        ["q"] = Query?.Trim(),
        ["team"] = Team?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["role"] = Role,
        ["status"] = ActiveFilter is null ? null : Status,
        ["sort"] = SortedBy == PeopleSort.EmployeeNo ? null : SortedBy.ToString(),
        ["desc"] = Descending ? "true" : null,
    }.Where(q => q.Value is not null).ToDictionary(q => q.Key, q => q.Value!), People.Number, People.Count);

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => ReadAsync(async () =>
    {
        Teams = await read.TeamsAsync(Me, ct);
        var role = Roles.All.Contains(Role) ? Role : null;
        Role = role;
        People = await read.PageAsync(Me, new PeopleFilter(Query, Team, role, ActiveFilter, SortedBy, Descending, PageNumber), ct);
    });
}
