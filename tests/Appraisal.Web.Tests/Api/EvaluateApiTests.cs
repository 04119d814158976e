using System.Net;
using System.Text;
using System.Text.Json;
using Appraisal.Core.Policy;
using Appraisal.Core.Results;
using Appraisal.Core.Results.Json;
using Appraisal.Web.Tests.Infrastructure;

namespace Appraisal.Web.Tests.Api;

/// <summary>POST /api/evaluate implements the evaluate contract exactly (docs/evaluate.md).</summary>
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

    [Theory]
    // June and July absence, July's eligibility override (JSON) → eligible in July, July's flags
    [InlineData(30, 31, """{"eligible": true, "reason": "产假按规定计入出勤"}""", true, "eligibilityOverridden")]
    [InlineData(0, 0, """{"eligible": false, "reason": "停职调查期间"}""", false, "eligibilityOverridden")]
    [InlineData(30, 30, null, true, "")]
    [InlineData(30, 31, null, false, "")]
    public async Task The_eligibility_override_decides_instead_of_the_absence_rule_and_is_flagged(int june, int july, string? eligibility, bool eligible, string flags)
    {
        var input = Encoding.UTF8.GetBytes(TwoMonths(june, july, eligibility));
        using var client = await SignIn.AsAsync(app, "hr");
        using var response = await client.PostAsync("/api/evaluate", Json(input), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Equal(EvaluationJson.WriteOutput(Evaluator.Evaluate(EvaluationJson.ReadInput(input, DefaultPolicy.Instance))), text);
        using var output = JsonDocument.Parse(text);
        var july1 = output.RootElement.GetProperty("months")[1].GetProperty("results")[0];
        Assert.Equal(eligible, july1.GetProperty("eligible").GetBoolean());
        Assert.Equal(flags, string.Join(',', july1.GetProperty("flags").EnumerateArray().Select(f => f.GetString())));
    }

    [Theory]
    // July's eligibility override (JSON) → the field named, words of the English message
    [InlineData("""{"eligible": true}""", "eligibility.reason", "reason is missing")]
    [InlineData("""{"eligible": true, "reason": "  "}""", "eligibility.reason", "non-blank")]
    [InlineData("""{"eligible": true, "reason": 7}""", "eligibility.reason", "expected a string")]
    [InlineData("""{"eligible": "true", "reason": "r"}""", "eligibility.eligible", "expected true or false")]
    [InlineData("""{"eligible": true, "reason": "r", "approvedBy": "hr"}""", "eligibility.approvedBy", "unknown field")]
    public async Task A_bad_override_is_a_400_naming_month_employee_and_field(string eligibility, string field, string words)
    {
        using var client = await SignIn.AsAsync(app, "hr");
        using var response = await client.PostAsync("/api/evaluate", Json(Encoding.UTF8.GetBytes(TwoMonths(30, 31, eligibility))), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var error = Assert.Single(problem.RootElement.GetProperty("errors").EnumerateArray());
        Assert.Equal($"月份 month 2026-07, 员工 employee E1, 字段 field {field}", error.GetProperty("where").GetString());
        Assert.Contains(words, error.GetProperty("en").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("zh").GetString()));
    }

    /// <summary>E1 absent <paramref name="june"/> then <paramref name="july"/> days, July with the override when given, E2 beside.</summary>
    private static string TwoMonths(int june, int july, string? eligibility)
    {
        const string Scores = """{"discipline": 5, "problemSolving": 8, "teamwork": 9, "passion": 4, "performance": 34, "complaints": 17, "promotion": 3, "summary": 4}""";
        var extra = eligibility is null ? string.Empty : ", \"eligibility\": " + eligibility;
        return $$"""
            {"months": [
              {"month": "2026-06", "employees": [{"id": "E1", "supervisor": {{Scores}}, "salesPlan": 100, "salesActual": 100, "absentDays": {{june}}}]},
              {"month": "2026-07", "employees": [
                {"id": "E1", "self": {{Scores}}, "supervisor": {{Scores}}, "salesPlan": 100, "salesActual": 200, "absentDays": {{july}}{{extra}}},
                {"id": "E2", "supervisor": {{Scores}}, "salesPlan": 100, "salesActual": 100}]}
            ]}
            """;
    }

    private static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = Encoding.UTF8.WebName };
        return content;
    }
}
