using Appraisal.App.People;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.App;

/// <summary>
/// One page of a long list (a company of thousands of agents): its rows, its number, how many rows match the
/// filter and how many there are in all. The filter, the order and the cut are done by the database.
/// </summary>
public sealed record PageOf<T>(IReadOnlyList<T> Rows, int Number, int Size, int Matching, int Total)
{
    /// <summary>How many pages the matching rows fill (at least one, which may be empty).</summary>
    public int Count => Math.Max(1, (Matching + Size - 1) / Size);

    /// <summary>The position of the page's first row among the matching ones, from 1 (0 when none match).</summary>
    public int First => Rows.Count == 0 ? 0 : ((Number - 1) * Size) + 1;

    /// <summary>The position of the page's last row among the matching ones.</summary>
    public int Last => Rows.Count == 0 ? 0 : First + Rows.Count - 1;
}

/// <summary>How the long lists are cut into pages and searched.</summary>
public static class Paging
{
    /// <summary>Rows per page.</summary>
    public const int Size = 100;

    /// <summary>The longest search text read; anything longer matches nobody anyway.</summary>
    public const int MaxQueryLength = 100;

    /// <summary>
    /// Page <paramref name="number"/> (from 1; beyond the last, the last) of <paramref name="ordered"/>, a query
    /// already filtered and ordered: one count and one page read by the database.
    /// </summary>
    public static async Task<PageOf<T>> ReadAsync<T>(IQueryable<T> ordered, int number, int total, CancellationToken ct, int size = Size)
    {
        ArgumentNullException.ThrowIfNull(ordered);
        var matching = await ordered.CountAsync(ct);
        var count = Math.Max(1, (matching + size - 1) / size);
        number = Math.Clamp(number, 1, count);
        var rows = matching == 0 ? [] : await ordered.Skip((number - 1) * size).Take(size).ToListAsync(ct);
        return new PageOf<T>(rows, number, size, matching, total);
    }

    /// <summary>A search text as typed, trimmed and in upper case for a comparison that ignores case; null when blank.</summary>
    public static string? Search(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null : text.Trim().ToUpperInvariant();

    /// <summary>
    /// The people of <paramref name="people"/> whose name or employee number contains <paramref name="text"/>
    /// (case ignored; all of them when it is blank, none when it is longer than <see cref="MaxQueryLength"/>).
    /// The one search of every long list of people (people, team, facts), done by the database.
    /// </summary>
    public static IQueryable<Person> Matching(IQueryable<Person> people, string? text)
    {
        ArgumentNullException.ThrowIfNull(people);
        var q = Search(text);
        if (q is null)
        {
            return people;
        }

        if (q.Length > MaxQueryLength)
        {
            return people.Where(_ => false);
        }

        // Translated to SQL (upper(…) and a substring search by the database), not run by .NET's culture.
#pragma warning disable CA1304, CA1311, CA1862
        return people.Where(p => p.EmployeeNo.ToUpper().Contains(q) || p.Name.ToUpper().Contains(q));
#pragma warning restore CA1304, CA1311, CA1862
    }
}
