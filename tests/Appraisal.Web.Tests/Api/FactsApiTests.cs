using System.Net;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Api;

/// <summary>/api/months/{month}/facts, adjustments, extensions and talks: HR's and the supervisor's entries.</summary>
public sealed class FactsApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private const string WrongType = "the value has the wrong type or form (for example text in a number field, or a fraction in a whole-number field)";

    [Fact]
    public async Task HR_and_the_GM_read_the_facts_and_others_are_refused()
    {
        var demo = await Demo.LoadAsync(app);
        using var hr = await SignIn.AsAsync(app, "hr");
        var body = (await hr.SendAsync("GET", $"/api/months/{demo.Current}/facts")).AssertOk();
        Assert.True(body.GetProperty("editable").GetBoolean());
        Assert.Equal(12, body.GetProperty("rows").GetArrayLength());

        using var gm = await SignIn.AsAsync(app, "gm");
        Assert.False((await gm.SendAsync("GET", $"/api/months/{demo.Current}/facts")).AssertOk().GetProperty("editable").GetBoolean());

        using var sup = await SignIn.AsAsync(app, "sup1");
        (await sup.SendAsync("GET", $"/api/months/{demo.Current}/facts")).AssertProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task HR_saves_facts_all_or_nothing_with_every_bad_row_reported()
    {
        var demo = await Demo.LoadAsync(app);
        using var hr = await SignIn.AsAsync(app, "hr");
        var rows = (await hr.SendAsync("GET", $"/api/months/{demo.Current}/facts")).AssertOk().GetProperty("rows").EnumerateArray().ToList();
        var e001 = rows.First(r => r.GetProperty("employeeNo").GetString() == "E001");
        var e002 = rows.First(r => r.GetProperty("employeeNo").GetString() == "E002");
        int? V(System.Text.Json.JsonElement r) => r.GetProperty("version").ValueKind == System.Text.Json.JsonValueKind.Null ? null : r.GetProperty("version").GetInt32();

        // Two bad rows and one good: nothing saved, both bad rows reported.
        var bad = new
        {
            rows = new object[]
            {
                new { personId = demo.Id("E001"), salesPlan = 1000.005m, salesActual = 900m, absentDays = 0, version = V(e001) },
                new { personId = demo.Id("E002"), salesPlan = 1000m, salesActual = 900m, absentDays = 99, eligibility = "exclude", version = V(e002) },
            },
        };
        var errors = (await hr.SendAsync("PUT", $"/api/months/{demo.Current}/facts", bad)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(3, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("E001 sales plan", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("E002 absence days", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("E002 override reason", StringComparison.Ordinal));

        var good = new { rows = new object[] { new { personId = demo.Id("E001"), salesPlan = 12345.67m, salesActual = 23456m, absentDays = 1, version = V(e001) } } };
        var saved = (await hr.SendAsync("PUT", $"/api/months/{demo.Current}/facts", good)).AssertOk();
        Assert.Equal(1, saved.GetProperty("changed").GetInt32());
        var stored = await app.DbAsync(db => db.Facts.FirstAsync(f => f.PersonId == demo.Id("E001") && f.Month!.Month == demo.Current.ToString()));
        Assert.Equal(12345.67m, stored.SalesPlan);

        using var gm = await SignIn.AsAsync(app, "gm");
        (await gm.SendAsync("PUT", $"/api/months/{demo.Current}/facts", good)).AssertProblem(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("""{"rows":[{"personId":PERSON,"salesPlan":"abc"}]}""", "rows[0].salesPlan", WrongType)]
    [InlineData("""{"rows":[{"personId":PERSON,"absentDays":1.5}]}""", "rows[0].absentDays", WrongType)]
    [InlineData("""{"rows":[{"personId":PERSON},{"personId":"x"}]}""", "rows[1].personId", WrongType)]
    [InlineData("""{"rows":{}}""", "rows", WrongType)]
    [InlineData("""{"rows":[""", "rows[0]", "not valid JSON")]
    public async Task A_request_that_cannot_be_read_is_refused_naming_the_field_and_saves_nothing(string body, string where, string expected)
    {
        var demo = await Demo.LoadAsync(app);
        using var hr = await SignIn.AsAsync(app, "hr");
        var before = await app.DbAsync(db => db.Facts.CountAsync());
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/api/months/{demo.Current}/facts")
        {
            Content = new StringContent(body.Replace("PERSON", demo.Id("E001").ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"),
        };

        using var response = await hr.SendAsync(request, TestContext.Current.CancellationToken);
        var problem = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).RootElement;

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("请求无法读取", problem.GetProperty("title").GetString());
        var error = Assert.Single(problem.GetProperty("errors").EnumerateArray().ToList());
        Assert.Equal(where, error.GetProperty("where").GetString());
        Assert.Equal(expected, error.GetProperty("en").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("zh").GetString()));
        Assert.Equal(before, await app.DbAsync(db => db.Facts.CountAsync()));
    }

    [Fact]
    public async Task HR_adds_adjustments_and_extensions_with_every_problem_reported()
    {
        var demo = await Demo.LoadAsync(app);
        using var hr = await SignIn.AsAsync(app, "hr");
        var added = (await hr.SendAsync("POST", $"/api/months/{demo.Current}/adjustments", new { person = demo.Id("E003"), amount = -50.5m, reason = "迟到扣款" }))
            .AssertOk(HttpStatusCode.Created);
        Assert.Equal(-50.5m, added.GetProperty("amount").GetDecimal());

        var errors = (await hr.SendAsync("POST", $"/api/months/{demo.Current}/adjustments", new { person = demo.Id("E003"), amount = 0m, reason = "" }))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(2, errors.Count);

        var until = app.Today.AddDays(40);
        var extended = (await hr.SendAsync("POST", $"/api/months/{demo.Current}/extensions", new { person = demo.Id("E004"), until, reason = "病假" }))
            .AssertOk(HttpStatusCode.Created);
        Assert.Equal(until.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), extended.GetProperty("until").GetString());
        errors = (await hr.SendAsync("POST", $"/api/months/{demo.Current}/extensions", new { person = demo.Id("E004") }))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(2, errors.Count);

        using var sup = await SignIn.AsAsync(app, "sup1");
        (await sup.SendAsync("POST", $"/api/months/{demo.Current}/adjustments", new { person = demo.Id("E003"), amount = 10m, reason = "x" }))
            .AssertProblem(HttpStatusCode.Forbidden);
        (await sup.SendAsync("POST", $"/api/months/{demo.Current}/extensions", new { person = demo.Id("E004"), until, reason = "x" }))
            .AssertProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_supervisor_records_the_talk_with_their_own_team_only()
    {
        var demo = await Demo.LoadAsync(app);
        using var sup = await SignIn.AsAsync(app, "sup1");
        var version = await app.DbAsync(db => db.FeedbackTalks.Where(t => t.PersonId == demo.Id("E002") && t.MonthId == db.Months.First(m => m.Month == demo.Current.ToString()).Id)
            .Select(t => (int?)t.Version).FirstOrDefaultAsync());
        var talk = (await sup.SendAsync("PUT", $"/api/months/{demo.Current}/talks/{demo.Id("E002")}", new { date = app.Today, notes = "谈了改进计划", version }))
            .AssertOk();
        Assert.Equal("谈了改进计划", talk.GetProperty("notes").GetString());

        var errors = (await sup.SendAsync("PUT", $"/api/months/{demo.Current}/talks/{demo.Id("E002")}", new { notes = "" }))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(2, errors.Count);

        (await sup.SendAsync("PUT", $"/api/months/{demo.Current}/talks/{demo.Id("E007")}", new { date = app.Today, notes = "x" }))
            .AssertProblem(HttpStatusCode.Forbidden);
        using var hr = await SignIn.AsAsync(app, "hr");
        (await hr.SendAsync("PUT", $"/api/months/{demo.Current}/talks/{demo.Id("E002")}", new { date = app.Today, notes = "x" }))
            .AssertProblem(HttpStatusCode.Forbidden);
    }
}
