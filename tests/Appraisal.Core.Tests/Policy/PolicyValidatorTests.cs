using Appraisal.Core.Policy;
using static Appraisal.Core.Tests.Build;
using static Appraisal.Core.Tests.Policy.PolicyEdit;

namespace Appraisal.Core.Tests.Policy;

/// <summary>PolicyValidator reports every problem that would make the engine's answers wrong or undefined.</summary>
public class PolicyValidatorTests
{
    // Each broken policy differs from the seed in one place.
    private static readonly Dictionary<string, Func<PolicyDocument>> Broken = new()
    {
        ["weights sum to 1.1"] = () => Seed with { Weights = new(0.5m, 0.6m) },
        ["weights sum to 0.9"] = () => Seed with { Weights = new(0.3m, 0.6m) },
        ["negative weight"] = () => Seed with { Weights = new(-0.4m, 1.4m) },
        ["maxima sum to 101"] = () => Seed
            .WithGroup("behaviour", g => g with { Percent = 31 })
            .WithItem("discipline", i => i with { Max = 6, Levels = Levels((6, 6), (0, 5)) }),
        ["group percent mismatch"] = () => Seed.WithGroup("behaviour", g => g with { Percent = 25 }),
        ["level above the item max"] = () => Seed.WithItem("discipline", i => i with { Levels = Levels((5, 6), (0, 4)) }),
        ["level below 0"] = () => Seed.WithItem("passion", i => i with { Levels = Levels((3, 5), (-1, 2)) }),
        ["level min above max"] = () => Seed.WithItem("summary", i => i with { Levels = Levels((5, 5), (4, 3), (0, 4)) }),
        ["uncovered scores"] = () => Seed.WithItem("discipline", i => i with { Levels = Levels((5, 5), (0, 2)) }),
        ["item max 0"] = () => Seed.WithItem("summary", i => i with { Max = 0 }),
        ["unsorted grades"] = () => Seed with { Grades = [Seed.Grades[0], Seed.Grades[2], Seed.Grades[1], Seed.Grades[3], Seed.Grades[4]] },
        ["overlapping grades"] = () => Seed.WithGrade("fair", g => g with { MinScore = 85m }),
        ["lowest grade not 0"] = () => Seed.WithGrade("fail", g => g with { MinScore = 10m }),
        ["grade above 100"] = () => Seed.WithGrade("excellent", g => g with { MinScore = 101m }),
        ["negative salary"] = () => Seed.WithGrade("good", g => g with { PositionSalary = -1m }),
        ["salary in tenths of fen"] = () => Seed.WithGrade("good", g => g with { PositionSalary = 1500.005m }),
        ["tiers not increasing"] = () => Seed.WithTiers((null, 0.005m), (50000m, 0.01m), (0m, 0.012m)),
        ["tiers equal"] = () => Seed.WithTiers((null, 0.005m), (0m, 0.01m), (0m, 0.012m)),
        ["first tier with a lower bound"] = () => Seed.WithTiers((0m, 0.01m), (50000m, 0.012m)),
        ["later tier without a lower bound"] = () => Seed.WithTiers((null, 0.005m), (null, 0.01m)),
        ["rate above 1"] = () => Seed.WithTiers((null, 1.5m)),
        ["no tiers"] = () => Seed with { Commission = new([]) },
        ["unknown consecutiveFail grade"] = () => Seed with { ReviewFlags = Seed.ReviewFlags with { ConsecutiveFail = new("不及格", 2) } },
        ["duplicate item key"] = () => Seed.WithItem("summary", i => i with { Key = "discipline" }),
        ["duplicate grade key"] = () => Seed.WithGrade("fair", g => g with { Key = "good" }),
        ["duplicate group key"] = () => Seed.WithGroup("duties", g => g with { Key = "behaviour" }),
        ["empty key"] = () => Seed.WithItem("summary", i => i with { Key = " " }),
        ["empty Chinese text"] = () => Seed.WithGrade("good", g => g with { Label = new(string.Empty, "Good") }),
        ["bonus after one month"] = () => Seed with { Bonus = Seed.Bonus with { ConsecutiveMonths = 1 } },
        ["bonus rank 0"] = () => Seed with { Bonus = Seed.Bonus with { Rank = 0 } },
        ["negative bonus"] = () => Seed with { Bonus = Seed.Bonus with { Amount = -200m } },
        ["lastInScoreAndSales among 1"] = () => Seed with { ReviewFlags = Seed.ReviewFlags with { LastInScoreAndSales = new(1) } },
        ["window of 0 months"] = () => Seed with { Eligibility = Seed.Eligibility with { WindowMonths = 0 } },
        ["negative absence threshold"] = () => Seed with { Eligibility = Seed.Eligibility with { MaxAbsentDays = -1 } },
        ["money decimals 5"] = () => Seed with { Money = new(5) },
        ["appraisal window backwards"] = () => Seed with { Process = Seed.Process with { AppraisalWindow = new(6, 3) } },
        ["schema version 2"] = () => Seed with { SchemaVersion = 2 },
        ["empty version"] = () => Seed with { Version = "" },
    };

