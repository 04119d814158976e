using Appraisal.Core.Policy;

namespace Appraisal.Core.Tests.Policy;

/// <summary>The embedded seed policy says what the seed documents and D1–D15 say.</summary>
public class DefaultPolicyTests
{
    private static PolicyDocument Seed => DefaultPolicy.Instance;

    [Fact]
    public void Loads_and_is_valid()
    {
        Assert.Equal("seed-1", Seed.Version);
        Assert.Equal(1, Seed.SchemaVersion);
        Assert.Empty(PolicyValidator.Validate(Seed));
        Assert.Same(Seed, DefaultPolicy.Instance);
    }

    [Fact]
    public void The_embedded_bytes_parse_to_the_same_policy()
    {
        var parsed = PolicyJson.Parse(DefaultPolicy.Utf8Json);

        Assert.Equal(PolicyJson.Serialize(Seed), PolicyJson.Serialize(parsed));
    }

    [Fact]
    public void Items_keys_and_maxima_are_D1()
    {
        Assert.Equal(Build.ItemKeys, Seed.Items.Select(i => i.Key));
        Assert.Equal(Build.ItemMax, Seed.Items.Select(i => i.Max));
        Assert.Equal(
            ["纪律性", "处事能力", "工作协调", "工作激情", "工作业绩", "处理投诉及售后工作", "协助网络推广（连带销售）工作", "做好工作总结，提出合理建议"],
            Seed.Items.Select(i => i.Name.Zh));
        Assert.Equal([("行为考核", 30), ("岗位职责考核", 70)], Seed.Groups.Select(g => (g.Name.Zh, g.Percent)));
        Assert.Equal(4, Seed.Groups[0].Items.Length);
    }

    [Theory]
    [InlineData("discipline", 0)]
    [InlineData("summary", 7)]
    [InlineData("complaints", 5)]
    [InlineData("Discipline", -1)]
    [InlineData("attitude", -1)]
    public void IndexOfItem(string key, int index) => Assert.Equal(index, Seed.IndexOfItem(key));

    [Fact]
    public void Every_whole_score_of_every_item_is_held_by_a_level()
    {
        // D2: a score is valid if any level holds it.
        foreach (var item in Seed.Items)
        {
            for (var score = 0; score <= item.Max; score++)
            {
                Assert.True(item.Levels.Any(l => l.Holds(score)), $"{item.Key} {score}");
            }
        }
    }

    [Fact]
    public void The_complaints_typo_is_fixed()
    {
        // D2: the seed's "15-10" is the range 10–15; 5–9 and 0–5 meet at 5.
        var complaints = Seed.Items[Seed.IndexOfItem("complaints")];

        Assert.Equal([(20, 20), (16, 19), (10, 15), (5, 9), (0, 5)], complaints.Levels.Select(l => (l.Min, l.Max)));
    }

    [Fact]
    public void Grades_are_the_application_table_of_article_8()
    {
        Assert.Equal(
            [
                (95m, "优", "无", "推荐", "资深客服", 1800m),
                (85m, "良", "一般", "储备", "二级客服", 1500m),
                (75m, "好", "较强", null, "一级客服", 1400m),
                (65m, "及格", "强", null, "初级客服", 1300m),
                (0m, "不及格", "很强", null, "见习客服", 1200m),
            ],
            Seed.Grades.Select(g => (g.MinScore, g.Label.Zh, g.Training.Zh, g.Promotion?.Zh, g.Level.Zh, g.PositionSalary)));
        Assert.Equal("见习客服", Seed.LowestGrade.Level.Zh);
    }

    [Fact]
    public void Rules_and_settings_are_the_decisions()
    {
        Assert.Equal(new ScoreWeights(0.4m, 0.6m), Seed.Weights); // D4
        Assert.Equal([(null, 0.005m), (0m, 0.01m), (50000m, 0.012m)], Seed.Commission.Tiers.Select(t => (t.MinAbovePlan, t.Rate))); // D8
        Assert.Equal(new BonusRule(1, 2, 200m), Seed.Bonus); // D12
        Assert.Equal("不及格", Seed.FindGrade(Seed.ReviewFlags.ConsecutiveFail.Grade)?.Label.Zh);
        Assert.Equal(2, Seed.ReviewFlags.ConsecutiveFail.ConsecutiveMonths);
        Assert.Equal(2, Seed.ReviewFlags.LastInScoreAndSales.MinEligible);
        Assert.Equal(new EligibilityRule(3, 60), Seed.Eligibility); // D14
        Assert.Equal(2, Seed.Money.Decimals); // D9
        Assert.Equal(new AppraisalWindow(3, 6), Seed.Process.AppraisalWindow); // 第六条, D17
        Assert.Equal(7, Seed.Process.AppealDays); // D16
    }
}
