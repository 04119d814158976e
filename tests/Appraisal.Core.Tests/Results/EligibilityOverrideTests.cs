using System.Text;
using System.Text.Json.Nodes;
using Appraisal.Core.Results;
using Appraisal.Core.Results.Json;
using static Appraisal.Core.Tests.Build;

namespace Appraisal.Core.Tests.Results;

/// <summary>
/// The evaluate contract's <c>eligibility</c> override of D14 (<c>{"eligible": true|false, "reason": "…"}</c>) through
/// both JSON readers: with it the long-absence rule is not applied and the result carries <c>eligibilityOverridden</c>;
/// without it D14 decides. Every problem of a bad override names month, employee and field; the fast reader gives
/// them all up to the general one (D3).
/// </summary>
public class EligibilityOverrideTests
{
    private static string Scores(int total) => JsonInput.Assessment(total).ToJsonString();

    /// <summary>E1 absent <paramref name="june"/> then <paramref name="july"/> days, July with <paramref name="eligibility"/> when given; E2 beside.</summary>
    private static string TwoMonths(int june, int july, string? eligibility) =>
        $$"""
        {"months":[
          {"month":"2026-06","employees":[{"id":"E1","supervisor":{{Scores(80)}},"salesPlan":100,"salesActual":100,"absentDays":{{june}}}]},
          {"month":"2026-07","employees":[
            {"id":"E1","self":{{Scores(90)}},"supervisor":{{Scores(90)}},"salesPlan":100,"salesActual":200,"absentDays":{{july}}{{(eligibility is null ? "" : ",\"eligibility\":" + eligibility)}}},
            {"id":"E2","self":{{Scores(70)}},"supervisor":{{Scores(70)}},"salesPlan":100,"salesActual":100}]}
        ]}
        """;

    private static ValidatedInput? Plain(string json) => PlainInputReader.TryRead(new MemoryStream(Encoding.UTF8.GetBytes(json)), Seed);

    private static ValidatedInput General(string json) => EvaluationJson.ReadInput(Encoding.UTF8.GetBytes(json).AsSpan(), Seed);

    [Theory]
    // June + July absence (the window M−2..M), the override, eligible in July?, flags in July
    [InlineData(30, 31, """{"eligible":true,"reason":"产假按规定计入出勤"}""", true, "eligibilityOverridden")]
    [InlineData(0, 0, """{"reason":"停职调查","eligible":false}""", false, "eligibilityOverridden")]
    [InlineData(30, 30, null, true, "")] // exactly 60: D14 includes
    [InlineData(30, 31, null, false, "")] // 61: D14 excludes, no flag
    [InlineData(30, 31, "null", false, "")] // null is no override
    [InlineData(0, 0, """{"eligible":true,"reason":"确认参评"}""", true, "eligibilityOverridden")] // agrees with D14, still flagged
    public void The_override_decides_instead_of_the_absence_rule_and_is_flagged(int june, int july, string? eligibility, bool eligible, string flags)
    {
        var json = TwoMonths(june, july, eligibility);
        var expectedFlags = flags;

        foreach (var input in new[] { General(json), Plain(json) ?? throw new Xunit.Sdk.XunitException("the fast reader gave up") })
        {
            var e1 = Evaluator.Evaluate(input).Of("2026-07", "E1");
            Assert.Equal(eligible, e1.Eligible);
            Assert.Equal(june + july, e1.AbsentDaysInWindow);
            Assert.Equal(expectedFlags, string.Join(',', ResultFlagNames.Of(e1.Flags)));
            // D15 for the excluded: no score or rank; D11 for the included: ranked among the others.
            Assert.Equal(eligible ? 1 : null, e1.Rank);
        }

        // The output carries the flag, as the contract writes it.
        var output = JsonNode.Parse(JsonInput.Evaluate(json))!;
        var written = output["months"]![1]!["results"]![0]!["flags"]!.AsArray().Select(f => (string)f!);
        Assert.Equal(expectedFlags, string.Join(',', written));
    }