    [Theory]
    // case, where the one problem is reported, words of its message
    [InlineData("weights sum to 1.1", "weights", "sum to 1")]
    [InlineData("weights sum to 0.9", "weights", "sum to 1")]
    [InlineData("negative weight", "weights", "non-negative")]
    [InlineData("maxima sum to 101", "groups", "sum to 100, got 101")]
    [InlineData("group percent mismatch", "groups[0](behaviour).percent", "25%")]
    [InlineData("level above the item max", "groups[0](behaviour).items[0](discipline).levels[0]", "5–6")]
    [InlineData("level below 0", "groups[0](behaviour).items[3](passion).levels[1]", "-1–2")]
    [InlineData("level min above max", "groups[1](duties).items[3](summary).levels[1]", "min ≤ max")]
    [InlineData("uncovered scores", "groups[0](behaviour).items[0](discipline).levels", "3, 4 belong to no level")]
    [InlineData("unsorted grades", "grades[2](good).minScore", "85 is not below the previous 75")]
    [InlineData("overlapping grades", "grades[2](fair).minScore", "strictly decreasing")]
    [InlineData("lowest grade not 0", "grades[4].minScore", "start at 0")]
    [InlineData("negative salary", "grades[1](good).positionSalary", "non-negative amount")]
    [InlineData("salary in tenths of fen", "grades[1](good).positionSalary", "1500.005")]
    [InlineData("tiers not increasing", "commission.tiers[2].minAbovePlan", "strictly increasing")]
    [InlineData("tiers equal", "commission.tiers[2].minAbovePlan", "strictly increasing")]
    [InlineData("first tier with a lower bound", "commission.tiers[0].minAbovePlan", "no lower bound")]
    [InlineData("later tier without a lower bound", "commission.tiers[1].minAbovePlan", "only the first tier")]
    [InlineData("rate above 1", "commission.tiers[0].rate", "from 0 to 1")]
    [InlineData("no tiers", "commission.tiers", "at least one")]
    [InlineData("unknown consecutiveFail grade", "reviewFlags.consecutiveFail.grade", "不及格")]
    [InlineData("duplicate item key", "groups[1](duties).items[3](discipline).key", "duplicate key")]
    [InlineData("duplicate grade key", "grades[2](good).key", "duplicate key")]
    [InlineData("duplicate group key", "groups[1](behaviour).key", "duplicate key")]
    [InlineData("empty Chinese text", "grades[1](good).label", "Chinese text")]
    [InlineData("bonus after one month", "bonus.consecutiveMonths", "at least 2")]
    [InlineData("bonus rank 0", "bonus.rank", "at least 1")]
    [InlineData("negative bonus", "bonus.amount", "non-negative")]
    [InlineData("lastInScoreAndSales among 1", "reviewFlags.lastInScoreAndSales.minEligible", "at least 2")]
    [InlineData("window of 0 months", "eligibility.windowMonths", "at least 1")]
    [InlineData("negative absence threshold", "eligibility.maxAbsentDays", "not be negative")]
    [InlineData("money decimals 5", "money.decimals", "from 0 to 4")]
    [InlineData("appraisal window backwards", "process.appraisalWindow", "6–3")]
    [InlineData("schema version 2", "schemaVersion", "expected 1")]
    [InlineData("empty version", "version", "empty")]
    public void Reports_the_problem_where_it_is(string name, string where, string words)
    {
        var problem = Assert.Single(PolicyValidator.Validate(Broken[name]()));

        Assert.Equal(where, problem.Where);
        Assert.Contains(words, problem.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    // cases that break more than one rule at once, and where each problem is reported
    [InlineData("item max 0", "groups[1](duties).items[3](summary).max|groups[1](duties).percent|groups")]
    [InlineData("grade above 100", "grades[0](excellent).minScore")]
    [InlineData("empty key", "groups[1](duties).items[3]( ).key")]
    public void Reports_each_problem_a_change_causes(string name, string wheres)
    {
        var problems = PolicyValidator.Validate(Broken[name]());

        Assert.Equal(wheres.Split('|').Order(StringComparer.Ordinal), problems.Select(p => p.Where).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Reports_several_problems_at_once()
    {
        var policy = (Seed with
        {
            Weights = new(0.5m, 0.6m),
            ReviewFlags = Seed.ReviewFlags with { ConsecutiveFail = new("F", 2) },
        })
            .WithTiers((0m, 0.005m), (50000m, 0.01m), (10000m, 0.012m))
            .WithGrade("fail", g => g with { MinScore = 5m })
            .WithGroup("behaviour", g => g with { Percent = 20 });

        var problems = PolicyValidator.Validate(policy);

        Assert.Equal(
            [
                "commission.tiers[0].minAbovePlan",
                "commission.tiers[2].minAbovePlan",
                "grades[4].minScore",
                "groups[0](behaviour).percent",
                "reviewFlags.consecutiveFail.grade",
                "weights",
            ],
            problems.Select(p => p.Where).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_problem_says_it_in_Chinese_and_English()
    {
        foreach (var (name, make) in Broken)
        {
            foreach (var problem in PolicyValidator.Validate(make()))
            {
                Assert.False(string.IsNullOrWhiteSpace(problem.Zh), name);
                Assert.False(string.IsNullOrWhiteSpace(problem.En), name);
            }
        }
    }

    [Fact]
    public void Overlap_of_levels_at_an_end_point_is_allowed()
    {
        // D2: complaints 5–9 and 0–5 overlap at 5 in the seed; a wider overlap is allowed as well.
        var policy = Seed.WithItem("passion", i => i with { Levels = Levels((5, 5), (2, 4), (0, 3)) });

        Assert.Empty(PolicyValidator.Validate(policy));
    }
}
