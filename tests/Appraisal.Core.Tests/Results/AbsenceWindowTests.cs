using System.Globalization;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.Core.Results;
using static Appraisal.Core.Tests.Build;

namespace Appraisal.Core.Tests.Results;

/// <summary>
/// D14 (第二条): the absence window, Core's one definition of which months' absence decides a month, used by the
/// engine and by the facts page: the month and the window − 1 months before it; over the threshold of days excluded.
/// </summary>
public class AbsenceWindowTests
{
    private static PolicyDocument WithEligibility(int windowMonths, int maxAbsentDays) =>
        Seed with { Eligibility = new EligibilityRule(windowMonths, maxAbsentDays) };

    [Theory]
    // window (months), month asked, the window's months oldest first
    [InlineData(3, "2026-07", "2026-05,2026-06,2026-07")]
    [InlineData(1, "2026-07", "2026-07")]
    [InlineData(2, "2026-07", "2026-06,2026-07")]
    [InlineData(3, "2026-01", "2025-11,2025-12,2026-01")] // across the year boundary
    [InlineData(3, "2026-02", "2025-12,2026-01,2026-02")]
    [InlineData(3, "2026-03", "2026-01,2026-02,2026-03")]
    [InlineData(13, "2026-12", "2025-12,2026-01,2026-02,2026-03,2026-04,2026-05,2026-06,2026-07,2026-08,2026-09,2026-10,2026-11,2026-12")]
    [InlineData(3, "1900-02", "1900-01,1900-02")] // no month before 1900-01 exists
    [InlineData(3, "1900-01", "1900-01")]
    [InlineData(1, "9999-12", "9999-12")]
    public void The_window_is_the_month_and_the_months_before_it(int windowMonths, string month, string expected)
    {
        var months = expected.Split(',');

        var window = AbsenceWindow.Of(WithEligibility(windowMonths, 60), YearMonth.Parse(month));

        Assert.Equal(months, window.Months.Select(m => m.ToString()));
        Assert.Equal(months[..^1], window.EarlierMonths.Select(m => m.ToString()));
        Assert.Equal(months.Length, window.Length);
        Assert.Equal(months[0], window.First.ToString());
        Assert.Equal(month, window.Last.ToString());
        Assert.All(window.Months, m => Assert.True(window.Contains(m)));
        if (window.First.Year > YearMonth.MinYear || window.First.Month > 1)
        {
            Assert.False(window.Contains(window.First.Previous));
        }

        if (window.Last.Year < YearMonth.MaxYear || window.Last.Month < 12)
        {
            Assert.False(window.Contains(window.Last.Next));
        }
    }

    [Theory]
    // window, threshold, "month:absentDays" of E1 (months not listed have no facts), month asked, days in window, eligible?
    [InlineData(3, 60, "2026-06:30,2026-07:30", "2026-07", 60, true)] // exactly 60 is not "more than 60"
    [InlineData(3, 60, "2026-06:30,2026-07:31", "2026-07", 61, false)]
    [InlineData(3, 60, "2026-05:31,2026-07:30", "2026-07", 61, false)] // June without facts counts 0
    [InlineData(3, 60, "2026-04:30,2026-05:30,2026-06:0,2026-07:30", "2026-07", 60, true)] // M−3 is outside
    [InlineData(1, 60, "2026-06:30,2026-07:30", "2026-07", 30, true)] // a window of one month: June does not count
    [InlineData(1, 29, "2026-06:30,2026-07:30", "2026-07", 30, false)]
    [InlineData(1, 30, "2026-07:30", "2026-07", 30, true)]
    [InlineData(2, 60, "2026-05:31,2026-06:30,2026-07:30", "2026-07", 60, true)] // a window of two: May is outside
    [InlineData(2, 60, "2026-05:31,2026-06:30,2026-07:31", "2026-07", 61, false)]
    [InlineData(3, 60, "2025-11:30,2025-12:1,2026-01:30", "2026-01", 61, false)] // across the year boundary
    [InlineData(3, 60, "2025-11:30,2025-12:0,2026-01:30", "2026-01", 60, true)]
    [InlineData(3, 60, "2025-10:31,2025-12:1,2026-01:30", "2026-01", 31, true)] // October is outside
    [InlineData(3, 60, "2025-12:31,2026-01:1,2026-02:28", "2026-02", 60, true)]
    [InlineData(3, 60, "2025-12:31,2026-01:2,2026-02:28", "2026-02", 61, false)]
    public void The_absent_days_over_the_window_decide_eligibility(int windowMonths, int maxAbsentDays, string absences, string month, int days, bool eligible)
    {
        var policy = WithEligibility(windowMonths, maxAbsentDays);
        var facts = absences.Split(',').Select(a => a.Split(':'))
            .ToDictionary(a => YearMonth.Parse(a[0]), a => int.Parse(a[1], CultureInfo.InvariantCulture));

        var window = AbsenceWindow.Of(policy, YearMonth.Parse(month));
        // The engine, on the same facts (E2 is there every month, so that no month is empty).
        var result = Evaluate(policy, [.. facts.Select(f => Month(f.Key.ToString(), Employee("E1", 80, 80, absentDays: f.Value), Employee("E2", 80, 80)))])
            .Of(month, "E1");

        Assert.Equal(days, window.AbsentDays(m => facts.GetValueOrDefault(m)));
        Assert.Equal(days, result.AbsentDaysInWindow);
        Assert.Equal(eligible, result.Eligible);
    }

    [Fact]
    public void The_engine_sums_absence_over_the_window_for_every_employee_month()
    {
        // Random histories with gaps, for windows of 1 to 4 months: the engine's sum is the window's sum of the facts.
        var random = new Random(7);
        for (var run = 0; run < 40; run++)
        {
            var policy = WithEligibility(1 + (run % 4), 60);
            var start = new YearMonth(2025, 1 + random.Next(12));
            var facts = new Dictionary<(string Id, YearMonth Month), int>();
            var months = new List<MonthInput>();
            for (var m = 0; m < 8; m++)
            {
                var month = start.PlusMonths(m);
                if (random.Next(5) == 0)
                {
                    continue; // a month not given at all
                }

                var employees = new List<EmployeeMonthInput>();
                foreach (var id in new[] { "E1", "E2", "E3" })
                {
                    if (random.Next(4) > 0)
                    {
                        var days = random.Next(month.DaysInMonth + 1);
                        facts[(id, month)] = days;
                        employees.Add(Employee(id, 80, 80, absentDays: days));
                    }
                }

                months.Add(Month(month.ToString(), [.. employees]));
            }

            var checkedCount = 0;
            foreach (var monthResult in Evaluate(policy, [.. months]).Months)
            {
                var window = AbsenceWindow.Of(policy, monthResult.Month);
                foreach (var r in monthResult.Results)
                {
                    Assert.Equal(window.AbsentDays(m => facts.GetValueOrDefault((r.Id, m))), r.AbsentDaysInWindow);
                    checkedCount++;
                }
            }

            Assert.True(checkedCount > 0 || months.All(m => m.Employees.IsEmpty));
        }
    }

    [Fact]
    public void A_window_below_one_month_is_the_month_itself()
    {
        // PolicyValidator refuses it; should such a policy reach the window anyway, it is never empty.
        var window = AbsenceWindow.Of(WithEligibility(0, 60), new YearMonth(2026, 7));

        Assert.Equal([new YearMonth(2026, 7)], window.Months);
        Assert.Empty(window.EarlierMonths);
    }
}
