using System.Net;
using System.Text.Json;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Api;

/// <summary>
/// The API's access table (D19): role × endpoint × own/other → status, and the rows each role gets.
/// Demo: sup1 leads E001–E006 (agent01–agent06), sup2 E007–E012; the previous month is confirmed.
/// </summary>
public sealed class AccessTests(AppFactory app) : IClassFixture<AppFactory>
{
    /// <summary>
    /// {prev}/{cur} are the confirmed previous and the open current month; {E001}… a person's id.
    /// Expected status per user, unauthenticated included.
    /// </summary>
    public static TheoryData<string?, string, string, int> Table => new()
    {
        // Results of a month: everyone signed in may ask; the rows are filtered (see the tests below).
        { null, "GET", "/api/months/{prev}/results", 401 },
        { "agent01", "GET", "/api/months/{prev}/results", 200 },
        { "sup1", "GET", "/api/months/{prev}/results", 200 },
        { "hr", "GET", "/api/months/{prev}/results", 200 },
        { "gm", "GET", "/api/months/{prev}/results", 200 },
        { "hr", "GET", "/api/months/2031-01/results", 404 },
        { "hr", "GET", "/api/months/2031-13/results", 400 },

        // One person's history: own yes, other no; a supervisor their team only; HR and GM anyone.
        { null, "GET", "/api/people/{E001}/results", 401 },
        { "agent01", "GET", "/api/people/{E001}/results", 200 },
        { "agent01", "GET", "/api/people/{E002}/results", 403 },
        { "agent07", "GET", "/api/people/{E001}/results", 403 },
        { "sup1", "GET", "/api/people/{E002}/results", 200 },
        { "sup1", "GET", "/api/people/{E007}/results", 403 },
        { "sup2", "GET", "/api/people/{E007}/results", 200 },
        { "hr", "GET", "/api/people/{E012}/results", 200 },
        { "gm", "GET", "/api/people/{E012}/results", 200 },
        { "admin", "GET", "/api/people/{E001}/results", 403 },
        { "hr", "GET", "/api/people/999999/results", 404 },

        // Sheets: own self-assessment yes, another agent's no; a supervisor their team only.
        { null, "GET", "/api/months/{prev}/sheets/{E001}/self", 401 },
        { "agent01", "GET", "/api/months/{prev}/sheets/{E001}/supervisor", 200 },
        { "agent01", "GET", "/api/months/{prev}/sheets/{E002}/self", 403 },
        { "sup1", "GET", "/api/months/{cur}/sheets/{E002}/supervisor", 200 },
        { "sup1", "GET", "/api/months/{cur}/sheets/{E007}/supervisor", 403 },
        { "hr", "GET", "/api/months/{cur}/sheets/{E007}/supervisor", 200 },
        { "hr", "GET", "/api/months/{cur}/sheets/{E007}/other", 400 },

        // The month workflow: HR opens and computes, the general manager confirms and reopens.
        { null, "GET", "/api/months", 401 },
        { "agent01", "GET", "/api/months", 200 },
        { "agent01", "GET", "/api/months/{prev}", 200 },
        { "agent01", "GET", "/api/months/2031-04", 404 },
        { "agent01", "POST", "/api/months|{\"month\":\"2031-02\"}", 403 },
        { "gm", "POST", "/api/months|{\"month\":\"2031-02\"}", 403 },
        { "hr", "POST", "/api/months|{\"month\":\"{cur}\"}", 409 },
        { "agent01", "POST", "/api/months/{cur}/compute|{}", 403 },
        { "sup1", "POST", "/api/months/{cur}/compute|{}", 403 },
        { "hr", "POST", "/api/months/{cur}/confirm|{\"version\":0}", 403 },
        { "agent01", "POST", "/api/months/{prev}/reopen|{\"reason\":\"x\",\"version\":0}", 403 },
        { "hr", "POST", "/api/months/{prev}/reopen|{\"reason\":\"x\",\"version\":0}", 403 },
        { "gm", "POST", "/api/months/{prev}/reopen|{\"reason\":\"\",\"version\":0}", 400 },

        // The policy is the company's published rules: every signed-in person may read it.
        { null, "GET", "/api/policy", 401 },
        { "agent01", "GET", "/api/policy", 200 },
        { "agent01", "GET", "/api/policy/versions", 200 },
        { "agent01", "GET", "/api/policy/versions/1", 200 },
        { "agent01", "GET", "/api/policy/versions/999", 404 },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public async Task Role_endpoint_and_person_give_the_status_of_the_table(string? user, string method, string target, int expected)
    {
        var demo = await Demo.LoadAsync(app);
        var parts = Fill(target, demo).Split('|', 2);
        using var client = user is null ? SignIn.Anonymous(app) : await SignIn.AsAsync(app, user);

        // Through the shared helper, so that how it sends API writes (antiforgery, content type) applies here too.
        var body = parts.Length > 1 ? JsonDocument.Parse(parts[1]).RootElement.Clone() : (JsonElement?)null;
        var answer = await client.SendAsync(method, parts[0], body);
        Assert.True(expected == (int)answer.Status, $"{user ?? "anonymous"} {method} {parts[0]}: expected {expected}, got {(int)answer.Status}: {answer.Body}");
        if (expected >= 400 && user is not null)
        {
            // A problem document (RFC 9457), not an empty answer.
            Assert.True(answer.Body.ValueKind == JsonValueKind.Object && answer.Body.TryGetProperty("status", out _), answer.Body.ToString());
        }
    }

    [Fact]
    public async Task An_agent_gets_only_their_own_row_and_no_other_names()
    {
        var demo = await Demo.LoadAsync(app);
        using var client = await SignIn.AsAsync(app, "agent01");
        var body = await client.GetStringAsync($"/api/months/{demo.Previous}/results", TestContext.Current.CancellationToken);

        var rows = Rows(body);
        var row = Assert.Single(rows);
        Assert.Equal("E001", row.GetProperty("employeeNo").GetString());
        Assert.Equal(demo.Id("E001"), row.GetProperty("personId").GetInt32());
        Assert.True(row.GetProperty("rank").GetInt32() >= 1);
        foreach (var other in new[] { "王芳", "李娜", "孙杰", "E002", "E012" })
        {
            Assert.DoesNotContain(other, body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("sup1", 6, "客服一组")]
    [InlineData("sup2", 6, "客服二组")]
    [InlineData("hr", 12, null)]
    [InlineData("gm", 12, null)]
    [InlineData("admin", 0, null)]
    public async Task Supervisors_see_their_team_and_HR_and_the_GM_everyone(string user, int count, string? team)
    {
        var demo = await Demo.LoadAsync(app);
        using var client = await SignIn.AsAsync(app, user);
        var rows = Rows(await client.GetStringAsync($"/api/months/{demo.Previous}/results", TestContext.Current.CancellationToken));

        Assert.Equal(count, rows.Count);
        if (team is not null)
        {
            Assert.All(rows, r => Assert.Equal(team, r.GetProperty("team").GetString()));
        }

        // Contract order: by employee number.
        var numbers = rows.Select(r => r.GetProperty("id").GetString()!).ToList();
        Assert.Equal(numbers.Order(StringComparer.Ordinal), numbers);
    }

    [Fact]
    public async Task Rows_carry_the_contract_fields_as_stored()
    {
        var demo = await Demo.LoadAsync(app);
        using var client = await SignIn.AsAsync(app, "hr");
        var row = Rows(await client.GetStringAsync($"/api/months/{demo.Previous}/results", TestContext.Current.CancellationToken))[0];
        foreach (var field in new[] { "id", "eligible", "selfTotal", "supervisorTotal", "score", "grade", "level", "positionSalary", "training",
            "promotion", "commissionRate", "commission", "bonus", "otherPay", "totalPay", "rank", "salesRank", "flags", "name", "team", "employeeNo" })
        {
            Assert.True(row.TryGetProperty(field, out _), field);
        }

        var stored = await app.DbAsync(db => db.Results.Include(r => r.Person).FirstAsync(r => r.Person!.EmployeeNo == row.GetProperty("id").GetString()
            && db.Months.Any(m => m.Id == r.MonthId && m.Month == demo.Previous.ToString())));
        Assert.Equal(stored.TotalPay, row.GetProperty("totalPay").GetDecimal());
        Assert.Equal(stored.Score, row.GetProperty("score").GetDecimal());
        Assert.Equal(stored.PositionSalary, row.GetProperty("positionSalary").GetDecimal());
    }

    [Fact]
    public async Task Agents_and_supervisors_see_a_month_only_once_it_is_confirmed()
    {
        var demo = await Demo.LoadAsync(app);
        using var client = await SignIn.AsAsync(app, "sup1");
        using var doc = JsonDocument.Parse(await client.GetStringAsync($"/api/months/{demo.Current}/results", TestContext.Current.CancellationToken));
        Assert.False(doc.RootElement.GetProperty("published").GetBoolean());
        Assert.Equal(0, doc.RootElement.GetProperty("results").GetArrayLength());
    }

    [Fact]
    public async Task An_agents_history_is_their_confirmed_months()
    {
        var demo = await Demo.LoadAsync(app);
        using var client = await SignIn.AsAsync(app, "agent01");
        using var doc = JsonDocument.Parse(await client.GetStringAsync($"/api/people/{demo.Id("E001")}/results", TestContext.Current.CancellationToken));
        var months = doc.RootElement.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("month").GetString()).ToList();
        Assert.Equal([demo.Current.PlusMonths(-3).ToString(), demo.Current.PlusMonths(-2).ToString(), demo.Previous.ToString()], months);
    }

    [Fact]
    public async Task Reading_other_peoples_pay_is_audited_once_per_request_and_reading_ones_own_is_not()
    {
        var demo = await Demo.LoadAsync(app);
        using var hr = await SignIn.AsAsync(app, "hr");
        using var agent = await SignIn.AsAsync(app, "agent03");

        var mark = await LastAuditIdAsync();
        (await hr.GetAsync($"/api/months/{demo.Previous}/results", TestContext.Current.CancellationToken)).Dispose();
        var entry = Assert.Single(await PayReadsAfterAsync(mark));
        Assert.Equal("hr", entry.User);
        Assert.Equal(demo.Previous.ToString(), entry.Month);
        Assert.Contains("12 people", entry.Detail, StringComparison.Ordinal);

        mark = await LastAuditIdAsync();
        (await hr.GetAsync($"/api/people/{demo.Id("E005")}/results", TestContext.Current.CancellationToken)).Dispose();
        entry = Assert.Single(await PayReadsAfterAsync(mark));
        Assert.Equal(demo.Id("E005"), entry.PersonId);

        mark = await LastAuditIdAsync();
        (await agent.GetAsync($"/api/months/{demo.Previous}/results", TestContext.Current.CancellationToken)).Dispose();
        (await agent.GetAsync($"/api/people/{demo.Id("E003")}/results", TestContext.Current.CancellationToken)).Dispose();
        Assert.Empty(await PayReadsAfterAsync(mark));

        async Task<long> LastAuditIdAsync() => await app.DbAsync(db => db.Audit.MaxAsync(a => (long?)a.Id)) ?? 0;

        Task<List<App.Audit.AuditEntry>> PayReadsAfterAsync(long id) =>
            app.DbAsync(db => db.Audit.AsNoTracking().Where(a => a.Action == "pay.read" && a.Id > id).ToListAsync());
    }

    [Fact]
    public async Task Problems_carry_both_languages()
    {
        using var client = await SignIn.AsAsync(app, "agent01");
        var (_, body) = await client.SendAsync("POST", "/api/months", new { month = "2031-03" });
        Assert.Equal(403, body.GetProperty("status").GetInt32());
        Assert.Equal("无权访问", body.GetProperty("title").GetString());
        Assert.Equal("access denied", body.GetProperty("detail").GetString());
        Assert.Equal("无权访问", body.GetProperty("zh").GetString());
        Assert.Equal("access denied", body.GetProperty("en").GetString());
    }

    private static List<JsonElement> Rows(string body) =>
        JsonDocument.Parse(body).RootElement.GetProperty("results").EnumerateArray().ToList();

    private static string Fill(string target, Demo demo)
    {
        var text = target.Replace("{prev}", demo.Previous.ToString(), StringComparison.Ordinal)
            .Replace("{cur}", demo.Current.ToString(), StringComparison.Ordinal);
        foreach (var (no, id) in demo.PersonIds)
        {
            text = text.Replace("{" + no + "}", id.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }

        return text;
    }
}
