using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Appraisal.Bench;
using Appraisal.App.Months;
using Appraisal.Web.Months;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Months;

/// <summary>
/// The facts page at a real company's size: 3 000 agents (plus the demo's 12) in 30 teams. Saving works through
/// the page's script path (only the changed rows, as JSON), its form without script (a page of at most 100 rows),
/// and the API; every bad row is listed and nothing changes; search and team filter are server-side and kept in
/// the links; a row changed meanwhile is a 409 naming it.
/// </summary>
public sealed partial class FactsAtScaleTests(FactsAtScaleTests.App app) : IClassFixture<FactsAtScaleTests.App>
{
    private const int Agents = 3000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The demo company with 3 000 more agents and their facts in the open month.</summary>
    public sealed class App : AppFactory, IAsyncLifetime
    {
        public string Month { get; private set; } = string.Empty;

        public List<int> Teams { get; private set; } = [];

        async ValueTask IAsyncLifetime.InitializeAsync()
        {
            await InitializeAsync();
            Month = await this.OpenMonthAsync();
            Teams = await ManyAgents.AddAsync(Services, Month, Agents);
        }
    }

    [Fact]
    public async Task Three_thousand_agents_are_saved_through_the_page_and_through_the_api()
    {
        using var hr = await app.SignInAsync("hr");
        var stored = await StoredAsync();
        Assert.Equal(Agents, stored.Count);

        // The page's script path: every one of the 3 000 rows changed, sent as typed text with the version shown.
        var changes = stored.Values.Select(r => Change(r, plan: "100000", actual: Text(95_000m + (r.Index * 7.13m)), absent: "1")).ToList();
        var (status, answer) = await SaveChangesAsync(hr, changes);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(answer.GetProperty("saved").GetBoolean());
        Assert.Equal("已保存 3000 人的数据；下一步：计算结果。", answer.GetProperty("message").GetString());
        Assert.True(answer.GetProperty("nextCompute").GetBoolean());
        Assert.Equal(Agents, answer.GetProperty("rows").GetArrayLength());
        var afterPage = await StoredAsync();
        Assert.All(afterPage.Values, r => Assert.Equal((100000m, 95_000m + (r.Index * 7.13m), 1), (r.Plan, r.Actual, r.Absent)));

        // The versions the answer gave are the stored ones: the page can save the same rows again without reloading.
        var versions = answer.GetProperty("rows").EnumerateArray().ToDictionary(v => v.GetProperty("personId").GetInt32(), v => v.GetProperty("version").GetInt32());
        Assert.All(afterPage.Values, r => Assert.Equal(r.Version, versions[r.PersonId]));

        // The API: the same 3 000 rows changed again in one PUT.
        var body = new
        {
            rows = afterPage.Values.Select(r => new { personId = r.PersonId, salesPlan = 120000m, salesActual = r.Actual + 1m, absentDays = 0, version = r.Version }).ToList(),
        };
        Assert.Equal(Agents, (await hr.Client.SendAsync("PUT", $"/api/months/{app.Month}/facts", body)).AssertOk().GetProperty("changed").GetInt32());
        var afterApi = await StoredAsync();
        Assert.All(afterApi.Values, r => Assert.Equal((120000m, afterPage[r.EmployeeNo].Actual + 1m, 0), (r.Plan, r.Actual, r.Absent)));

        // The form without script: a page holds at most 100 rows, far below the 1 024 form values ASP.NET Core accepts,
        // so the form works at any company size, one page at a time.
        var html = await hr.PageAsync($"/Months/Facts?month={app.Month}&p=3");
        var shown = Html.PersonRows(html);
        Assert.Equal(FactsModelPageSize, shown.Count);
        Assert.True(FormValues(html) < 1024, $"{FormValues(html)} form values");
        var byId = afterApi.Values.ToDictionary(r => r.PersonId);
        var fields = shown.Where(byId.ContainsKey).SelectMany((id, i) => PageForms.FactsRow(i, id, "130000", Text(byId[id].Actual), "2", byId[id].Version)).ToList();
        using var post = await hr.PostAsync($"/Months/Facts?month={app.Month}&p=3&handler=Save", fields);
        var page = await hr.FollowAsync(post);
        Assert.Contains($"已保存 {shown.Count(byId.ContainsKey)} 人的数据；下一步：计算结果。", Html.Notice(page));
        Assert.Contains("href=\"#compute-title\"", page);
        Assert.Equal(shown, Html.PersonRows(page));
        var afterForm = await StoredAsync();
        Assert.Equal(shown.Count(byId.ContainsKey), afterForm.Values.Count(r => r.Plan == 130000m && r.Absent == 2));
    }

