using Appraisal.Core.Results;
using static Appraisal.Core.Tests.Build;

namespace Appraisal.Core.Tests.Results;

/// <summary>
/// D14: excluded when absent days of M, M−1 and M−2 together exceed 60; HR's override wins.
/// D15: an excluded employee gets no score, grade, rank, flags or bonus and does not count for
/// others; commission is still paid; level and salary are those of the most recent appraised month.
/// </summary>
public class EligibilityTests
{
    [Theory]
    // "month:absentDays" entries for E1 (months not listed are not in the input), month asked, eligible?, days in window
    [InlineData("2026-07:30", "2026-07", true, 30)]
    [InlineData("2026-06:30,2026-07:30", "2026-07", true, 60)] // exactly 60 is not "more than 60"
    [InlineData("2026-06:30,2026-07:31", "2026-07", false, 61)]
    [InlineData("2026-05:31,2026-06:0,2026-07:30", "2026-07", false, 61)] // M−2 counts
    [InlineData("2026-05:31,2026-06:0,2026-07:29", "2026-07", true, 60)]
    [InlineData("2026-04:30,2026-05:30,2026-06:0,2026-07:30", "2026-07", true, 60)] // M−3 does not count
    [InlineData("2026-04:30,2026-05:30,2026-06:1", "2026-06", false, 61)]
    [InlineData("2026-05:31,2026-07:30", "2026-07", false, 61)] // June missing counts 0; May still in the window
    [InlineData("2026-05:31,2026-07:29", "2026-07", true, 60)]
    [InlineData("2026-04:30,2026-07:31", "2026-07", true, 31)] // April is outside the window
    [InlineData("2025-12:31,2026-01:31", "2026-01", false, 62)] // across the year boundary
    [InlineData("2025-11:30,2025-12:1,2026-01:30", "2026-01", false, 61)]
    [InlineData("2025-12:20,2026-01:20,2026-02:20", "2026-02", true, 60)]
    [InlineData("2025-12:20,2026-01:20,2026-02:21", "2026-02", false, 61)]
    public void Excluded_when_absence_over_three_months_exceeds_60_days(string absences, string month, bool eligible, int window)
    {
        var months = absences.Split(',').Select(a => a.Split(':')).Select(a => Month(a[0], Employee("E1", 80, 80, absentDays: int.Parse(a[1], System.Globalization.CultureInfo.InvariantCulture)), Employee("E2", 80, 80)));

        var r = Evaluate([.. months]).Of(month, "E1");

        Assert.Equal(eligible, r.Eligible);
        Assert.Equal(window, r.AbsentDaysInWindow);
    }

    [Fact]
    public void A_month_where_the_employee_is_missing_counts_zero()
    {
        // June exists (E2 only); E1's window for July is 31 + 0 + 29 = 60.
        var r = Evaluate(
            Month("2026-05", Employee("E1", 80, 80, absentDays: 31), Employee("E2", 80, 80)),
            Month("2026-06", Employee("E2", 80, 80, absentDays: 30)),
            Month("2026-07", Employee("E1", 80, 80, absentDays: 29), Employee("E2", 80, 80)));

        Assert.True(r.Of("2026-07", "E1").Eligible);
        Assert.Equal(60, r.Of("2026-07", "E1").AbsentDaysInWindow);
        Assert.Equal(30, r.Of("2026-07", "E2").AbsentDaysInWindow); // E2: 0 + 30 + 0
        Assert.True(r.Of("2026-07", "E2").Eligible);
    }

    [Theory]
    // June and July absence, HR's override for July, eligible in July?
    [InlineData(30, 31, true, true)] // HR includes despite 61 days
    [InlineData(0, 0, false, false)] // HR excludes despite no absence
    [InlineData(30, 31, null, false)]
    [InlineData(0, 0, null, true)]
    public void Eligibility_override_wins(int june, int july, bool? eligibilityOverride, bool eligible)
    {
        var r = Evaluate(
            Month("2026-06", Employee("E1", 80, 80, absentDays: june)),
            Month("2026-07", Employee("E1", 80, 80, absentDays: july, eligibilityOverride: eligibilityOverride)));

        Assert.Equal(eligible, r.Of("2026-07", "E1").Eligible);
    }

