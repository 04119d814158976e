using Appraisal.Core.Months;
using Appraisal.Core.Results;
using Appraisal.Core.Results.Json;
using CsCheck;
using static Appraisal.Core.Tests.Build;

namespace Appraisal.Core.Tests.Results;

/// <summary>Properties of the engine over random valid inputs (CsCheck): the rules hold for every input, not just the tables.</summary>
public class PropertyTests
{
    private const long Iterations = 300;

    /// <summary>Eight item scores, each anywhere in 0..max (D1, D3).</summary>
    private static readonly Gen<int[]> AnyItems = Gen.Select(
        Gen.Int[0, 5], Gen.Int[0, 10], Gen.Int[0, 10], Gen.Int[0, 5], Gen.Int[0, 40], Gen.Int[0, 20], Gen.Int[0, 5], Gen.Int[0, 5],
        (a, b, c, d, e, f, g, h) => new[] { a, b, c, d, e, f, g, h });

    /// <summary>An amount in yuan with two decimals, 0..max.</summary>
    private static Gen<decimal> Yuan(long max) => Gen.Long[0, max * 100].Select(c => c / 100m);

    private static int BandIndex(EmployeeResult r) => Seed.Grades.IndexOf(r.Grade!);

    private static EmployeeResult One(int[]? self, int[] supervisor) =>
        Evaluate(Month("2026-10", new EmployeeMonthInput("E1", null, self is null ? null : new ItemScores(self), new ItemScores(supervisor), 0m, 0m))).Of("E1");

    [Fact]
    public void Score_is_within_0_and_100_and_is_the_weighted_sum() =>
        Gen.Select(AnyItems, AnyItems, Gen.Bool).Sample(
            (self, supervisor, hasSelf) =>
            {
                var r = One(hasSelf ? self : null, supervisor);
                var expected = hasSelf ? ((4 * self.Sum()) + (6 * supervisor.Sum())) / 10m : supervisor.Sum();

                Assert.Equal(expected, r.Score);
                Assert.InRange(r.Score!.Value, 0m, 100m);
                Assert.True(r.Score.Value * 10 == decimal.Truncate(r.Score.Value * 10), "one decimal place at most");
            },
            iter: Iterations);

    [Fact]
    public void Raising_any_single_item_never_lowers_score_or_grade() =>
        Gen.Select(AnyItems, AnyItems, Gen.Bool, Gen.Int[0, 7], Gen.Int[1, 40]).Sample(
            (self, supervisor, raiseSelf, item, by) =>
            {
                var raised = (int[])(raiseSelf ? self : supervisor).Clone();
                raised[item] = Math.Min(ItemMax[item], raised[item] + by);

                var before = One(self, supervisor);
                var after = raiseSelf ? One(raised, supervisor) : One(self, raised);

                Assert.True(after.Score >= before.Score, $"{before.Score} → {after.Score}");
                Assert.True(BandIndex(after) <= BandIndex(before), $"{before.Grade?.Label.Zh} → {after.Grade?.Label.Zh}");
                Assert.True(after.PositionSalary >= before.PositionSalary);
            },
            iter: Iterations);

    /// <summary>D8 as the test reads it: the rate for plan X and actual Y.</summary>
    private static decimal Rate(decimal x, decimal y) => y < x ? 0.005m : y < x + 50000m ? 0.01m : 0.012m;

    [Fact]
    public void Commission_is_the_rounded_rate_times_sales_and_moves_by_at_most_a_fen() =>
        Gen.Select(Yuan(500000), Gen.Long[-50000_00, 120000_00]).Sample(
            (plan, cents) =>
            {
                var actual = Math.Max(0m, plan + (cents / 100m));
                var next = actual + 0.01m;

                var r = Evaluate(Month("2026-10", Employee("Y", 80, 80, plan, actual), Employee("Y+", 80, 80, plan, next)));
                var c0 = r.Of("Y").Commission;
                var c1 = r.Of("Y+").Commission;

                Assert.Equal(Rate(plan, actual), r.Of("Y").CommissionTier.Rate);
                Assert.Equal(Math.Round(actual * Rate(plan, actual), 2, MidpointRounding.AwayFromZero), c0);
                // Monotone everywhere (the rates rise with the tiers) ...
                Assert.True(c1 >= c0, $"{actual}: {c0}, {next}: {c1}");
                if (Rate(plan, actual) == Rate(plan, next))
                {
                    // ... and continuous inside a tier: 0.01 × rate < 0.01, so a step of one fen moves it by at most one fen.
                    Assert.True(c1 - c0 <= 0.01m, $"{actual}: {c0}, {next}: {c1}");
                }
            },
            iter: Iterations);

