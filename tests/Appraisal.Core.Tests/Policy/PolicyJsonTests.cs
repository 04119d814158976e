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

    public static TheoryData<string> Breakages => new()
    {
        "unknown top-level property",
        "unknown grade property",
        "unknown item property",
        "missing version",
        "missing weights",
        "missing grade positionSalary",
        "missing tier rate",
        "missing item levels",
        "wrong type",
        "null title",
        "string number",
    };

    private static JsonObject Break(string breakage)
    {
        var node = SeedNode();
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
    public void Structural_problems_are_rejected(string breakage)
    {
        var problem = Assert.Single(Problems(Break(breakage).ToJsonString()));

        Assert.Contains("not a valid policy JSON document", problem.En, StringComparison.Ordinal);
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
