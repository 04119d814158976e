using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Appraisal.App.Audit;
using Appraisal.Web.Audit;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

// Not ".Audit": that namespace would hide Appraisal.Web.Audit from the other tests that name it as Audit.AuditEntry.
namespace Appraisal.Web.Tests.AuditAndData;

/// <summary>
/// The audit log's search (D25): each filter and their combination against the database itself, keyset
/// paging, who may read it, company time on the page, plain words instead of keys, old → new of a facts change.
/// </summary>
public sealed partial class AuditSearchTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A month no demo entry uses, so that the seeded entries can be told apart.</summary>
    private const string SeedMonth = "2001-05";

    [Fact]
    public async Task Each_filter_narrows_the_search_to_what_the_database_holds_and_filters_combine()
    {
        var demo = await Demo.LoadAsync(app);
        await SeedAsync(demo);
        using var hr = await SignIn.AsAsync(app, "hr");
        var all = await app.DbAsync(db => db.Audit.AsNoTracking().ToListAsync(Ct));
        var e003 = demo.Id("E003");
        var sup1Name = await app.DbAsync(db => db.Users.Where(u => u.UserName == "sup1").Select(u => u.Person!.Name).SingleAsync(Ct));
        var from = new DateTime(2001, 5, 10, 0, 0, 0, DateTimeKind.Utc);
        var to = new DateTime(2001, 5, 20, 0, 0, 0, DateTimeKind.Utc);

        var cases = new (string Query, Func<AuditEntry, bool> Expected)[]
        {
            ("who=sup1", a => a.User == "sup1"),
            ($"who={Uri.EscapeDataString(sup1Name)}", a => a.User == "sup1"),
            ("what=facts.save", a => a.Action == "facts.save"),
            ($"from={Iso(from)}&to={Iso(to)}", a => a.At >= from && a.At < to),
            ("person=E003", a => a.PersonId == e003),
            ($"month={SeedMonth}", a => a.Month == SeedMonth),
            ($"month={demo.Previous}", a => a.Month == demo.Previous.ToString()),
            ($"who=hr&what=facts.save&month={SeedMonth}&person=E003&from={Iso(from)}",
                a => a.User == "hr" && a.Action == "facts.save" && a.Month == SeedMonth && a.PersonId == e003 && a.At >= from),
        };
        foreach (var (query, expected) in cases)
        {
            var want = all.Where(expected).OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Select(a => a.Id).ToList();
            Assert.True(want.Count > 0, $"{query}: the seed should give this filter something to find");
            Assert.True(want.Count < all.Count, $"{query}: the filter should leave something out");
            Assert.Equal(want, await SearchAllAsync(hr, query));
        }

        // A person or user that matches nobody finds nothing (not everything).
        Assert.Empty(await SearchAllAsync(hr, "person=E999"));
        Assert.Empty(await SearchAllAsync(hr, "who=nobody-at-all"));
    }

    [Fact]
    public async Task Pages_are_newest_first_without_gaps_or_repeats_even_for_entries_of_the_same_instant()
    {
        var at = new DateTime(2002, 3, 4, 5, 6, 7, DateTimeKind.Utc);
        await app.DbAsync(async db =>
        {
            // 120 entries, three at each instant: the page boundary falls inside a group of equal times.
            for (var i = 0; i < 120; i++)
            {
                db.Audit.Add(new AuditEntry { At = at.AddMinutes(i / 3), User = "pager", Action = "pay.read", Detail = $"seed {i}" });
            }

            return await db.SaveChangesAsync(Ct);
        });
        using var gm = await SignIn.AsAsync(app, "gm");
        var sizes = new List<int>();
        var seen = new List<long>();
        string? next = null;
        do
        {
            var body = (await gm.SendAsync("GET", "/api/audit?who=pager&limit=50" + (next is null ? string.Empty : "&before=" + Uri.EscapeDataString(next)))).AssertOk();
            var entries = body.GetProperty("entries").EnumerateArray().ToList();
            sizes.Add(entries.Count);
            seen.AddRange(entries.Select(e => e.GetProperty("id").GetInt64()));
            next = body.GetProperty("next").GetString();
        }
        while (next is not null);

        Assert.Equal([50, 50, 20], sizes);
        var expected = await app.DbAsync(db => db.Audit.Where(a => a.User == "pager").OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Select(a => a.Id).ToListAsync(Ct));
        Assert.Equal(expected, seen);

        // The page: 50 rows and a link that continues with the next 50, none repeated.
        using var hr = await app.SignInAsync("hr");
        var first = await hr.PageAsync("/Audit?who=pager");
        var firstRows = EntryIds(first);
        Assert.Equal(expected.Take(50), firstRows);
        var older = OlderLinkPattern().Match(first);
        Assert.True(older.Success, "the first page links to older entries");
        var second = await hr.PageAsync(WebUtility.HtmlDecode(older.Groups[1].Value));
        Assert.Equal(expected.Skip(50).Take(50), EntryIds(second));
        Assert.Contains("who=pager", WebUtility.HtmlDecode(older.Groups[1].Value), StringComparison.Ordinal);

        // A forged position is refused with a message, not answered with everything or a 500.
        var forged = (await gm.SendAsync("GET", "/api/audit?before=not-a-position")).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains(forged, e => e.Contains("page position", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("agent01")]
    [InlineData("sup1")]
    [InlineData("admin")]
    public async Task Agents_supervisors_and_the_administrator_may_not_read_the_log(string user)
    {
        using var browser = await app.SignInAsync(user);
        using var page = await browser.GetAsync("/Audit");
        Assert.True(await browser.IsForbiddenAsync(page), $"{user} got {(int)page.StatusCode}");
        Assert.DoesNotContain("data-entry", await page.TextAsync(), StringComparison.Ordinal);
        (await browser.Client.SendAsync("GET", "/api/audit")).AssertProblem(HttpStatusCode.Forbidden);

        // Nor does the navigation offer it.
        Assert.DoesNotContain("href=\"/Audit\"", await browser.PageAsync("/"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hr")]
    [InlineData("gm")]
    public async Task HR_and_the_general_manager_read_the_log_from_the_navigation(string user)
    {
        using var browser = await app.SignInAsync(user);
        Assert.Contains("href=\"/Audit\"", await browser.PageAsync("/"), StringComparison.Ordinal);
        Assert.Contains("data-entry", await browser.PageAsync("/Audit"), StringComparison.Ordinal);
        Assert.True((await browser.Client.SendAsync("GET", "/api/audit")).AssertOk().GetProperty("entries").GetArrayLength() > 0);
        using var anonymous = SignIn.Anonymous(app);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.SendAsync("GET", "/api/audit")).Status);
    }

    [Fact]
    public async Task Times_are_shown_and_searched_in_the_company_time_zone_and_the_API_gives_UTC()
    {
        // 16:30 UTC on 1 March is 00:30 on 2 March in China; 15:59:59 UTC is still 1 March there.
        var inside = new DateTime(2003, 3, 1, 16, 30, 0, DateTimeKind.Utc);
        var before = new DateTime(2003, 3, 1, 15, 59, 59, DateTimeKind.Utc);
        await app.DbAsync(async db =>
        {
            db.Audit.Add(new AuditEntry { At = inside, User = "clockwatcher", Action = "month.open", Month = "2003-03" });
            db.Audit.Add(new AuditEntry { At = before, User = "clockwatcher", Action = "month.open", Month = "2003-02" });
            return await db.SaveChangesAsync(Ct);
        });
        using var hr = await app.SignInAsync("hr");
        var html = await hr.PageAsync("/Audit?who=clockwatcher&from=2003-03-02&to=2003-03-02");
        Assert.Single(EntryIds(html));
        Assert.Contains("2003-03-02 00:30:00", html, StringComparison.Ordinal);
        Assert.Contains("UTC+08:00", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains("2003-03-01 23:59:59", await hr.PageAsync("/Audit?who=clockwatcher&to=2003-03-01"), StringComparison.Ordinal);

        var body = (await hr.Client.SendAsync("GET", "/api/audit?who=clockwatcher&from=" + Uri.EscapeDataString("2003-03-02T00:00:00+08:00"))).AssertOk();
        var at = Assert.Single(body.GetProperty("entries").EnumerateArray()).GetProperty("at").GetString()!;
        Assert.EndsWith("+00:00", at, StringComparison.Ordinal);
        Assert.Equal(inside, DateTimeOffset.Parse(at, CultureInfo.InvariantCulture).UtcDateTime);

        // Bad dates and months are refused with a message naming them.
        using var bad = await hr.GetAsync("/Audit?from=2003-02-30");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("起始日期", Html.Error(await bad.TextAsync()), StringComparison.Ordinal);
        var month = (await hr.Client.SendAsync("GET", "/api/audit?month=2026-13")).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Contains(month, e => e.Contains("2026-13", StringComparison.Ordinal));
        (await hr.Client.SendAsync("GET", "/api/audit?from=2003-03-02T00:00:00Z&to=2003-03-01T00:00:00Z")).AssertProblem(HttpStatusCode.BadRequest);
        (await hr.Client.SendAsync("GET", "/api/audit?what=drop.table")).AssertProblem(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task The_page_shows_actions_and_fields_in_words_never_their_keys()
    {
        var demo = await Demo.LoadAsync(app);
        await SeedAsync(demo);
        using var hr = await app.SignInAsync("hr");
        await SaveFactsAsync(hr.Client, demo, "E006", plan: 123456.78m);
        var keys = AuditWords.Actions.Select(a => a.Key).Concat(["salesPlan", "salesActual", "absentDays", "eligibility", "overrideReason"]).ToList();
        var shown = 0;
        foreach (var (key, zh, _) in AuditWords.Actions.Prepend((string.Empty, string.Empty, string.Empty)))
        {
            var html = await hr.PageAsync($"/Audit?what={key}");
            shown += EntryIds(html).Count;
            var text = VisibleText(html);
            Assert.All(keys, k => Assert.DoesNotContain(k, text, StringComparison.Ordinal));
            if (key.Length > 0 && EntryIds(html).Count > 0)
            {
                Assert.Contains(zh, text, StringComparison.Ordinal);
            }
        }

        Assert.True(shown > 60, $"only {shown} rows were looked at");
        Assert.Contains("销售计划", VisibleText(await hr.PageAsync("/Audit?what=facts.save")), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_action_the_product_records_has_words_for_the_screen()
    {
        var keys = new[] { "Appraisal.Web", "Appraisal.App" }
            .SelectMany(project => Directory.EnumerateFiles(Path.Combine(AppFactory.RepositoryRoot(), "src", project), "*.cs", SearchOption.AllDirectories))
            .SelectMany(File.ReadLines)
            .Where(line => line.Contains("audit.Record(", StringComparison.Ordinal))
            .SelectMany(line => ActionKeyPattern().Matches(line).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
        Assert.True(keys.Count >= 20, $"found only {keys.Count} recorded actions: {string.Join(", ", keys)}");
        Assert.All(keys, key => Assert.True(AuditWords.IsAction(key), $"\"{key}\" is recorded but has no label in AuditWords"));
    }

    [Fact]
    public async Task A_facts_change_records_old_and_new_values_and_the_search_shows_them()
    {
        var demo = await Demo.LoadAsync(app);
        using var hr = await app.SignInAsync("hr");
        var stored = await app.DbAsync(db => db.Facts.AsNoTracking().SingleAsync(f => f.PersonId == demo.Id("E005") && f.Month!.Month == demo.Current.ToString(), Ct));
        var (oldPlan, oldActual) = (stored.SalesPlan, stored.SalesActual);
        var newPlan = oldPlan + 1234.5m;
        await SaveFactsAsync(hr.Client, demo, "E005", plan: newPlan);

        var entry = await app.DbAsync(db => db.Audit.Where(a => a.Action == "facts.save" && a.PersonId == demo.Id("E005")).OrderByDescending(a => a.Id).FirstAsync(Ct));
        var change = Assert.Single(AuditChange.FromJson(entry.Changes));
        Assert.Equal(new AuditChange("salesPlan", oldPlan.ToString("G29", CultureInfo.InvariantCulture), newPlan.ToString("G29", CultureInfo.InvariantCulture)), change);

        var html = await hr.PageAsync($"/Audit?what=facts.save&person=E005&month={demo.Current}");
        var row = RowPattern().Matches(html).Single(m => m.Groups[1].Value == entry.Id.ToString(CultureInfo.InvariantCulture)).Value;
        Assert.Contains("销售计划", row, StringComparison.Ordinal);
        Assert.Contains($"<span class=\"old\">{oldPlan.ToString("G29", CultureInfo.InvariantCulture)}</span> → <span class=\"new\">{newPlan.ToString("G29", CultureInfo.InvariantCulture)}</span>", row, StringComparison.Ordinal);
        Assert.DoesNotContain("实际销售额", row, StringComparison.Ordinal);

        var api = (await hr.Client.SendAsync("GET", $"/api/audit?what=facts.save&person=E005&limit=1")).AssertOk();
        var apiChange = Assert.Single(Assert.Single(api.GetProperty("entries").EnumerateArray()).GetProperty("changes").EnumerateArray());
        Assert.Equal("salesPlan", apiChange.GetProperty("field").GetString());
        Assert.Equal("销售计划", apiChange.GetProperty("fieldZh").GetString());
        Assert.Equal(oldActual, await app.DbAsync(db => db.Facts.Where(f => f.PersonId == demo.Id("E005") && f.Month!.Month == demo.Current.ToString()).Select(f => f.SalesActual).SingleAsync(Ct)));
    }

    [Fact]
    public async Task Nobody_can_change_or_delete_an_entry()
    {
        var id = await app.DbAsync(db => db.Audit.OrderBy(a => a.Id).Select(a => a.Id).FirstAsync(Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.DbAsync(async db =>
        {
            var entry = await db.Audit.SingleAsync(a => a.Id == id, Ct);
            entry.Detail = "rewritten";
            return await db.SaveChangesAsync(Ct);
        }));
        await Assert.ThrowsAsync<InvalidOperationException>(() => app.DbAsync(async db =>
        {
            db.Audit.Remove(await db.Audit.SingleAsync(a => a.Id == id, Ct));
            return await db.SaveChangesAsync(Ct);
        }));
        using var hr = await SignIn.AsAsync(app, "hr");
        var count = await app.DbAsync(db => db.Audit.CountAsync(Ct));
        foreach (var method in new[] { "POST", "PUT", "DELETE", "PATCH" })
        {
            var (status, _) = await hr.SendAsync(method, "/api/audit", new { id, detail = "rewritten" });
            Assert.True((int)status >= 400, $"{method} /api/audit answered {status}");
        }

        Assert.Equal(count, await app.DbAsync(db => db.Audit.CountAsync(Ct)));
        Assert.NotEqual("rewritten", await app.DbAsync(db => db.Audit.Where(a => a.Id == id).Select(a => a.Detail).SingleAsync(Ct)));
    }

    /// <summary>Entries of a month no demo entry has, by several users about several people, spread over May 2001.</summary>
    private Task<int> SeedAsync(Demo demo) => app.DbAsync(async db =>
    {
        if (await db.Audit.AnyAsync(a => a.Month == SeedMonth, Ct))
        {
            return 0;
        }

        var users = new[] { "hr", "sup1", "gm" };
        var actions = new[] { "facts.save", "sheet.submit", "pay.read", "month.open" };
        var people = new[] { "E001", "E003", "E007" };
        for (var i = 0; i < 36; i++)
        {
            db.Audit.Add(new AuditEntry
            {
                At = new DateTime(2001, 5, 1 + (i % 30), 8, i, 0, DateTimeKind.Utc),
                User = users[i % users.Length],
                Action = actions[i % actions.Length],
                Month = SeedMonth,
                PersonId = i % 4 == 3 ? null : demo.Id(people[i % 5 % people.Length]),
                Detail = $"seed {i}",
            });
        }

        return await db.SaveChangesAsync(Ct);
    });

    private static async Task SaveFactsAsync(HttpClient hr, Demo demo, string employeeNo, decimal plan)
    {
        var facts = (await hr.SendAsync("GET", $"/api/months/{demo.Current}/facts")).AssertOk();
        var row = facts.GetProperty("rows").EnumerateArray().Single(r => r.GetProperty("employeeNo").GetString() == employeeNo);
        (await hr.SendAsync("PUT", $"/api/months/{demo.Current}/facts", new
        {
            rows = new[]
            {
                new
                {
                    personId = row.GetProperty("personId").GetInt32(),
                    salesPlan = plan,
                    salesActual = row.GetProperty("salesActual").GetDecimal(),
                    absentDays = row.GetProperty("absentDays").GetInt32(),
                    eligibility = row.GetProperty("eligibility").GetString(),
                    overrideReason = row.GetProperty("overrideReason").GetString(),
                    version = row.GetProperty("version").GetInt32(),
                },
            },
        })).AssertOk();
    }

    /// <summary>Every entry the API finds for <paramref name="query"/>, following the pages to the end.</summary>
    private static async Task<List<long>> SearchAllAsync(HttpClient client, string query)
    {
        var ids = new List<long>();
        string? next = null;
        do
        {
            var body = (await client.SendAsync("GET", $"/api/audit?{query}&limit=200" + (next is null ? string.Empty : "&before=" + Uri.EscapeDataString(next)))).AssertOk();
            ids.AddRange(body.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("id").GetInt64()));
            next = body.GetProperty("next").GetString();
        }
        while (next is not null);
        return ids;
    }

    private static string Iso(DateTime utc) => Uri.EscapeDataString(utc.ToString("yyyy-MM-ddTHH:mm:ssK", CultureInfo.InvariantCulture));

    private static List<long> EntryIds(string html) =>
        RowPattern().Matches(html).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();

    /// <summary>What a reader sees: the main content without tags and attributes.</summary>
    private static string VisibleText(string html) => WebUtility.HtmlDecode(TagPattern().Replace(Html.MainContent(html), " "));

    [GeneratedRegex("<tr data-entry=\"(\\d+)\">.*?</tr>", RegexOptions.Singleline)]
    private static partial Regex RowPattern();

    [GeneratedRegex("<a class=\"older\" href=\"([^\"]+)\"")]
    private static partial Regex OlderLinkPattern();

    [GeneratedRegex("<[^>]*>")]
    private static partial Regex TagPattern();

    [GeneratedRegex("\"([a-z]+(?:-[a-z]+)*\\.[a-z]+(?:-[a-z]+)*)\"")]
    private static partial Regex ActionKeyPattern();
}
