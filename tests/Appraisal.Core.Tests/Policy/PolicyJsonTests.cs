using System.Text;
using System.Text.Json.Nodes;
using Appraisal.Core.Policy;
using static Appraisal.Core.Tests.Build;
using static Appraisal.Core.Tests.Policy.PolicyEdit;

namespace Appraisal.Core.Tests.Policy;

/// <summary>PolicyJson reads strictly (unknown, missing, wrong-typed properties are problems) and writes stable text.</summary>
public class PolicyJsonTests
{
    private static JsonObject SeedNode() => JsonNode.Parse(PolicyJson.Serialize(Seed))!.AsObject();

    private static IReadOnlyList<Problem> Problems(string json) =>
        Assert.Throws<ProblemsException>(() => PolicyJson.Parse(json)).Problems;

    [Fact]
    public void Serialize_then_parse_round_trips()
    {
        var first = PolicyJson.Serialize(Seed);
        var second = PolicyJson.Serialize(PolicyJson.Parse(first));

        Assert.Equal(first, second);
        Assert.Equal(first, PolicyJson.Serialize(Seed));
        Assert.Equal(Encoding.UTF8.GetBytes(first), PolicyJson.SerializeToUtf8Bytes(Seed));
    }

    [Fact]
    public void A_changed_policy_round_trips_too()
    {
        var changed = Seed.WithGrade("good", g => g with { PositionSalary = 1650.50m, Promotion = null }).WithTiers((null, 0.004m), (25000m, 0.011m));
        var text = PolicyJson.Serialize(changed);

        var parsed = PolicyJson.Parse(text);

        Assert.Equal(text, PolicyJson.Serialize(parsed));
        Assert.Equal(1650.50m, parsed.FindGrade("good")?.PositionSalary);
        Assert.Null(parsed.FindGrade("good")?.Promotion);
        Assert.Equal(25000m, parsed.Commission.Tiers[1].MinAbovePlan);
    }

    [Fact]
    public void Chinese_is_written_readably()
    {
        var text = PolicyJson.Serialize(Seed);

        Assert.Contains("\"zh\": \"纪律性\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", text, StringComparison.Ordinal);
    }

    /// <summary>Each breakage with the one problem it must give: where, and the English text.</summary>
    public static TheoryData<string, string, string> Breakages => new()
    {
        { "unknown top-level property", "$.comment", "unknown property \"comment\"" },
        { "unknown grade property", "$.grades[0].bonus", "unknown property \"bonus\"" },
        { "unknown item property", "$.groups[0].items[0].weight", "unknown property \"weight\"" },
        { "missing version", "$.version", "the required property \"version\" is missing" },
        { "missing weights", "$.weights", "the required property \"weights\" is missing" },
        { "missing grade positionSalary", "$.grades[1].positionSalary", "the required property \"positionSalary\" is missing" },
        { "missing tier rate", "$.commission.tiers[1].rate", "the required property \"rate\" is missing" },
        { "missing item levels", "$.groups[1].items[0].levels", "the required property \"levels\" is missing" },
        { "wrong type", "$.bonus.amount", "expected a number, got \"two hundred\"" },
        { "null title", "$.title", "must not be null" },
        { "string number", "$.schemaVersion", "expected a whole number, got \"1\"" },
    };

    private static JsonObject Break(string breakage) => Break(breakage, SeedNode());

    private static JsonObject Break(string breakage, JsonObject node)
    {
        switch (breakage)
        {
            case "unknown top-level property": node["comment"] = "hello"; break;
            case "unknown grade property": node["grades"]![0]!["bonus"] = 100; break;
            case "unknown item property": node["groups"]![0]!["items"]![0]!["weight"] = 1; break;
            case "missing version": node.Remove("version"); break;
            case "missing weights": node.Remove("weights"); break;
            case "missing grade positionSalary": node["grades"]![1]!.AsObject().Remove("positionSalary"); break;
            case "missing tier rate": node["commission"]!["tiers"]![1]!.AsObject().Remove("rate"); break;
            case "missing item levels": node["groups"]![1]!["items"]![0]!.AsObject().Remove("levels"); break;
            case "wrong type": node["bonus"]!["amount"] = "two hundred"; break;
            case "null title": node["title"] = null; break;
            case "string number": node["schemaVersion"] = "1"; break;
            default: throw new ArgumentOutOfRangeException(nameof(breakage));
        }

        return node;
    }

    [Theory]
    [MemberData(nameof(Breakages))]
    public void Structural_problems_are_rejected_naming_the_place(string breakage, string where, string en)
    {
        var problem = Assert.Single(Problems(Break(breakage).ToJsonString()));

        Assert.Equal(where, problem.Where);
        Assert.Equal(en, problem.En);
        Assert.False(string.IsNullOrWhiteSpace(problem.Zh));
    }

    [Fact]
    public void Every_structural_problem_is_reported_at_once_not_only_the_first()
    {
        var node = SeedNode();
        foreach (var breakage in Breakages.Select(row => row.Data.Item1))
        {
            node = Break(breakage, node);
        }

        var problems = Problems(node.ToJsonString());

        Assert.Equal(Breakages.Select(row => row.Data.Item2).Order(StringComparer.Ordinal), problems.Select(p => p.Where).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_repeated_property_is_rejected()
    {
        var text = PolicyJson.Serialize(Seed).Replace("\"version\": \"seed-1\",", "\"version\": \"seed-1\",\n  \"version\": \"seed-2\",", StringComparison.Ordinal);
        Assert.Contains("seed-2", text, StringComparison.Ordinal);

        Assert.Single(Problems(text));
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{")]
    [InlineData("{\"schemaVersion\": 1,}")]
    public void Not_a_policy_at_all(string text) => Assert.Single(Problems(text));

    [Fact]
    public void Malformed_policy_JSON_names_line_and_column()
    {
        var text = PolicyJson.Serialize(Seed).Replace("\"version\": \"seed-1\",", "\"version\": \"seed-1\",,", StringComparison.Ordinal);

        var line = text.Split('\n').ToList().FindIndex(l => l.Contains(",,", StringComparison.Ordinal)) + 1;

        var problem = Assert.Single(Problems(text));

        Assert.Contains($"line {line}", problem.En, StringComparison.Ordinal);
        Assert.Contains("column", problem.En, StringComparison.Ordinal);
    }

    [Fact]
    public void A_well_formed_but_invalid_policy_reports_the_validator_problems()
    {
        var node = SeedNode();
        node["weights"]!["self"] = 0.5m;
        node["reviewFlags"]!["consecutiveFail"]!["grade"] = "F";

        var problems = Problems(node.ToJsonString());

        Assert.Equal(["reviewFlags.consecutiveFail.grade", "weights"], problems.Select(p => p.Where).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_schema_reference_is_optional()
    {
        var node = SeedNode();
        node.Remove("$schema");

        var parsed = PolicyJson.Parse(node.ToJsonString());

        Assert.Null(parsed.Schema);
        Assert.DoesNotContain("$schema", PolicyJson.Serialize(parsed), StringComparison.Ordinal);
    }
}
