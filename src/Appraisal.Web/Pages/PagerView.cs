namespace Appraisal.Web.Pages;

/// <summary>
/// The links of a long list's pages (<c>Shared/_Pager.cshtml</c>): the page's path, the query string that keeps the
/// search, filter and order, and the page shown of how many. The page number goes in <c>p</c> ("page" is Razor
/// Pages' own route value). Keys without a value are left out.
/// </summary>
public sealed record PagerView(string Path, IReadOnlyDictionary<string, string> Query, int Number, int Count)
{
    /// <summary>The link to page <paramref name="number"/> with the same search, filter and order.</summary>
    public string Link(int number) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(Path,
            Query.Where(q => !string.IsNullOrEmpty(q.Value) && q.Key != "p").Select(q => new KeyValuePair<string, string?>(q.Key, q.Value))
                .Append(new("p", number.ToString(System.Globalization.CultureInfo.InvariantCulture))));

    /// <summary>The link to the first page in another order (a column's heading), the search and filter kept.</summary>
    public string Sorted(string sort, bool descending) =>
        Microsoft.AspNetCore.WebUtilities.QueryHelpers.AddQueryString(Path,
            Query.Where(q => !string.IsNullOrEmpty(q.Value) && q.Key is not ("p" or "sort" or "desc")).Select(q => new KeyValuePair<string, string?>(q.Key, q.Value))
                .Append(new("sort", sort)).Concat(descending ? [new("desc", "true")] : []));
}
