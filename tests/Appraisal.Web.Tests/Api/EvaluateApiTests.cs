using System.Net;
using System.Text;
using System.Text.Json;
using Appraisal.Core.Policy;
using Appraisal.Core.Results;
using Appraisal.Core.Results.Json;
using Appraisal.Web.Tests.Infrastructure;

namespace Appraisal.Web.Tests.Api;

/// <summary>POST /api/evaluate implements the evaluate contract exactly (evaluate-contract.md).</summary>
public sealed class EvaluateApiTests(AppFactory app) : IClassFixture<AppFactory>
{
    private static readonly byte[] Example = File.ReadAllBytes(Path.Combine(AppFactory.RepositoryRoot(), "samples", "evaluate-example.json"));

    [Fact]
    public async Task The_contract_example_gives_exactly_the_engine_output()
    {
        using var client = await SignIn.AsAsync(app, "hr");
        using var response = await client.PostAsync("/api/evaluate", Json(Example), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var policy = DefaultPolicy.Instance;
        var expected = EvaluationJson.WriteOutput(Evaluator.Evaluate(EvaluationJson.ReadInput(Example, policy)));
        Assert.Equal(expected, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Contains("\"totalPay\": 3396.01", expected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_months_and_employees_match_the_engine_too()
    {
        var input = """
            {"months": [
              {"month": "2026-11", "employees": [
                {"id": "E2", "supervisor": {"discipline": 1, "problemSolving": 3, "teamwork": 2, "passion": 1, "performance": 20, "complaints": 10, "promotion": 1, "summary": 1},
                 "salesPlan": 100000, "salesActual": 97, "absentDays": 2, "otherPay": -50.5},
                {"id": "E1", "self": {"discipline": 5, "problemSolving": 10, "teamwork": 10, "passion": 5, "performance": 40, "complaints": 20, "promotion": 5, "summary": 5},
                 "supervisor": {"discipline": 5, "problemSolving": 10, "teamwork": 10, "passion": 5, "performance": 40, "complaints": 20, "promotion": 5, "summary": 5},
                 "salesPlan": 100000, "salesActual": 150000}]},
              {"month": "2026-10", "employees": [
                {"id": "E1", "supervisor": {"discipline": 5, "problemSolving": 10, "teamwork": 10, "passion": 5, "performance": 40, "complaints": 20, "promotion": 5, "summary": 5},
                 "salesPlan": 1, "salesActual": 2}]}
            ]}
            """u8.ToArray();
        using var client = await SignIn.AsAsync(app, "hr");
        using var response = await client.PostAsync("/api/evaluate?policyVersion=seed-1", Json(input), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var policy = DefaultPolicy.Instance;
        Assert.Equal(EvaluationJson.WriteOutput(Evaluator.Evaluate(EvaluationJson.ReadInput(input, policy))), await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Bad_input_is_a_400_problem_listing_every_problem()
    {
        var input = """
            {"months": [{"month": "2026-13", "employees": [
              {"id": "E1", "supervisor": {"discipline": 9}, "salesPlan": "x", "salary": 1}]}]}
            """u8.ToArray();
        using var client = await SignIn.AsAsync(app, "hr");
        using var response = await client.PostAsync("/api/evaluate", Json(input), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var errors = problem.RootElement.GetProperty("errors").EnumerateArray().ToList();
        Assert.True(errors.Count >= 5, $"expected every problem, got {errors.Count}");
        Assert.All(errors, e =>
        {
            Assert.False(string.IsNullOrEmpty(e.GetProperty("zh").GetString()));
            Assert.False(string.IsNullOrEmpty(e.GetProperty("en").GetString()));
            Assert.True(e.TryGetProperty("where", out _));
        });
        var text = string.Join('\n', errors.Select(e => e.GetProperty("where").GetString() + " " + e.GetProperty("en").GetString()));
        Assert.Contains("2026-13", text, StringComparison.Ordinal);
        Assert.Contains("salesPlan", text, StringComparison.Ordinal);
        Assert.Contains("salesActual", text, StringComparison.Ordinal);
        Assert.Contains("salary", text, StringComparison.Ordinal);
        Assert.Contains("problemSolving", text, StringComparison.Ordinal);
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task Malformed_json_and_an_unknown_policy_version_are_400_too()
    {
        using var client = await SignIn.AsAsync(app, "hr");
        using var broken = await client.PostAsync("/api/evaluate", Json("{\"months\": ["u8.ToArray()), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);

        using var unknown = await client.PostAsync("/api/evaluate?policyVersion=no-such", Json(Example), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("policyVersion", await unknown.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_sign_in_it_is_401()
    {
        using var client = SignIn.Anonymous(app);
        using var response = await client.PostAsync("/api/evaluate", Json(Example), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = Encoding.UTF8.WebName };
        return content;
    }
}
