using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Appraisal.Web.Tests.Api;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Appraisal.Web.Tests.Security;

/// <summary>
/// Cookie-authenticated API writes never rely on SameSite alone (issue 7 §3, docs/api.md): without the
/// X-CSRF-TOKEN header, with a form body, or from another site they are refused with a bilingual problem and
/// nothing changes; with them they work.
/// </summary>
public sealed class ApiWriteTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<int> MonthsAsync(string month) => app.DbAsync(db => db.Months.CountAsync(m => m.Month == month, Ct));

    private Task<int> AcknowledgementsAsync(int person) => app.DbAsync(db => db.Acknowledgements.CountAsync(a => a.PersonId == person, Ct));

    [Fact]
    public async Task A_write_without_the_token_is_refused_and_changes_nothing()
    {
        using var hr = await SignIn.WithoutApiTokenAsync(app, "hr");
        (await hr.SendAsync("POST", "/api/months", new { month = "2031-05" })).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(0, await MonthsAsync("2031-05"));

        using var forged = new HttpRequestMessage(HttpMethod.Post, "/api/months") { Content = JsonContent.Create(new { month = "2031-05" }) };
        forged.Headers.Add("X-CSRF-TOKEN", "forged-token");
        using var answer = await hr.SendAsync(forged, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("X-CSRF-TOKEN", await answer.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(0, await MonthsAsync("2031-05"));

        // The same request with the session's token goes through: the refusal above was the token's.
        using var withToken = await SignIn.AsAsync(app, "hr");
        Assert.True((int)(await withToken.SendAsync("POST", "/api/months", new { month = "2031-05" })).Status is >= 200 and < 300);
        Assert.Equal(1, await MonthsAsync("2031-05"));
    }

    [Fact]
    public async Task A_body_less_post_without_the_token_is_refused_too()
    {
        var demo = await Demo.LoadAsync(app);
        var url = $"/api/months/{demo.Previous}/results/{demo.Id("E003")}/acknowledgement";
        var before = await AcknowledgementsAsync(demo.Id("E003"));
        using var bare = await SignIn.WithoutApiTokenAsync(app, "agent03");
        (await bare.SendAsync("POST", url)).AssertProblem(HttpStatusCode.BadRequest);
        Assert.Equal(before, await AcknowledgementsAsync(demo.Id("E003")));

        using var agent = await SignIn.AsAsync(app, "agent03");
        (await agent.SendAsync("POST", url)).AssertOk();
        Assert.Equal(before + 1, await AcknowledgementsAsync(demo.Id("E003")));
    }

    [Fact]
    public async Task A_form_body_is_refused_even_with_the_token()
    {
        using var hr = await SignIn.AsAsync(app, "hr");
        using var form = new FormUrlEncodedContent([new("month", "2031-07")]);
        using var response = await hr.PostAsync("/api/months", form, Ct);
        var problem = await ProblemAsync(response);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("JSON", problem.GetProperty("zh").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await MonthsAsync("2031-07"));
    }

    [Theory]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Origin", "null")]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    public async Task A_write_from_another_site_is_refused_even_with_the_token(string header, string value)
    {
        using var hr = await SignIn.AsAsync(app, "hr");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/months") { Content = JsonContent.Create(new { month = "2031-08" }) };
        request.Headers.Add(header, value);
        using var response = await hr.SendAsync(request, Ct);
        var problem = await ProblemAsync(response);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("en").GetString()));
        Assert.Equal(0, await MonthsAsync("2031-08"));
    }

    [Fact]
    public async Task A_write_from_this_site_with_the_token_goes_through()
    {
        using var hr = await SignIn.AsAsync(app, "hr");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/months") { Content = JsonContent.Create(new { month = "2031-09" }) };
        request.Headers.Add("Origin", "http://localhost");
        request.Headers.Add("Sec-Fetch-Site", "same-origin");
        using var response = await hr.SendAsync(request, Ct);
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
        Assert.Equal(1, await MonthsAsync("2031-09"));
    }

    [Fact]
    public async Task The_token_of_one_session_does_not_serve_another()
    {
        using var first = await SignIn.AsAsync(app, "hr");
        var token = (await first.SendAsync("GET", "/api/antiforgery")).AssertOk().GetProperty("token").GetString()!;
        using var second = await SignIn.WithoutApiTokenAsync(app, "agent01");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/months/{app.Month(1)}/results/{await app.PersonIdAsync("E001")}/acknowledgement");
        request.Headers.Add("X-CSRF-TOKEN", token);
        using var response = await second.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var root = doc.RootElement.Clone();
        Assert.True(root.TryGetProperty("zh", out _) && root.TryGetProperty("en", out _), root.ToString());
        return root;
    }
}
