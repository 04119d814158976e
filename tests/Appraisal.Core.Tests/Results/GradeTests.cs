using static Appraisal.Core.Tests.Build;

namespace Appraisal.Core.Tests.Results;

/// <summary>
/// D6: bands by lower bound on the unrounded score: ≥95 优, ≥85 良, ≥75 好, ≥65 及格, else 不及格,
/// each with the seed's training need, promotion, job level and position salary (第八条).
/// </summary>
public class GradeTests
{
    // 第八条 考核结果应用表, copied by hand: grade → training, promotion, level, salary.
    private static readonly Dictionary<string, (string Training, string? Promotion, string Level, decimal Salary)> Table = new()
    {
        ["优"] = ("无", "推荐", "资深客服", 1800m),
        ["良"] = ("一般", "储备", "二级客服", 1500m),
        ["好"] = ("较强", null, "一级客服", 1400m),
        ["及格"] = ("强", null, "初级客服", 1300m),
        ["不及格"] = ("很强", null, "见习客服", 1200m),
    };

    [Theory]
    [InlineData("100", "优")]
    [InlineData("95", "优")]
    [InlineData("95.0", "优")]
    [InlineData("94.9", "良")]
    [InlineData("94.6", "良")] // not rounded up to 95 first
    [InlineData("94.99", "良")]
    [InlineData("85", "良")]
    [InlineData("84.9", "好")]
    [InlineData("75", "好")]
    [InlineData("74.9", "及格")]
    [InlineData("65", "及格")]
    [InlineData("64.9", "不及格")]
    [InlineData("0", "不及格")]
    public void Bands_by_lower_bound_on_the_unrounded_score(string score, string grade) =>
        Assert.Equal(grade, Seed.GradeFor(Dec(score)).Label.Zh);

    [Theory]
    [InlineData("100", null)]
    [InlineData("95", null)]
    [InlineData("94.99", "优")]
    [InlineData("85", "优")]
    [InlineData("84.9", "良")]
    [InlineData("75", "良")]
    [InlineData("74.9", "好")]
    [InlineData("65", "好")]
    [InlineData("64.9", "及格")]
    [InlineData("0", "及格")]
    public void The_next_grade_is_the_band_just_above(string score, string? next) =>
        Assert.Equal(next, Seed.NextGradeAbove(Dec(score))?.Label.Zh);

    public static TheoryData<int?, int, decimal, string> Evaluated => new()
    {
        // self, supervisor → score (by hand), grade
        { 100, 100, 100m, "优" },
        { 95, 95, 95.0m, "优" },
        { null, 95, 95m, "优" },
        { 99, 92, 94.8m, "良" },
        { 100, 91, 94.6m, "良" },
        { null, 94, 94m, "良" },
        { 85, 85, 85.0m, "良" },
        { 86, 84, 84.8m, "好" },
        { 75, 75, 75.0m, "好" },
        { 76, 74, 74.8m, "及格" },
        { 65, 65, 65.0m, "及格" },
        { 66, 64, 64.8m, "不及格" },
        { null, 64, 64m, "不及格" },
        { 0, 0, 0m, "不及格" },
    };

    [Theory]
    [MemberData(nameof(Evaluated))]
    public void Each_grade_carries_its_training_promotion_level_and_salary(int? self, int supervisor, decimal score, string grade)
    {
        var r = Evaluate(Month("2026-10", Employee("E1", self, supervisor))).Of("E1");
        var (training, promotion, level, salary) = Table[grade];

        Assert.Equal(score, r.Score);
        Assert.Equal(grade, r.Grade?.Label.Zh);
        Assert.Equal(training, r.Grade?.Training.Zh);
        Assert.Equal(promotion, r.Grade?.Promotion?.Zh);
        Assert.Equal(level, r.PayGrade.Level.Zh);
        Assert.Equal(salary, r.PositionSalary);
        Assert.Equal(2, r.PositionSalary.Scale);
    }

    [Theory]
    // Weights 0.3 / 0.7 reach the .9 scores that 0.4 / 0.6 cannot (4S + 6M is always even).
    [InlineData(83, 100, "94.9", "良")]
    [InlineData(52, 99, "84.9", "好")]
    [InlineData(49, 86, "74.9", "及格")]
    [InlineData(49, 72, "65.1", "及格")]
    [InlineData(18, 85, "64.9", "不及格")]
    public void Boundaries_hold_for_scores_ending_in_9_under_other_weights(int self, int supervisor, string score, string grade)
    {
        var policy = Seed with { Weights = new(0.3m, 0.7m) };

        var r = Evaluate(policy, Month("2026-10", Employee("E1", self, supervisor))).Of("E1");

        Assert.Equal(Dec(score), r.Score);
        Assert.Equal(grade, r.Grade?.Label.Zh);
    }
}
