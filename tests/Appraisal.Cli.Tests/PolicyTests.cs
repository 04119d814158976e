using System.Text.Json;
using System.Text.Json.Nodes;

namespace Appraisal.Cli.Tests;

/// <summary><c>policy show</c>, <c>policy validate</c> and <c>evaluate --policy</c>.</summary>
public sealed class PolicyTests
{
    private static JsonObject ShownPolicy()
    {
        var r = Shared.PolicyShow;
        Assert.True(r.ExitCode == 0, r.ToString());
        return JsonNode.Parse(r.Stdout)!.AsObject();
    }

    private static JsonObject Grade(JsonObject policy, string key) =>
        policy["grades"]!.AsArray().Single(g => (string?)g!["key"] == key)!.AsObject();

    [Fact]
    public void Show_prints_json_with_readable_chinese()
    {
        var r = Shared.PolicyShow;

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(string.Empty, r.Stderr);
        using var document = JsonDocument.Parse(r.Stdout);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        // The seed's words appear as such, not as \uXXXX escapes.
        Assert.Contains("纪律性", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("资深客服", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("不及格", r.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluating_with_the_shown_policy_gives_byte_identical_output()
    {
        using var dir = new TempDir();
        var show = Shared.PolicyShow;
        var policy = dir.Write("p.json", show.StdoutBytes);
        var input = TestData.PathOf("multi-month.input.json");

        var without = CliRun.Run(["evaluate", input]);
        var with = CliRun.Run(["evaluate", input, "--policy", policy]);

        Assert.True(with.ExitCode == 0, with.ToString());
        Assert.Equal(string.Empty, with.Stderr);
        Assert.Equal(without.StdoutBytes, with.StdoutBytes);
    }

    [Fact]
    public void A_changed_position_salary_changes_the_pay()
    {
        using var dir = new TempDir();
        var policy = ShownPolicy();
        Grade(policy, "good")["positionSalary"] = 1600;
        var path = dir.Write("p.json", policy.ToJsonString());

        var r = CliRun.Run(["evaluate", TestData.PathOf("contract-example.input.json"), "--policy", path]);

        // The contract example is 良: 1600 + commission 1896.01 = 3496.01.
        Assert.True(r.ExitCode == 0, r.ToString());
        var expected = JsonNode.Parse(TestData.Text("contract-example.output.json"))!;
        var result = expected["months"]![0]!["results"]![0]!;
        result["positionSalary"] = 1600;
        result["totalPay"] = 3496.01m;
        JsonAssert.Equivalent(expected.ToJsonString(), r.Stdout);
    }

    [Fact]
    public void A_changed_commission_threshold_changes_the_commission()
    {
        using var dir = new TempDir();
        var policy = ShownPolicy();
        var tier = policy["commission"]!["tiers"]!.AsArray().Single(t => t!["minAbovePlan"] is { } m && (decimal)m == 50000m)!;
        tier["minAbovePlan"] = 40000;
        var policyPath = dir.Write("p.json", policy.ToJsonString());
        var input = JsonNode.Parse(TestData.Text("contract-example.input.json"))!;
        input["months"]![0]!["employees"]![0]!["salesActual"] = 145000;
        var inputPath = dir.Write("x.json", input.ToJsonString());

        var seed = CliRun.Run(["evaluate", inputPath]);
        var changed = CliRun.Run(["evaluate", inputPath, "--policy", policyPath]);

        // Plan 100000, actual 145000: under the seed 145000 < 150000 → 1 % = 1450.00, total 2950.00;
        // with the threshold at 40000, 145000 ≥ 140000 → 1.2 % = 1740.00, total 3240.00.
        Assert.True(seed.ExitCode == 0, seed.ToString());
        Assert.True(changed.ExitCode == 0, changed.ToString());
        AssertPay(seed.Stdout, rate: 0.01m, commission: 1450.00m, total: 2950.00m);
        AssertPay(changed.Stdout, rate: 0.012m, commission: 1740.00m, total: 3240.00m);
    }

    private static void AssertPay(string output, decimal rate, decimal commission, decimal total)
    {
        using var document = JsonDocument.Parse(output);
        var result = document.RootElement.GetProperty("months")[0].GetProperty("results")[0];
        Assert.Equal(rate, result.GetProperty("commissionRate").GetDecimal());
        Assert.Equal(commission, result.GetProperty("commission").GetDecimal());
        Assert.Equal(total, result.GetProperty("totalPay").GetDecimal());
        Assert.Equal(1500m, result.GetProperty("positionSalary").GetDecimal());
    }

    [Fact]
    public void Validate_accepts_the_default_policy()
    {
        using var dir = new TempDir();
        var path = dir.Write("p.json", Shared.PolicyShow.StdoutBytes);

        var r = CliRun.Run(["policy", "validate", path]);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(string.Empty, r.Stderr);
        Assert.Contains("seed-1", r.Stdout, StringComparison.Ordinal);
        Assert.True(Messages.IsBilingual(r.Stdout), r.Stdout);
    }

    [Fact]
    public void Validate_accepts_a_policy_from_standard_input()
    {
        var show = Shared.PolicyShow;

        var r = CliRun.Run(["policy", "validate", "-"], show.Stdout);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("valid", r.Stdout, StringComparison.Ordinal);
    }

    private static string BrokenPolicy(TempDir dir)
    {
        var policy = ShownPolicy();
        // Weights summing to 1.1; performance max 39 so the maxima sum to 99; 良 starting above 优 (overlap).
        policy["weights"] = new JsonObject { ["self"] = 0.5m, ["supervisor"] = 0.6m };
        var performance = policy["groups"]!.AsArray().SelectMany(g => g!["items"]!.AsArray()).Single(i => (string?)i!["key"] == "performance")!;
        performance["max"] = 39;
        Grade(policy, "good")["minScore"] = 96;
        return dir.Write("broken.json", policy.ToJsonString());
    }

    [Fact]
    public void Validate_lists_every_problem_of_a_broken_policy_on_stderr()
    {
        using var dir = new TempDir();
        var path = BrokenPolicy(dir);

        var r = CliRun.Run(["policy", "validate", path]);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Equal(string.Empty, r.Stdout);
        var lines = r.StderrLines;
        Assert.True(lines.Length >= 3, r.ToString());
        Assert.All(lines, line => Assert.True(Messages.IsBilingual(line), line));
        Assert.Contains(lines, l => l.StartsWith("weights:", StringComparison.Ordinal) && l.Contains("0.5 + 0.6", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("groups", StringComparison.Ordinal) && l.Contains("100", StringComparison.Ordinal) && l.Contains("99", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("grades[1](good).minScore:", StringComparison.Ordinal));
        Assert.False(Messages.HasStackTrace(r.Stderr), r.Stderr);
    }

    [Fact]
    public void Evaluate_with_a_broken_policy_fails_and_names_the_policy_file()
    {
        using var dir = new TempDir();
        var path = BrokenPolicy(dir);

        var r = CliRun.Run(["evaluate", TestData.PathOf("contract-example.input.json"), "--policy", path]);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Equal(string.Empty, r.Stdout);
        Assert.True(r.StderrLines.Length >= 3, r.ToString());
        Assert.All(r.StderrLines, line => Assert.StartsWith("策略文件 policy file", line, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_reports_a_policy_that_is_not_json()
    {
        using var dir = new TempDir();
        var path = dir.Write("p.json", "{\n  \"schemaVersion\": 1, ");

        var r = CliRun.Run(["policy", "validate", path]);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Equal(string.Empty, r.Stdout);
        var line = Assert.Single(r.StderrLines);
        Assert.Contains("line 2, 列 column 23", line, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", line, StringComparison.Ordinal);
        Assert.True(Messages.IsBilingual(r.Stderr), r.Stderr);
        Assert.False(Messages.HasStackTrace(r.Stderr), r.Stderr);
    }

    [Fact]
    public void Validate_reports_an_unknown_policy_field()
    {
        using var dir = new TempDir();
        var policy = ShownPolicy();
        policy["surprise"] = 1;
        var path = dir.Write("p.json", policy.ToJsonString());

        var r = CliRun.Run(["policy", "validate", path]);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Equal(string.Empty, r.Stdout);
        Assert.Contains("surprise", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_of_a_missing_file_fails_without_a_stack_trace()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "no-such-policy.json");

        var r = CliRun.Run(["policy", "validate", path]);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Equal(string.Empty, r.Stdout);
        Assert.Contains("no-such-policy.json", r.Stderr, StringComparison.Ordinal);
        Assert.False(Messages.HasStackTrace(r.Stderr), r.Stderr);
    }

    [Fact]
    public void Evaluate_with_a_missing_policy_file_fails()
    {
        using var dir = new TempDir();

        var r = CliRun.Run(["evaluate", TestData.PathOf("contract-example.input.json"), "--policy", Path.Combine(dir.Path, "none.json")]);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Equal(string.Empty, r.Stdout);
        Assert.Contains("none.json", r.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void An_internal_error_is_one_line_without_a_stack_trace()
    {
        // A position salary at decimal's maximum passes the policy checks but overflows when the
        // pay is summed: the CLI must still say so in one line, never with a stack trace.
        using var dir = new TempDir();
        var policy = ShownPolicy();
        Grade(policy, "good")["positionSalary"] = decimal.MaxValue;
        var path = dir.Write("p.json", policy.ToJsonString());

        var r = CliRun.Run(["evaluate", TestData.PathOf("contract-example.input.json"), "--policy", path]);

        Assert.True(r.ExitCode is 1 or 2, r.ToString());
        Assert.Equal(string.Empty, r.Stdout);
        Assert.Single(r.StderrLines);
        Assert.False(Messages.HasStackTrace(r.Stderr), r.Stderr);
    }
}