    [Fact]
    public void The_window_and_threshold_come_from_the_policy()
    {
        var policy = Seed with { Eligibility = new(2, 30) };

        var r = Evaluate(
            policy,
            Month("2026-05", Employee("E1", 80, 80, absentDays: 31)),
            Month("2026-06", Employee("E1", 80, 80, absentDays: 0)),
            Month("2026-07", Employee("E1", 80, 80, absentDays: 30)),
            Month("2026-08", Employee("E1", 80, 80, absentDays: 1)));

        Assert.False(r.Of("2026-05", "E1").Eligible); // 31 > 30
        Assert.False(r.Of("2026-06", "E1").Eligible); // 31 + 0
        Assert.True(r.Of("2026-07", "E1").Eligible); // 0 + 30; May is outside a 2-month window
        Assert.False(r.Of("2026-08", "E1").Eligible); // 30 + 1
    }

    [Fact]
    public void Excluded_employee_has_no_score_grade_rank_flags_or_bonus()
    {
        // E1 is first in September; in October E1 would be first again (bonus) and has no self-assessment
        // (selfMissing), but is excluded: D15 says no flags or bonus at all.
        var r = Evaluate(
            Month("2026-09", Employee("E1", 90, 90, 100000m, 100000m), Employee("E2", 70, 70)),
            Month("2026-10", Employee("E1", null, 90, 100000m, 158000.50m, otherPay: 100m, eligibilityOverride: false), Employee("E2", 70, 70)));

        var e1 = r.Of("2026-10", "E1");
        Assert.False(e1.Eligible);
        Assert.Null(e1.Score);
        Assert.Null(e1.Grade);
        Assert.Null(e1.Rank);
        Assert.Null(e1.SalesRank);
        Assert.Null(e1.SelfTotal);
        Assert.Equal(90, e1.SupervisorTotal);
        // The one flag left is HR's override itself (D14), which says why E1 is not appraised.
        Assert.Equal(ResultFlags.EligibilityOverridden, e1.Flags);
        Assert.Equal(0m, e1.Bonus);
        // Commission is still computed from sales: 158000.50 × 1.2 % = 1896.006 → 1896.01.
        Assert.Equal(1896.01m, e1.Commission);
        // Level and salary of September (90 → 良).
        Assert.Equal("二级客服", e1.PayGrade.Level.Zh);
        Assert.Equal(1500m, e1.PositionSalary);
        Assert.Equal(1500m + 1896.01m + 100m, e1.TotalPay);
        // E2 is alone among the eligible: rank 1, and no lastInScoreAndSales with a single eligible employee.
        Assert.Equal(1, r.Of("2026-10", "E2").Rank);
        Assert.Equal(ResultFlags.None, r.Of("2026-10", "E2").Flags);
    }

    [Fact]
    public void Excluded_by_absence_too_gets_no_flags()
    {
        // No self-assessment and 61 days: excluded by the rule, not the override.
        var r = Evaluate(
            Month("2026-06", Employee("E1", 80, 80, absentDays: 30)),
            Month("2026-07", Employee("E1", null, 80, absentDays: 31)));

        Assert.False(r.Of("2026-07", "E1").Eligible);
        Assert.Equal(ResultFlags.None, r.Of("2026-07", "E1").Flags);
    }

    [Theory]
    // E1's months: "score" = appraised with that supervisor total (no self), "x" = excluded → level and salary per month
    [InlineData("x", "见习客服:1200")] // never appraised
    [InlineData("x x", "见习客服:1200 见习客服:1200")]
    [InlineData("90 x", "二级客服:1500 二级客服:1500")]
    [InlineData("90 96 x", "二级客服:1500 资深客服:1800 资深客服:1800")] // the most recent one, not the first
    [InlineData("96 70 x x", "资深客服:1800 初级客服:1300 初级客服:1300 初级客服:1300")]
    [InlineData("x 80 x", "见习客服:1200 一级客服:1400 一级客服:1400")] // a later appraisal does not reach back
    [InlineData("60 _ x", "见习客服:1200 . 见习客服:1200")]
    [InlineData("96 _ _ _ x", "资深客服:1800 . . . 资深客服:1800")] // however long ago, within the input
    public void Excluded_employee_keeps_the_level_of_the_most_recent_appraised_month(string pattern, string expected)
    {
        var tokens = pattern.Split(' ');
        var months = tokens
            .Select((t, i) => (t, i))
            .Where(p => p.t != "_")
            .Select(p => Month(
                MonthAfter("2026-01", p.i),
                p.t == "x" ? Employee("E1", null, 100, eligibilityOverride: false) : Employee("E1", null, int.Parse(p.t, System.Globalization.CultureInfo.InvariantCulture))))
            .Reverse() // input order must not matter
            .ToArray();

        var r = Evaluate(months);

        var actual = string.Join(' ', tokens.Select((_, i) => r.Find(MonthAfter("2026-01", i), "E1") is { } e
            ? $"{e.PayGrade.Level.Zh}:{e.PositionSalary:0}"
            : "."));
        Assert.Equal(expected, actual);
    }
}