    [Fact]
    public void Commission_near_the_tier_bounds() =>
        Gen.Select(Yuan(500000), Gen.Int[-3, 3], Gen.Int[0, 1]).Sample(
            (plan, fen, bound) =>
            {
                // Y within three fen of X or of X + 50 000.
                var actual = plan + (bound * 50000m) + (fen / 100m);
                var r = Evaluate(Month("2026-10", Employee("E1", 80, 80, plan, actual))).Of("E1");

                Assert.Equal(Rate(plan, actual), r.CommissionTier.Rate);
                Assert.Equal(Math.Round(actual * Rate(plan, actual), 2, MidpointRounding.AwayFromZero), r.Commission);
            },
            iter: Iterations);

    // A random multi-month input: up to 8 months from 2025-10 (not necessarily contiguous), up to 6
    // employees per month, scores in a narrow band so that ties, firsts and fails happen often, and
    // absences large enough to exclude people now and then.
    private sealed record EmployeeData(int? Self, int Supervisor, decimal Plan, decimal Actual, int Absent, decimal OtherPay, bool? Override);

    private static readonly Gen<bool?> Override = Gen.Int[0, 19].Select(i => i switch { 0 => (bool?)false, 1 => true, _ => null });

    private static readonly Gen<EmployeeData> AnEmployee = Gen.Select(
        Gen.Int[0, 4], Gen.Int[58, 68], Gen.Int[58, 68], Gen.Int[0, 4].Select(i => i * 25000m), Gen.Int[0, 8].Select(i => i * 12500m),
        Gen.OneOf(Gen.Const(0), Gen.Int[0, 28]), Gen.Int[-1000, 1000].Select(c => c / 4m), Override,
        (noSelf, self, supervisor, plan, actual, absent, other, @override) =>
            new EmployeeData(noSelf == 0 ? null : self, supervisor, plan, actual, absent, decimal.Round(other, 2), @override));

    private static readonly Gen<EvaluationInput> AnInput =
        from monthMask in Gen.Int[1, 255]
        from data in AnEmployee.Array[6].Array[8]
        from employeeMasks in Gen.Int[1, 63].Array[8]
        select new EvaluationInput([
            .. Enumerable.Range(0, 8)
                .Where(m => (monthMask & (1 << m)) != 0)
                .Select(m => new MonthInput(
                    YearMonth.Parse("2025-10").PlusMonths(m),
                    [
                        .. Enumerable.Range(0, 6)
                            .Where(e => (employeeMasks[m] & (1 << e)) != 0)
                            .Select(e => data[m][e])
                            .Select((d, e) => new EmployeeMonthInput(
                                $"E{e + 1}",
                                null,
                                d.Self is { } s ? Scores(s) : null,
                                Scores(d.Supervisor),
                                d.Plan,
                                d.Actual,
                                d.Absent,
                                d.OtherPay,
                                d.Override,
                                d.Override is null ? null : "人事决定")),
                    ])),
        ]);

    [Fact]
    public void Random_inputs_reach_the_interesting_cases()
    {
        // The properties below are only as good as the inputs: check that ties, bonuses, both review
        // flags, exclusions and gaps between months all occur.
        long ties = 0, bonuses = 0, fails = 0, lasts = 0, excluded = 0, selfMissing = 0, gaps = 0;
        AnInput.Sample(
            input =>
            {
                var months = input.Months.Select(m => m.Month.Ordinal).Order().ToArray();
                if (months.Zip(months.Skip(1)).Any(p => p.Second - p.First > 1))
                {
                    Interlocked.Increment(ref gaps);
                }

                foreach (var month in Evaluator.Evaluate(input, Seed).Months)
                {
                    var results = month.Results;
                    Interlocked.Add(ref ties, results.Count(r => r.Rank is { } k && results.Count(o => o.Rank == k) > 1));
                    Interlocked.Add(ref bonuses, results.Count(r => r.Bonus > 0));
                    Interlocked.Add(ref fails, results.Count(r => (r.Flags & ResultFlags.ConsecutiveFail) != 0));
                    Interlocked.Add(ref lasts, results.Count(r => (r.Flags & ResultFlags.LastInScoreAndSales) != 0));
                    Interlocked.Add(ref excluded, results.Count(r => !r.Eligible));
                    Interlocked.Add(ref selfMissing, results.Count(r => (r.Flags & ResultFlags.SelfMissing) != 0));
                }
            },
            iter: Iterations);

        Assert.All(new[] { ties, bonuses, fails, lasts, excluded, selfMissing, gaps }, count => Assert.True(count > 10, $"{count}"));
    }