    [Fact]
    public async Task Several_bad_rows_among_three_thousand_are_all_listed_and_nothing_changes()
    {
        using var hr = await app.SignInAsync("hr");
        var stored = await StoredAsync();
        var before = await SnapshotAsync();
        var audits = await app.DbAsync(db => db.Audit.CountAsync(a => a.Action == "facts.save", Ct));

        var changes = stored.Values.Select(r => r.EmployeeNo switch
        {
            "A00010" => Change(r, plan: "5分"),
            "A00020" => Change(r, actual: "1.005"),
            "A00030" => Change(r, absent: "40"),
            "A00040" => Change(r, eligibility: SaveFacts.Exclude),
            "A00050" => Change(r, plan: "-1", absent: "两天"),
            _ => Change(r, actual: Text(r.Actual + 3m)),
        }).ToList();
        var (status, answer) = await SaveChangesAsync(hr, changes);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.False(answer.GetProperty("saved").GetBoolean());
        Assert.StartsWith("未保存任何数据，共 6 处问题", answer.GetProperty("message").GetString());
        var problems = answer.GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
        Assert.Equal(6, problems.Count);
        Assert.Contains(problems, p => p.StartsWith("A00010 销售计划：“5分”无效", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("A00020 实际销售额：“1.005”无效", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("A00030 缺岗天数：“40”无效", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("A00040 覆盖原因", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("A00050 销售计划：“-1”无效", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("A00050 缺岗天数：“两天”无效", StringComparison.Ordinal));

        // The API refuses the same rows (those it can read as numbers) with each one in errors, named by employee number.
        var body = new
        {
            rows = stored.Values.Select(r => new
            {
                personId = r.PersonId,
                salesPlan = r.EmployeeNo == "A00050" ? -1m : r.Plan,
                salesActual = r.EmployeeNo == "A00020" ? 1.005m : r.Actual + 3m,
                absentDays = r.EmployeeNo == "A00030" ? 40 : r.Absent,
                version = r.Version,
            }).ToList(),
        };
        var api = await hr.Client.SendAsync("PUT", $"/api/months/{app.Month}/facts", body);
        var errors = api.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(3, errors.Count);
        Assert.Equal(["A00020", "A00030", "A00050"], api.Body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("where").GetString()!).Order(StringComparer.Ordinal));

        // The form of one page (a search for A0001: A00010–A00019): the same problems, listed at the top of the page.
        var html = await hr.PageAsync($"/Months/Facts?month={app.Month}&q=A0001");
        var shown = Html.PersonRows(html);
        Assert.Equal(10, shown.Count);
        var byId = stored.Values.ToDictionary(r => r.PersonId);
        var fields = shown.SelectMany((id, i) => byId[id].EmployeeNo switch
        {
            "A00010" => PageForms.FactsRow(i, id, "5分", Text(byId[id].Actual), Text(byId[id].Absent), byId[id].Version),
            "A00011" => PageForms.FactsRow(i, id, Text(byId[id].Plan), Text(byId[id].Actual), "99", byId[id].Version),
            _ => PageForms.FactsRow(i, id, Text(byId[id].Plan), Text(byId[id].Actual + 5m), Text(byId[id].Absent), byId[id].Version),
        }).ToList();
        using var post = await hr.PostAsync($"/Months/Facts?month={app.Month}&q=A0001&handler=Save", fields);
        Assert.Equal(HttpStatusCode.BadRequest, post.StatusCode);
        var page = await post.TextAsync();
        var error = Html.Error(page);
        Assert.NotNull(error);
        Assert.StartsWith("未保存任何数据，共 2 处问题", error);
        Assert.Contains("A00010 销售计划：“5分”无效", error);
        Assert.Contains("A00011 缺岗天数：“99”无效", error);
        Assert.Equal(shown, Html.PersonRows(page));
        Assert.Contains("value=\"5分\"", WebUtility.HtmlDecode(page));

        Assert.Equal(before, await SnapshotAsync());
        Assert.Equal(audits, await app.DbAsync(db => db.Audit.CountAsync(a => a.Action == "facts.save", Ct)));
    }

    [Fact]
    public async Task Search_and_team_filter_are_read_on_the_server_and_kept_in_every_link()
    {
        using var hr = await app.SignInAsync("hr");
        var ids = await app.DbAsync(db => db.People.Where(p => EF.Functions.Like(p.EmployeeNo, "A%")).ToDictionaryAsync(p => p.EmployeeNo, p => p.Id, Ct));

        // By employee number, case ignored; by name.
        Assert.Equal([ids["A00123"]], Html.PersonRows(await hr.PageAsync($"/Months/Facts?month={app.Month}&q=a00123")));
        Assert.Equal([ids["A00124"]], Html.PersonRows(await hr.PageAsync($"/Months/Facts?month={app.Month}&q={Uri.EscapeDataString(ManyAgents.AgentName(123))}")));
        var none = await hr.PageAsync($"/Months/Facts?month={app.Month}&q=nobody");
        Assert.Empty(Html.PersonRows(none));
        Assert.Contains("没有符合条件的员工", none);

        // A team: its 100 agents (热线5组: A00401–A00500), in employee-number order, on one page.
        var team = app.Teams[4];
        var teamPage = await hr.PageAsync($"/Months/Facts?month={app.Month}&team={team}");
        Assert.Equal(Enumerable.Range(401, 100).Select(n => ids[$"A{n:D5}"]), Html.PersonRows(teamPage));
        Assert.Contains($"<option value=\"{team}\" selected=\"selected\">热线5组</option>", teamPage);

        // Both: the save form and the pager keep the search and the team.
        var both = await hr.PageAsync($"/Months/Facts?month={app.Month}&team={team}&q=A0045");
        Assert.Equal(Enumerable.Range(450, 10).Select(n => ids[$"A{n:D5}"]), Html.PersonRows(both));
        var formTag = Regex.Match(both, "<form [^>]*id=\"facts-form\"[^>]*>").Value;
        Assert.Contains("q=A0045", formTag);
        Assert.Contains($"team={team}", formTag);
        Assert.Contains("handler=Save", formTag);

        // Everyone: 3 012 agents on 31 pages of 100; the pager links keep the view.
        var first = await hr.PageAsync($"/Months/Facts?month={app.Month}");
        Assert.Equal(FactsModelPageSize, Html.PersonRows(first).Count);
        Assert.Contains("本月共 3012 人参评，显示第 1–100 人。", first);
        Assert.Contains($"href=\"/Months/Facts?month={app.Month}&amp;p=2\"", first);
        var last = await hr.PageAsync($"/Months/Facts?month={app.Month}&p=31");
        Assert.Equal(12, Html.PersonRows(last).Count);
        Assert.Equal(Html.PersonRows(last), Html.PersonRows(await hr.PageAsync($"/Months/Facts?month={app.Month}&p=999")));
        var filteredPager = await hr.PageAsync($"/Months/Facts?month={app.Month}&q=A01");
        Assert.Contains($"href=\"/Months/Facts?month={app.Month}&amp;q=A01&amp;p=2\"", filteredPager);

        // The adjustment and extension forms offer the people listed, not 3 000 options each.
        Assert.Equal(2 * FactsModelPageSize, OptionsOf(first, "AdjustPersonId") + OptionsOf(first, "ExtendPersonId"));

        // English too.
        using var english = await hr.GetAsync("/lang/en?returnUrl=/");
        Assert.Contains("3012 agents appraised this month; showing 1–100.", await hr.PageAsync($"/Months/Facts?month={app.Month}"));
        using var chinese = await hr.GetAsync("/lang/zh-CN?returnUrl=/");
    }

    [Theory]
    [InlineData("missing", "")]
    [InlineData("entered", "name")]
    [InlineData("", "team")]
    public async Task The_entered_status_and_the_order_list_exactly_the_matching_agents_page_after_page(string status, string sort)
    {
        var expected = await app.DbAsync(async db =>
        {
            var monthId = await db.Months.Where(m => m.Month == app.Month).Select(m => m.Id).SingleAsync(Ct);
            var month = Core.Months.YearMonth.Parse(app.Month);
            var appraised = Appraisal.App.Results.ComputeResults.Appraised(db, month);
            var matching = status switch
            {
                "missing" => appraised.Where(p => !db.Facts.Any(f => f.MonthId == monthId && f.PersonId == p.Id)),
                "entered" => appraised.Where(p => db.Facts.Any(f => f.MonthId == monthId && f.PersonId == p.Id)),
                _ => appraised,
            };

            // Names and teams in the database's own order (its collation), ties by employee number.
            return await (sort switch
            {
                "name" => matching.OrderBy(p => p.Name).ThenBy(p => p.EmployeeNo),
                "team" => matching.OrderBy(p => p.Team!.Name).ThenBy(p => p.EmployeeNo),
                _ => matching.OrderBy(p => p.EmployeeNo),
            }).Select(p => p.Id).ToListAsync(Ct);
        });

        // (Whether anyone is still missing depends on the save tests of this class having run before.)
        Assert.True(status == "missing" || expected.Count > 0);

        using var hr = await app.SignInAsync("hr");
        var listed = new List<int>();
        for (var p = 1; ; p++)
        {
            var html = await hr.PageAsync($"/Months/Facts?month={app.Month}&status={status}&sort={sort}&p={p}");
            listed.AddRange(Html.PersonRows(html));
            if (!html.Contains("rel=\"next\"", StringComparison.Ordinal) || p > 40)
            {
                break;
            }

            // The pager keeps the status and the order.
            Assert.Contains(string.IsNullOrEmpty(status) ? "p=" : $"status={status}", html, StringComparison.Ordinal);
        }

        Assert.Equal(expected, listed);
    }

    [Fact]
    public async Task A_row_changed_meanwhile_is_a_409_naming_the_row_and_who_changed_it_and_a_real_race_has_one_winner()
    {
        using var hr = await app.SignInAsync("hr");
        var stored = await StoredAsync();
        var a650 = stored["A00650"];
        var a651 = stored["A00651"];

        // Someone saves A00650 through the API after this page was read.
        var put = new { rows = new[] { new { personId = a650.PersonId, salesPlan = a650.Plan, salesActual = a650.Actual + 10m, absentDays = a650.Absent, version = a650.Version } } };
        (await hr.Client.SendAsync("PUT", $"/api/months/{app.Month}/facts", put)).AssertOk();

        var (status, answer) = await SaveChangesAsync(hr, [Change(a650, actual: "1"), Change(a651, actual: "2")]);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.True(answer.GetProperty("reload").GetBoolean());
        Assert.StartsWith("未保存任何数据：下列行已被他人修改", answer.GetProperty("message").GetString());
        var problem = Assert.Single(answer.GetProperty("problems").EnumerateArray()).GetString()!;
        Assert.Equal($"A00650 {ManyAgents.AgentName(649)}：该行已被 hr 修改，请刷新页面后重新录入该行", problem);
        var now = await StoredAsync();
        Assert.Equal((a650.Actual + 10m, a651.Actual), (now["A00650"].Actual, now["A00651"].Actual));

        // Two people press save at the same moment on the same 200 rows, both from the same versions: one saves, the
        // other gets the 409 and nothing of theirs is stored.
        using var other = await app.SignInAsync("hr");
        var team = now.Values.Where(r => r.Index is >= 700 and < 900).ToList();
        var results = await Task.WhenAll(
            SaveChangesAsync(hr, team.Select(r => Change(r, actual: "111.11")).ToList()),
            SaveChangesAsync(other, team.Select(r => Change(r, actual: "222.22")).ToList()));
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], results.Select(r => r.Status).Order());
        var winner = results[0].Status == HttpStatusCode.OK ? 111.11m : 222.22m;
        var loser = results.Single(r => r.Status == HttpStatusCode.Conflict).Body;
        Assert.True(loser.GetProperty("reload").GetBoolean());
        var after = await StoredAsync();
        Assert.All(team, r => Assert.Equal(winner, after[r.EmployeeNo].Actual));
    }

    private const int FactsModelPageSize = Appraisal.Web.Pages.Months.FactsModel.PageSize;

    private sealed record Stored(int Index, int PersonId, string EmployeeNo, decimal Plan, decimal Actual, int Absent, int? Version);

    /// <summary>The added agents' facts by employee number (those never entered: zeros and no version).</summary>
    private Task<Dictionary<string, Stored>> StoredAsync() => app.DbAsync(async db =>
    {
        var people = await db.People.AsNoTracking().Where(p => EF.Functions.Like(p.EmployeeNo, "A%")).Select(p => new { p.Id, p.EmployeeNo }).ToListAsync(Ct);
        var facts = await db.Facts.AsNoTracking().Where(f => f.Month!.Month == app.Month).ToDictionaryAsync(f => f.PersonId, Ct);
        return people.OrderBy(p => p.EmployeeNo, StringComparer.Ordinal).Select(p =>
        {
            var index = int.Parse(p.EmployeeNo[1..], CultureInfo.InvariantCulture) - 1;
            return facts.TryGetValue(p.Id, out var f)
                ? new Stored(index, p.Id, p.EmployeeNo, f.SalesPlan, f.SalesActual, f.AbsentDays, f.Version)
                : new Stored(index, p.Id, p.EmployeeNo, 0, 0, 0, null);
        }).ToDictionary(r => r.EmployeeNo, StringComparer.Ordinal);
    });

    private Task<string> SnapshotAsync() => app.DbAsync(async db =>
    {
        var rows = await db.Facts.AsNoTracking().Where(f => f.Month!.Month == app.Month).OrderBy(f => f.PersonId)
            .Select(f => new { f.PersonId, f.SalesPlan, f.SalesActual, f.AbsentDays, f.EligibilityOverride, f.OverrideReason, f.Version }).ToListAsync(Ct);
        var month = await db.Months.AsNoTracking().Where(m => m.Month == app.Month).Select(m => new { m.DataVersion, m.ComputedAt }).SingleAsync(Ct);
        return string.Join('\n', rows) + "\n" + month;
    });

    /// <summary>A row as the page's script sends it: every field as text, the stored values unless given.</summary>
    private static Dictionary<string, object?> Change(Stored r, string? plan = null, string? actual = null, string? absent = null, string eligibility = "", string reason = "") => new()
    {
        ["personId"] = r.PersonId,
        ["salesPlan"] = plan ?? Text(r.Version is null ? 80000m : r.Plan),
        ["salesActual"] = actual ?? Text(r.Version is null ? 80000m : r.Actual),
        ["absentDays"] = absent ?? Text(r.Absent),
        ["eligibility"] = eligibility,
        ["overrideReason"] = reason,
        ["version"] = r.Version,
    };

    /// <summary>What the page's script does on "save": POST the changed rows as JSON with the page's antiforgery token.</summary>
    private async Task<(HttpStatusCode Status, JsonElement Body)> SaveChangesAsync(Browser browser, List<Dictionary<string, object?>> rows)
    {
        var token = await PageForms.TokenAsync(browser.Client, $"/Months/Facts?month={app.Month}&q=A00001");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/Months/Facts?month={app.Month}&handler=Changes") { Content = JsonContent.Create(new { rows }) };
        request.Headers.Add(ApiTokenHandler.HeaderName, token);
        using var response = await browser.Client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.Clone());
    }

    private static string Text(decimal value) => FormNumber.Text(value);

    private static string Text(int value) => FormNumber.Text(value);

    /// <summary>The values the facts form posts (its named fields and the antiforgery token).</summary>
    private static int FormValues(string html)
    {
        var start = html.IndexOf("id=\"facts-form\"", StringComparison.Ordinal);
        var form = html[start..html.IndexOf("</form>", start, StringComparison.Ordinal)];
        return FieldName().Count(form);
    }

    private static int OptionsOf(string html, string select)
    {
        var start = html.IndexOf($"<select id=\"{select}\"", StringComparison.Ordinal);
        var body = html[start..html.IndexOf("</select>", start, StringComparison.Ordinal)];
        return Regex.Count(body, "<option ");
    }

    [GeneratedRegex("<(?:input|select)[^>]* name=\"")]
    private static partial Regex FieldName();
}
