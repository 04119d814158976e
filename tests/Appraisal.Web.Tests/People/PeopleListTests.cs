using System.Globalization;
using System.Net;
using Appraisal.App.People;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.People;

/// <summary>
/// The people list at the size of a company: searched, filtered, ordered and paged by the database, with every
/// answer checked against the stored people filtered here in memory (SQLite and PostgreSQL).
/// </summary>
public sealed class PeopleListTests(PeopleListTests.Company app) : IClassFixture<PeopleListTests.Company>
{
    /// <summary>The demo company and 260 more agents in two new teams (three pages of 100 and more).</summary>
    public sealed class Company : AppFactory, IAsyncLifetime
    {
        async ValueTask IAsyncLifetime.InitializeAsync()
        {
            await InitializeAsync();
            await DbAsync(async db =>
            {
                var east = new Team { Name = "华东组" };
                var west = new Team { Name = "华西组" };
                db.Teams.AddRange(east, west);
                var surnames = "王李张刘陈杨黄赵吴周";
                var given = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平";
                for (var i = 0; i < 260; i++)
                {
                    db.People.Add(new Person
                    {
                        EmployeeNo = string.Create(CultureInfo.InvariantCulture, $"P{2020 + (i % 6)}{i:D4}"),
                        Name = $"{surnames[i % surnames.Length]}{given[i * 7 % given.Length]}{given[i * 3 % given.Length]}",
                        Role = Roles.Agent,
                        Team = i % 3 == 0 ? east : i % 3 == 1 ? west : null,
                        HireDate = new DateOnly(2020 + (i % 6), 1 + (i % 12), 1 + (i % 28)),
                        Active = i % 10 != 0,
                    });
                }

                return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
            });
        }
    }

    private sealed record Stored(int Id, string EmployeeNo, string Name, string Role, int? TeamId, string? TeamName, bool Active, DateOnly HireDate);

    private Task<List<Stored>> EveryoneAsync() => app.DbAsync(db => db.People.AsNoTracking()
        .Select(p => new Stored(p.Id, p.EmployeeNo, p.Name, p.Role, p.TeamId, p.Team != null ? p.Team.Name : null, p.Active, p.HireDate))
        .ToListAsync(TestContext.Current.CancellationToken));

    private static async Task<List<int>> AllPagesAsync(HttpClient client, string query)
    {
        var ids = new List<int>();
        for (var p = 1; p < 20; p++)
        {
            using var response = await client.GetAsync($"/People?{query}&p={p}", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var html = await response.TextAsync();
            ids.AddRange(Html.PersonRows(html));
            if (!html.Contains("rel=\"next\"", StringComparison.Ordinal))
            {
                return ids;
            }
        }

        throw new InvalidOperationException("more than 20 pages");
    }

    public static TheoryData<string, string> Filters => new()
    {
        { "everyone", "" },
        { "part of a name", "q=" + Uri.EscapeDataString("王伟") },
        { "a surname", "q=" + Uri.EscapeDataString("李") },
        { "part of an employee number, lower case", "q=p2023" },
        { "a demo number", "q=e00" },
        { "a team", "team=EAST" },
        { "no team", "team=0" },
        { "a role", "role=Supervisor" },
        { "inactive", "status=inactive" },
        { "active agents of a team, by hiring date", "team=WEST&role=Agent&status=active&sort=HireDate" },
        { "nobody", "q=" + Uri.EscapeDataString("不存在的人") },
        { "a search longer than any name", "q=" + new string('王', 101) },
    };

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task Every_filter_lists_exactly_the_matching_people_page_after_page_in_order(string what, string query)
    {
        var everyone = await EveryoneAsync();
        var east = everyone.First(p => p.TeamName == "华东组").TeamId!.Value;
        var west = everyone.First(p => p.TeamName == "华西组").TeamId!.Value;
        query = query.Replace("EAST", east.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("WEST", west.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var args = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
        string? Arg(string key) => args.TryGetValue(key, out var v) ? v.ToString() : null;

        var q = Arg("q");
        IEnumerable<Stored> expected = everyone.Where(p => q is null || (q.Length <= 100
            && (p.EmployeeNo.Contains(q, StringComparison.OrdinalIgnoreCase) || p.Name.Contains(q, StringComparison.OrdinalIgnoreCase))));
        if (Arg("team") is { } team)
        {
            expected = team == "0" ? expected.Where(p => p.TeamId is null) : expected.Where(p => p.TeamId == int.Parse(team, CultureInfo.InvariantCulture));
        }

        if (Arg("role") is { } role)
        {
            expected = expected.Where(p => p.Role == role);
        }

        if (Arg("status") is { } status)
        {
            expected = expected.Where(p => p.Active == (status == "active"));
        }

        var ordered = Arg("sort") == "HireDate"
            ? expected.OrderBy(p => p.HireDate).ThenBy(p => p.EmployeeNo, StringComparer.Ordinal)
            : expected.OrderBy(p => p.EmployeeNo, StringComparer.Ordinal);

        using var hr = await SignIn.AsAsync(app, "hr");
        var listed = await AllPagesAsync(hr, query);
        Assert.True(ordered.Select(p => p.Id).SequenceEqual(listed), $"{what}: expected {ordered.Count()} people in order, the pages listed {listed.Count}");
    }

    [Fact]
    public async Task Pages_hold_100_rows_a_page_beyond_the_last_shows_the_last_and_a_column_heading_reverses_the_order()
    {
        var everyone = await EveryoneAsync();
        using var hr = await SignIn.AsAsync(app, "hr");
        using var first = await hr.GetAsync("/People", TestContext.Current.CancellationToken);
        var html = await first.TextAsync();
        Assert.Equal(100, Html.PersonRows(html).Count);
        var pages = (everyone.Count + 99) / 100;
        Assert.Contains($"第 1 / {pages} 页", html, StringComparison.Ordinal);
        Assert.Contains($"共 {everyone.Count} 人，显示第 1–100 人。", html, StringComparison.Ordinal);

        using var beyond = await hr.GetAsync("/People?p=999", TestContext.Current.CancellationToken);
        var last = Html.PersonRows(await beyond.TextAsync());
        Assert.Equal(everyone.Count - ((pages - 1) * 100), last.Count);

        var descending = await AllPagesAsync(hr, "sort=EmployeeNo&desc=true");
        Assert.Equal(everyone.OrderByDescending(p => p.EmployeeNo, StringComparer.Ordinal).Select(p => p.Id), descending);
        Assert.Contains("aria-sort=\"descending\"", (await (await hr.GetAsync("/People?sort=EmployeeNo&desc=true", TestContext.Current.CancellationToken)).TextAsync()), StringComparison.Ordinal);
    }
}