    [Fact]
    public void The_reason_is_read_as_given()
    {
        var json = TwoMonths(30, 31, """{"eligible":true,"reason":"产假按规定计入出勤"}""");

        Assert.Equal("产假按规定计入出勤", General(json).Input.Months[1].Employees[0].EligibilityReason);
        Assert.Equal("产假按规定计入出勤", Plain(json)!.Input.Months[1].Employees[0].EligibilityReason);
        Assert.True(General(json).Input.Months[1].Employees[0].EligibilityOverride);
    }

    [Theory]
    // the eligibility value, the field named, words of the message
    [InlineData("""{"eligible":true}""", "eligibility.reason", "reason is missing")]
    [InlineData("""{"eligible":false,"reason":""}""", "eligibility.reason", "non-blank")]
    [InlineData("""{"eligible":false,"reason":"  \t "}""", "eligibility.reason", "non-blank")]
    [InlineData("""{"eligible":true,"reason":null}""", "eligibility.reason", "expected a string, got null")]
    [InlineData("""{"eligible":true,"reason":42}""", "eligibility.reason", "expected a string, got 42")]
    [InlineData("""{"eligible":"yes","reason":"r"}""", "eligibility.eligible", "expected true or false, got \"yes\"")]
    [InlineData("""{"eligible":1,"reason":"r"}""", "eligibility.eligible", "expected true or false, got 1")]
    [InlineData("""{"eligible":null,"reason":"r"}""", "eligibility.eligible", "expected true or false, got null")]
    [InlineData("""{"reason":"r"}""", "eligibility.eligible", "eligible is missing")]
    [InlineData("""{"eligible":true,"reason":"r","by":"HR"}""", "eligibility.by", "unknown field \"by\"")]
    [InlineData("""{"eligible":true,"eligible":false,"reason":"r"}""", "eligibility.eligible", "appears twice")]
    [InlineData("true", "eligibility", "expected an object")]
    [InlineData("\"产假\"", "eligibility", "expected an object")]
    public void A_bad_override_names_month_employee_and_field_and_the_fast_reader_gives_it_up(string eligibility, string field, string words)
    {
        var json = TwoMonths(30, 31, eligibility);

        var problem = Assert.Single(Assert.Throws<ProblemsException>(() => General(json)).Problems);

        Assert.Contains("2026-07", problem.Where, StringComparison.Ordinal);
        Assert.Contains("employee E1", problem.Where, StringComparison.Ordinal);
        Assert.EndsWith($"field {field}", problem.Where, StringComparison.Ordinal);
        Assert.Contains(words, problem.En, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(problem.Zh));
        Assert.Null(Plain(json));
    }

    [Fact]
    public void Every_problem_of_every_override_is_reported_with_the_others()
    {
        var json = $$$"""
            {"months":[{"month":"2026-07","employees":[
              {"id":"E1","supervisor":{{{Scores(80)}}},"salesPlan":100,"salesActual":100,"absentDays":99,"eligibility":{"eligible":"no","colour":"red"}},
              {"id":"E2","supervisor":{{{Scores(80)}}},"salesPlan":100,"salesActual":100,"eligibility":{"eligible":false,"reason":" "}}]}]}
            """;

        var problems = Assert.Throws<ProblemsException>(() => General(json)).Problems.Select(p => $"{p.Where}: {p.En}").ToList();

        Assert.Equal(
            [
                "月份 month 2026-07, 员工 employee E1, 字段 field eligibility.eligible: expected true or false, got \"no\"",
                "月份 month 2026-07, 员工 employee E1, 字段 field eligibility.colour: unknown field \"colour\", expected eligible, reason",
                "月份 month 2026-07, 员工 employee E1, 字段 field eligibility.reason: the required field reason is missing",
                "月份 month 2026-07, 员工 employee E2, 字段 field eligibility.reason: " + InputValidator.ReasonRequiredEn,
                "月份 month 2026-07, 员工 employee E1, 字段 field absentDays: absent days must be a whole number from 0 to 31 (2026-07 has 31 days), got 99",
            ],
            problems);
    }

