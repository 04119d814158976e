using System.Text.Json.Nodes;
using Appraisal.Core.Policy;
using Appraisal.Core.Results;
using Appraisal.Core.Results.Json;
using static Appraisal.Core.Tests.Build;
using static Appraisal.Core.Tests.Policy.PolicyEdit;

namespace Appraisal.Core.Tests.Policy;

/// <summary>The engine reads every number from the policy (D18): a changed policy changes the results.</summary>
public class PolicyChangeTests
{
    private static readonly MonthInput October = Month(
        "2026-10",
        Employee("E001", 87, 84, 100000m, 158000.50m), // 85.2 良
        Employee("E002", 100, 100, 100000m, 100000m), // 100 优
        Employee("E003", 50, 50, 100000m, 97m)); // 50 不及格

    [Fact]
    public void A_changed_salary_table_changes_salary_and_total()
    {
        var policy = Seed
            .WithGrade("good", g => g with { PositionSalary = 1600m })
            .WithGrade("fail", g => g with { PositionSalary = 1250.50m });

        var r = Evaluate(policy, October);

        Assert.Equal(1600m, r.Of("E001").PositionSalary);
        Assert.Equal(1600m + 1896.01m, r.Of("E001").TotalPay);
        Assert.Equal(1800m, r.Of("E002").PositionSalary); // unchanged
        Assert.Equal(1250.50m, r.Of("E003").PositionSalary);
        Assert.Equal(1250.50m + 0.49m, r.Of("E003").TotalPay);
    }

    [Fact]
    public void A_changed_commission_threshold_changes_the_tier()
    {
        // X + 60 000 for the top tier: 158000.50 is now in the 1 % tier → 1580.005 → 1580.01.
        var policy = Seed.WithTiers((null, 0.005m), (0m, 0.01m), (60000m, 0.012m));

        var r = Evaluate(policy, October);

        Assert.Equal(0.01m, r.Of("E001").CommissionTier.Rate);
        Assert.Equal(1580.01m, r.Of("E001").Commission);
        Assert.Equal(1500m + 1580.01m, r.Of("E001").TotalPay);
    }

    [Fact]
    public void Changed_grade_bands_change_the_grade()
    {
        // 良 from 85.5: 85.2 becomes 好.
        var policy = Seed.WithGrade("good", g => g with { MinScore = 85.5m });

        var r = Evaluate(policy, October);

        Assert.Equal("好", r.Of("E001").Grade?.Label.Zh);
        Assert.Equal(1400m, r.Of("E001").PositionSalary);
    }

    [Fact]
    public void Labels_in_the_output_are_the_policy_labels()
    {
        var policy = Seed.WithGrade("good", g => g with { Label = new("B 级"), Level = new("客服二级"), Training = new("适中"), Promotion = null });

        var json = EvaluationJson.WriteOutput(Evaluate(policy, October));

        var e1 = JsonNode.Parse(json)!["months"]![0]!["results"]![0]!;
        Assert.Equal("B 级", (string?)e1["grade"]);
        Assert.Equal("客服二级", (string?)e1["level"]);
        Assert.Equal("适中", (string?)e1["training"]);
        Assert.Null(e1["promotion"]);
    }

    [Fact]
    public void A_policy_read_from_JSON_drives_the_engine_the_same_way()
    {
        var node = JsonNode.Parse(PolicyJson.Serialize(Seed))!;
        node["grades"]![1]!["positionSalary"] = 1550;
        node["commission"]!["tiers"]![2]!["rate"] = 0.015m;
        var policy = PolicyJson.Parse(node.ToJsonString());

        var r = Evaluate(policy, October);

        Assert.Equal(1550m, r.Of("E001").PositionSalary);
        Assert.Equal(2370.01m, r.Of("E001").Commission); // 158000.50 × 1.5 % = 2370.0075
    }

    [Fact]
    public void Changing_the_items_of_a_policy_with_with_changes_its_item_list()
    {
        // A policy built from another with `with` must not keep the other's item list.
        _ = Seed.Items; // make sure the seed's list has been computed
        var policy = Seed
            .WithGroup("behaviour", g => g with { Percent = 25 })
            .WithItem("discipline", i => i with { Max = 0 });
        var renamed = Seed.WithItem("summary", i => i with { Key = "report" });

        Assert.Equal(0, policy.Items[0].Max);
        Assert.Equal(7, renamed.IndexOfItem("report"));
        Assert.Equal(-1, renamed.IndexOfItem("summary"));
        Assert.Equal(7, Seed.IndexOfItem("summary"));
    }

    [Fact]
    public void Item_maxima_of_the_policy_bound_the_scores()
    {
        // HR moves 5 points from performance (40 → 35) to discipline (5 → 10).
        var policy = Seed
            .WithItem("discipline", i => i with { Max = 10, Levels = Levels((0, 10)) })
            .WithItem("performance", i => i with { Max = 35, Levels = Levels((0, 35)) })
            .WithGroup("behaviour", g => g with { Percent = 35 })
            .WithGroup("duties", g => g with { Percent = 65 });
        Assert.Empty(PolicyValidator.Validate(policy));
        var input = Input(Month("2026-10", new EmployeeMonthInput("E1", null, null, Scores(10, 10, 10, 5, 36, 20, 5, 5), 0m, 0m)));

        var problems = Assert.Throws<ProblemsException>(() => Evaluator.Evaluate(input, policy)).Problems;

        var problem = Assert.Single(problems);
        Assert.Contains("supervisor.performance", problem.Where, StringComparison.Ordinal);
        Assert.Contains("from 0 to 35, got 36", problem.En, StringComparison.Ordinal);
    }
}
