using System.Net;
using System.Text.Json.Nodes;
using Appraisal.Web.Tests.Infrastructure;

namespace Appraisal.Web.Tests.Api;

/// <summary>/api/policy/versions writes: HR drafts and edits, the general manager approves (D18).</summary>
public sealed class PolicyWriteApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    [Fact]
    public async Task HR_drafts_and_edits_and_the_GM_approves()
    {
        using var hr = await SignIn.AsAsync(app, "hr");
        using var gm = await SignIn.AsAsync(app, "gm");
        var source = (await hr.SendAsync("GET", "/api/policy/versions")).AssertOk().EnumerateArray().First(v => v.GetProperty("inForce").GetBoolean());

        (await gm.SendAsync("POST", "/api/policy/versions", new { from = source.GetProperty("id").GetInt32() })).AssertProblem(HttpStatusCode.Forbidden);
        (await hr.SendAsync("POST", "/api/policy/versions", new { from = 99999 })).AssertProblem(HttpStatusCode.NotFound);
        var draft = (await hr.SendAsync("POST", "/api/policy/versions", new { from = source.GetProperty("id").GetInt32() })).AssertOk(HttpStatusCode.Created);
        Assert.Equal("draft", draft.GetProperty("status").GetString());
        var id = draft.GetProperty("id").GetInt32();
        var version = draft.GetProperty("version").GetInt32();

        var document = JsonNode.Parse((await hr.SendAsync("GET", $"/api/policy/versions/{id}")).AssertOk().GetRawText())!;
        document["title"]!["zh"] = "2027 年考核办法（草案）";
        (await gm.SendAsync("PUT", $"/api/policy/versions/{id}", new { policy = document, version })).AssertProblem(HttpStatusCode.Forbidden);
        var edited = (await hr.SendAsync("PUT", $"/api/policy/versions/{id}", new { policy = document, note = "标题", version })).AssertOk();
        version = edited.GetProperty("version").GetInt32();

        (await hr.SendAsync("POST", $"/api/policy/versions/{id}/approval", new { effectiveMonth = "2031-01", version })).AssertProblem(HttpStatusCode.Forbidden);
        (await gm.SendAsync("POST", $"/api/policy/versions/{id}/approval", new { effectiveMonth = "2031-13", version })).AssertProblem(HttpStatusCode.BadRequest);
        var approved = (await gm.SendAsync("POST", $"/api/policy/versions/{id}/approval", new { effectiveMonth = "2031-01", version })).AssertOk();
        Assert.Equal("approved", approved.GetProperty("status").GetString());
        Assert.Equal("2031-01", approved.GetProperty("effectiveFrom").GetString());

        // An approved version never changes.
        (await hr.SendAsync("PUT", $"/api/policy/versions/{id}", new { policy = document, version = approved.GetProperty("version").GetInt32() }))
            .AssertProblem(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task A_bad_document_is_refused_with_every_problem()
    {
        using var hr = await SignIn.AsAsync(app, "hr");
        var source = (await hr.SendAsync("GET", "/api/policy/versions")).AssertOk().EnumerateArray().First(v => v.GetProperty("inForce").GetBoolean());
        var draft = (await hr.SendAsync("POST", "/api/policy/versions", new { from = source.GetProperty("id").GetInt32() })).AssertOk(HttpStatusCode.Created);
        var id = draft.GetProperty("id").GetInt32();
        var document = JsonNode.Parse((await hr.SendAsync("GET", $"/api/policy/versions/{id}")).AssertOk().GetRawText())!;
        document["version"] = "renamed";
        document["money"]!["decimals"] = -3;
        document["process"]!["appealDays"] = -1;

        var errors = (await hr.SendAsync("PUT", $"/api/policy/versions/{id}", new { policy = document, version = draft.GetProperty("version").GetInt32() }))
            .AssertProblem(HttpStatusCode.BadRequest);
        Assert.True(errors.Count >= 3, string.Join(" | ", errors));
        (await hr.SendAsync("PUT", $"/api/policy/versions/{id}", new { version = 0 })).AssertProblem(HttpStatusCode.BadRequest);
    }
}
