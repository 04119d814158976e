using System.Text;
using Appraisal.Core.Policy;
using Appraisal.Core.Results;
using Appraisal.Core.Results.Json;
using static Appraisal.Core.Tests.Build;
using static Appraisal.Core.Tests.Policy.PolicyEdit;

namespace Appraisal.Core.Tests.Results;

/// <summary>
/// "Already checked" is a type (D3): only InputValidator.Check and the JSON readers make a ValidatedInput, which the
/// engine computes without checking again; an input that is not one is checked first, and an input checked against one
/// policy is checked again before it is computed under another.
/// </summary>
public class ValidatedInputTests
{
    // HR moves 5 points from performance (40 → 35) to discipline (5 → 10): a supervisor's 36 for performance is valid
    // under the seed policy and not under this one.
    private static readonly PolicyDocument Moved = Seed
        .WithItem("discipline", i => i with { Max = 10, Levels = Levels((0, 10)) })
        .WithItem("performance", i => i with { Max = 35, Levels = Levels((0, 35)) })
        .WithGroup("behaviour", g => g with { Percent = 35 })
        .WithGroup("duties", g => g with { Percent = 65 }) with { Version = "2026-moved" };

    private static EvaluationInput ValidUnderSeedOnly() =>
        Input(Month("2026-10", new EmployeeMonthInput("E1", null, null, Scores(5, 10, 10, 5, 36, 20, 5, 5), 0m, 0m)));

    private static string Json(int performance) =>
        "{\"months\":[{\"month\":\"2026-10\",\"employees\":[{\"id\":\"E1\",\"supervisor\":{\"discipline\":5,\"problemSolving\":10,"
        + "\"teamwork\":10,\"passion\":5,\"performance\":" + performance + ",\"complaints\":20,\"promotion\":5,\"summary\":5},"
        + "\"salesPlan\":1000,\"salesActual\":1000}]}]}";

    [Fact]
    public void Only_the_checks_make_a_validated_input() =>
        Assert.Empty(typeof(ValidatedInput).GetConstructors());

    [Fact]
    public void Checking_gives_the_input_with_the_policy_it_was_checked_against()
    {
        var input = ValidUnderSeedOnly();

        var valid = InputValidator.Check(input, Seed);

        Assert.Same(input, valid.Input);
        Assert.Same(Seed, valid.Policy);
    }

    [Fact]
    public void Checking_refuses_bad_input_with_every_problem()
    {
        var input = Input(Month("2026-10", Employee("E1", 80, 80, -1m), Employee("E1", 80, 80, absentDays: 32)));

        var problems = Assert.Throws<ProblemsException>(() => InputValidator.Check(input, Seed)).Problems;

        Assert.Equal(InputValidator.Validate(input, Seed), problems);
        Assert.Equal(3, problems.Count); // a negative plan, the id twice, 32 days in October
    }

    [Fact]
    public void An_input_checked_against_one_policy_is_checked_again_under_another()
    {
        Assert.Empty(PolicyValidator.Validate(Moved));
        var valid = InputValidator.Check(ValidUnderSeedOnly(), Seed);

        // The engine given the facts and another policy checks them against that policy.
        var problem = Assert.Single(Assert.Throws<ProblemsException>(() => Evaluator.Evaluate(valid.Input, Moved)).Problems);
        Assert.Contains("supervisor.performance", problem.Where, StringComparison.Ordinal);
        Assert.Throws<ProblemsException>(() => InputValidator.Check(valid.Input, Moved));

        // The checked input is computed under the policy it was checked against.
        Assert.Equal(Seed.Version, Evaluator.Evaluate(valid).PolicyVersion);
    }

    [Fact]
    public void Computing_a_checked_input_gives_what_checking_then_computing_gives()
    {
        var input = Input(
            Month("2026-09", Employee("E1", 90, 96, 100000m, 160000m), Employee("E2", null, 60, absentDays: 30)),
            Month("2026-10", Employee("E1", 90, 96, 100000m, 90000m), Employee("E2", 70, 60, absentDays: 31, otherPay: -12.5m)));

        var unchecked_ = EvaluationJson.WriteOutput(Evaluator.Evaluate(input, Seed));
        var checked_ = EvaluationJson.WriteOutput(Evaluator.Evaluate(InputValidator.Check(input, Seed)));

        Assert.Equal(unchecked_, checked_);
    }

    [Theory]
    [InlineData(false)] // the plain form: the fast reader
    [InlineData(true)] // with an escape in a string: the general reader
    public void The_readers_check_against_the_policy_they_are_given(bool escaped)
    {
        var json = Json(36);
        if (escaped)
        {
            json = json.Replace("\"E1\"", "\"\\u00451\"", StringComparison.Ordinal);
        }

        var bytes = Encoding.UTF8.GetBytes(json);

        Assert.Same(Seed, EvaluationJson.ReadInput(new MemoryStream(bytes), Seed).Policy);
        Assert.Same(Seed, EvaluationJson.ReadInput(bytes, Seed).Policy);
        Assert.Contains("supervisor.performance", Assert.Single(Assert.Throws<ProblemsException>(() => EvaluationJson.ReadInput(new MemoryStream(bytes), Moved)).Problems).Where, StringComparison.Ordinal);
        Assert.Contains("supervisor.performance", Assert.Single(Assert.Throws<ProblemsException>(() => EvaluationJson.ReadInput(bytes, Moved)).Problems).Where, StringComparison.Ordinal);
        Assert.Throws<ProblemsException>(() => EvaluationJson.Evaluate(new MemoryStream(bytes), Moved));
    }
}
