using System.Net;
using System.Text.Json;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Api;

/// <summary>
/// <c>GET /api/months/{month}/results?page=&amp;pageSize=</c> (issue 10): a month is answered page by page in
/// employee-number order, each answer saying the page, its size, the total and the number of pages, so that a client
/// walks every row exactly once; bad paging values are a 400 problem naming the parameter, in both languages, and
/// neither read nor audited. Demo: 12 agents in the confirmed previous month, sup1 leads six of them.
/// </summary>
public sealed class ResultsPagingApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Theory]
    [InlineData("hr", 5, 12)]
    [InlineData("hr", 12, 12)]
    [InlineData("sup1", 4, 6)]
    public async Task Walking_the_pages_gives_every_visible_row_once_in_order(string user, int size, int total)
    {
        var demo = await Demo.LoadAsync(app);
        using var client = await SignIn.AsAsync(app, user);
        var whole = Ids((await client.SendAsync("GET", $"/api/months/{demo.Previous}/results")).AssertOk());
        Assert.Equal(total, whole.Count);

        var pages = (total + size - 1) / size;
        var walked = new List<string>();
        for (var page = 1; page <= pages + 1; page++)
        {
            var body = (await client.SendAsync("GET", $"/api/months/{demo.Previous}/results?page={page}&pageSize={size}")).AssertOk();
            Assert.Equal(page, body.GetProperty("page").GetInt32());
            Assert.Equal(size, body.GetProperty("pageSize").GetInt32());
            Assert.Equal(total, body.GetProperty("total").GetInt32());
            Assert.Equal(pages, body.GetProperty("pages").GetInt32());
            var rows = Ids(body);
            // Full pages, then the rest; a page beyond the last is empty.
            Assert.Equal(page <= pages ? Math.Min(size, total - ((page - 1) * size)) : 0, rows.Count);
            walked.AddRange(rows);
        }

        Assert.Equal(whole, walked);
        Assert.Equal(whole.Order(StringComparer.Ordinal), whole);
    }

    [Fact]
    public async Task Without_paging_values_the_first_page_of_500_is_answered()
    {
        var demo = await Demo.LoadAsync(app);
        using var client = await SignIn.AsAsync(app, "hr");
        var body = (await client.SendAsync("GET", $"/api/months/{demo.Previous}/results")).AssertOk();
        Assert.Equal(1, body.GetProperty("page").GetInt32());
        Assert.Equal(500, body.GetProperty("pageSize").GetInt32());
        Assert.Equal(1, body.GetProperty("pages").GetInt32());
        Assert.Equal(2000, (await client.SendAsync("GET", $"/api/months/{demo.Previous}/results?pageSize=2000")).AssertOk().GetProperty("pageSize").GetInt32());
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=-3", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=2001", "pageSize")]
    [InlineData("page=abc", "page")]
    [InlineData("pageSize=1.5", "pageSize")]
    [InlineData("page=1&pageSize=99999999999", "pageSize")]
    public async Task A_bad_paging_value_is_a_problem_naming_the_parameter_and_nothing_is_read(string query, string parameter)
    {
        var demo = await Demo.LoadAsync(app);
        using var client = await SignIn.AsAsync(app, "hr");
        var mark = await app.DbAsync(db => db.Audit.MaxAsync(a => (long?)a.Id)) ?? 0;

        var answer = await client.SendAsync("GET", $"/api/months/{demo.Previous}/results?{query}");

        answer.AssertProblem(HttpStatusCode.BadRequest);
        var error = Assert.Single(answer.Body.GetProperty("errors").EnumerateArray());
        Assert.Equal(parameter, error.GetProperty("where").GetString());
        Assert.Contains(parameter, error.GetProperty("zh").GetString(), StringComparison.Ordinal);
        Assert.Contains(parameter, error.GetProperty("en").GetString(), StringComparison.Ordinal);
        Assert.Matches("\\p{IsCJKUnifiedIdeographs}", error.GetProperty("zh").GetString()!);
        Assert.False(answer.Body.TryGetProperty("results", out _));
        Assert.Equal(0, await app.DbAsync(db => db.Audit.CountAsync(a => a.Action == "pay.read" && a.Id > mark)));
    }

    [Fact]
    public async Task Both_bad_values_are_named_at_once()
    {
        var demo = await Demo.LoadAsync(app);
        using var client = await SignIn.AsAsync(app, "hr");
        var answer = await client.SendAsync("GET", $"/api/months/{demo.Previous}/results?page=0&pageSize=5000");
        answer.AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(["page", "pageSize"], answer.Body.GetProperty("errors").EnumerateArray().Select(e => e.GetProperty("where").GetString()).ToArray());
    }

    private static List<string> Ids(JsonElement body) =>
        body.GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToList();
}
