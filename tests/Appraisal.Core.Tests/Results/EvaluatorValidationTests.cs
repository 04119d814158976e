using Appraisal.Core.Results;
using static Appraisal.Core.Tests.Build;

namespace Appraisal.Core.Tests.Results;

/// <summary>Evaluator.Evaluate checks inputs built in code as strictly as the JSON reader does (D3, D5).</summary>
public class EvaluatorValidationTests
{
    private static IReadOnlyList<Problem> Problems(params MonthInput[] months) =>
        Assert.Throws<ProblemsException>(() => Evaluate(months)).Problems;

    [Fact]
    public void Every_problem_is_reported_with_month_employee_and_field()
    {
        var problems = Problems(
            Month(
                "2026-02",
                new EmployeeMonthInput("E1", null, Scores(6, 10, 10, 5, 40, 20, 5, 5), Scores(5, 10, 10, 5, 40, 21, 5, -1), 0m, 0m),
                Employee("E2", 80, 80, -1m, -0.5m, absentDays: 29, otherPay: 0.001m)),
            Month("2026-03", Employee("E1", 80, 80), Employee("E1", 80, 80)));

        Assert.Equal(
            [
                "月份 month 2026-02, 员工 employee E1, 字段 field self.discipline",
                "月份 month 2026-02, 员工 employee E1, 字段 field supervisor.complaints",
                "月份 month 2026-02, 员工 employee E1, 字段 field supervisor.summary",
                "月份 month 2026-02, 员工 employee E2, 字段 field salesPlan",
                "月份 month 2026-02, 员工 employee E2, 字段 field salesActual",
                "月份 month 2026-02, 员工 employee E2, 字段 field absentDays",
                "月份 month 2026-02, 员工 employee E2, 字段 field otherPay",
                "月份 month 2026-03, 员工 employee E1, 字段 field id",
            ],
            problems.Select(p => p.Where));
        Assert.Contains("from 0 to 5, got 6", problems[0].En, StringComparison.Ordinal);
        Assert.Contains("from 0 to 20, got 21", problems[1].En, StringComparison.Ordinal);
        Assert.Contains("from 0 to 5, got -1", problems[2].En, StringComparison.Ordinal);
        Assert.Contains("from 0 to 28 (2026-02 has 28 days), got 29", problems[5].En, StringComparison.Ordinal);
    }

    [Fact]
    public void The_wrong_number_of_items_is_rejected()
    {
        var problem = Assert.Single(Problems(Month("2026-10", new EmployeeMonthInput("E1", null, Scores(5, 10, 10, 5, 40, 20, 5), Scores(80), 0m, 0m))));

        Assert.Equal("月份 month 2026-10, 员工 employee E1, 字段 field self", problem.Where);
        Assert.Contains("must have 8 items, got 7", problem.En, StringComparison.Ordinal);
    }

    [Fact]
    public void A_supervisor_assessment_is_required()
    {
        var problem = Assert.Single(Problems(Month("2026-10", new EmployeeMonthInput("E1", null, Scores(80), null!, 0m, 0m))));

        Assert.Contains("supervisor", problem.Where, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void An_employee_id_is_required(string id) =>
        Assert.Contains("id", Assert.Single(Problems(Month("2026-10", Employee(id, 80, 80)))).Where, StringComparison.Ordinal);

    [Fact]
    public void Duplicate_months_are_rejected() =>
        Assert.Contains("month", Assert.Single(Problems(Month("2026-10", Employee("E1", 80, 80)), Month("2026-10", Employee("E2", 80, 80)))).Where, StringComparison.Ordinal);

    [Fact]
    public void An_empty_input_gives_no_months() => Assert.Empty(Evaluate().Months);

    [Fact]
    public void A_month_without_employees_is_kept() => Assert.Empty(Assert.Single(Evaluate(Month("2026-10")).Months).Results);
}