    [Theory]
    [InlineData(true, null)]
    [InlineData(false, "")]
    [InlineData(true, " ")]
    public void An_override_given_in_code_needs_a_reason_too(bool eligible, string? reason)
    {
        var input = Input(Month("2026-07", new EmployeeMonthInput("E1", null, null, Build.Scores(80), 0m, 0m, 0, 0m, eligible, reason)));

        var problem = Assert.Single(InputValidator.Validate(input, Seed));

        Assert.EndsWith("field eligibility.reason", problem.Where, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reason_without_an_override_decides_nothing_and_is_refused()
    {
        var input = Input(Month("2026-07", new EmployeeMonthInput("E1", null, null, Build.Scores(80), 0m, 0m, 0, 0m, null, "产假")));

        var problem = Assert.Single(InputValidator.Validate(input, Seed));

        Assert.EndsWith("field eligibility.eligible", problem.Where, StringComparison.Ordinal);
    }

    [Theory]
    // E1's months from 2026-07 (31, 31, 30 days): "1" first (E2 has 80) with 30 days absent, "1i" first with 31 days
    // absent (a window of 61) and included by HR, "x" first but excluded by HR, "f" and "fi" the same failing (不及格)
    // → E1's bonus per month, consecutiveFail per month (D12)
    [InlineData("1 1i", "0 200", "0 0")] // a month HR includes continues the streak
    [InlineData("1 x 1", "0 0 0", "0 0 0")] // a month HR excludes breaks it
    [InlineData("f fi", "0 0", "0 1")]
    [InlineData("f x f", "0 0 0", "0 0 0")]
    public void A_month_HR_includes_counts_for_the_streaks_and_one_HR_excludes_breaks_them(string pattern, string bonuses, string fails)
    {
        var tokens = pattern.Split(' ');
        var months = tokens.Select((t, i) => Month(
            MonthAfter("2026-07", i),
            Employee("E2", null, 80, 0m, 1000m),
            Employee(
                "E1",
                null,
                t.StartsWith('f') ? 50 : 90,
                0m,
                2000m,
                absentDays: t switch { "x" => 0, "1i" or "fi" => 31, _ => 30 },
                eligibilityOverride: t switch { "x" => false, "1i" or "fi" => true, _ => null }))).ToArray();

        var r = Evaluate(months);

        var e1 = tokens.Select((_, i) => r.Of(MonthAfter("2026-07", i), "E1")).ToList();
        Assert.Equal(bonuses, string.Join(' ', e1.Select(e => $"{e.Bonus:0}")));
        Assert.Equal(fails, string.Join(' ', e1.Select(e => (e.Flags & ResultFlags.ConsecutiveFail) != 0 ? "1" : "0")));
        Assert.All(e1.Where((_, i) => tokens[i].EndsWith('i')), e => Assert.True(e.AbsentDaysInWindow > 60 && e.Eligible));
    }

    [Fact]
    public void An_employee_excluded_by_HR_keeps_the_level_and_salary_of_the_last_appraised_month()
    {
        var r = Evaluate(
            Month("2026-09", Employee("E1", 96, 96, 100000m, 100000m)),
            Month("2026-10", Employee("E1", 96, 96, 100000m, 100000m, eligibilityOverride: false)));

        var e1 = r.Of("2026-10", "E1");
        Assert.False(e1.Eligible);
        Assert.Equal(ResultFlags.EligibilityOverridden, e1.Flags);
        Assert.Equal("资深客服", e1.PayGrade.Level.Zh);
        Assert.Equal(1800m, e1.PositionSalary);
        Assert.Null(e1.Grade);
    }
}