    private static EvaluationInput Shuffled(EvaluationInput input, int seed)
    {
        var random = new Random(seed); // seeded by CsCheck, so a failure reproduces
        var months = input.Months.Select(m =>
        {
            var employees = m.Employees.ToArray();
            random.Shuffle(employees);
            return m with { Employees = [.. employees] };
        }).ToArray();
        random.Shuffle(months);
        return new EvaluationInput([.. months]);
    }

    [Fact]
    public void Order_of_months_and_employees_in_the_input_never_changes_the_output() =>
        Gen.Select(AnInput, Gen.Int).Sample(
            (input, seed) =>
            {
                var expected = EvaluationJson.WriteOutput(Evaluator.Evaluate(input, Seed));
                var actual = EvaluationJson.WriteOutput(Evaluator.Evaluate(Shuffled(input, seed), Seed));

                Assert.Equal(expected, actual);
            },
            iter: Iterations);

    [Fact]
    public void Ranks_are_one_plus_the_number_strictly_ahead_and_ties_share_them() =>
        AnInput.Sample(
            input =>
            {
                foreach (var month in Evaluator.Evaluate(input, Seed).Months)
                {
                    var eligible = month.Results.Where(r => r.Eligible).ToArray();
                    foreach (var r in eligible)
                    {
                        Assert.Equal(1 + eligible.Count(o => o.Score > r.Score), r.Rank);
                        Assert.Equal(eligible.Count(o => o.Score == r.Score), eligible.Count(o => o.Rank == r.Rank));
                        Assert.Equal(1 + eligible.Count(o => o.SalesActual > r.SalesActual), r.SalesRank);
                        Assert.Equal(eligible.Count(o => o.SalesActual == r.SalesActual), eligible.Count(o => o.SalesRank == r.SalesRank));
                    }

                    Assert.All(month.Results.Where(r => !r.Eligible), r => Assert.Null(r.Rank));
                }
            },
            iter: Iterations);

    [Fact]
    public void Total_pay_is_always_salary_plus_commission_plus_bonus_plus_other() =>
        AnInput.Sample(
            input =>
            {
                foreach (var r in Evaluator.Evaluate(input, Seed).Months.SelectMany(m => m.Results))
                {
                    Assert.Equal(r.PositionSalary + r.Commission + r.Bonus + r.OtherPay, r.TotalPay);
                    Assert.True(r.Bonus is 0m or 200m);
                    Assert.Equal(2, r.TotalPay.Scale);
                }
            },
            iter: Iterations);

    [Fact]
    public void Excluded_employees_never_have_a_score_flags_or_bonus() =>
        AnInput.Sample(
            input =>
            {
                foreach (var r in Evaluator.Evaluate(input, Seed).Months.SelectMany(m => m.Results).Where(r => !r.Eligible))
                {
                    Assert.Null(r.Score);
                    Assert.Null(r.Grade);
                    // D15: no flag but HR's override, when HR excluded them (D14).
                    Assert.Equal(ResultFlags.None, r.Flags & ~ResultFlags.EligibilityOverridden);
                    if (r.AbsentDaysInWindow <= Seed.Eligibility.MaxAbsentDays)
                    {
                        Assert.Equal(ResultFlags.EligibilityOverridden, r.Flags);
                    }
                    Assert.Equal(0m, r.Bonus);
                }
            },
            iter: Iterations);

    [Fact]
    public void Adding_an_excluded_employee_changes_nobody_else() =>
        Gen.Select(AnInput, Gen.Int[0, 100], Gen.Long[0, 1_000_000_00]).Sample(
            (input, score, salesCents) =>
            {
                var outsider = new EmployeeMonthInput("ZZ", null, null, Scores(score), 0m, salesCents / 100m, 0, 0m, false, "停职");
                var withOutsider = new EvaluationInput([.. input.Months.Select(m => m with { Employees = m.Employees.Add(outsider) })]);

                var expected = Evaluator.Evaluate(input, Seed).Months;
                var actual = Evaluator.Evaluate(withOutsider, Seed).Months;

                Assert.Equal(expected.Length, actual.Length);
                for (var m = 0; m < expected.Length; m++)
                {
                    Assert.Equal(expected[m].Results, actual[m].Results.Where(r => r.Id != "ZZ"));
                }
            },
            iter: Iterations);
}
