using System.Collections.Immutable;
using Appraisal.Core.Months;
using Appraisal.Core.Pay;
using Appraisal.Core.Policy;

namespace Appraisal.Core.Results;

/// <summary>
/// The appraisal and pay engine: item scores → totals → final score (D4, D5) → grade, level and
/// position salary (D6, D7) → commission (D8, D9) → ranking (D11) → bonus and review flags over
/// consecutive months (D12, D13) → eligibility (D14, D15) → total pay (D10). Pure and exact:
/// <see cref="decimal"/> throughout, history taken only from the months given.
/// </summary>
public static class Evaluator
{
    /// <summary>
    /// Validates <paramref name="input"/> against <paramref name="policy"/> and computes every month.
    /// Throws <see cref="ProblemsException"/> with every problem when the input is not valid (D3).
    /// </summary>
    public static EvaluationResult Evaluate(EvaluationInput input, PolicyDocument policy)
    {
        var problems = InputValidator.Validate(input, policy);
        if (problems.Count > 0)
        {
            throw new ProblemsException(problems);
        }

        return EvaluateValidated(input, policy);
    }

    /// <summary>Computes every month of an input already checked by <see cref="InputValidator"/>.</summary>
    internal static EvaluationResult EvaluateValidated(EvaluationInput input, PolicyDocument policy)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(policy);
        var output = ImmutableArray.CreateBuilder<MonthResult>(input.Months.Length);
        output.AddRange(EvaluateMonths(input, policy));
        return new EvaluationResult(policy.Version, output.MoveToImmutable());
    }

    /// <summary>
    /// The months of an input already checked by <see cref="InputValidator"/>, computed one at a time in
    /// chronological order as they are enumerated, so that a writer need not hold all of them (EvaluationJson).
    /// </summary>
    internal static IEnumerable<MonthResult> EvaluateMonths(EvaluationInput input, PolicyDocument policy)
    {
        var months = input.Months.ToArray();
        Array.Sort(months, static (a, b) => a.Month.CompareTo(b.Month));

        var sequence = new MonthSequence(policy);
        foreach (var month in months)
        {
            yield return sequence.Next(month);
        }
    }

    /// <summary>
    /// True when <see cref="CannotFail(EvaluationInput, PolicyDocument)"/> holds for every input that <see cref="InputValidator"/> accepts, whatever its
    /// amounts: they are then at most <see cref="InputValidator.MaxAmount"/>, far inside the limit that keeps every
    /// product and sum exact.
    /// </summary>
    internal static bool CannotFail(PolicyDocument policy) => CannotFail(new EvaluationInput([]), policy);

    /// <summary>
    /// Months of valid input computed one after another in chronological order, each employee's history (D12, D14,
    /// D15) carried from one to the next, so that a month can be computed as soon as it has been read.
    /// </summary>
    internal sealed class MonthSequence(PolicyDocument policy)
    {
        private readonly Dictionary<string, History> history = new(StringComparer.Ordinal);
        private readonly Scratch scratch = new();
        private YearMonth? last;

        /// <summary>Whether <paramref name="month"/> may come next: it is later than every month before it.</summary>
        public bool Accepts(YearMonth month) => last is not { } previous || month > previous;

        public MonthResult Next(MonthInput month)
        {
            if (!Accepts(month.Month))
            {
                throw new InvalidOperationException("Months must be computed in chronological order.");
            }

            last = month.Month;
            return EvaluateMonth(month, policy, history, scratch);
        }
    }

    /// <summary>
    /// True when computing <paramref name="input"/> (already checked by <see cref="InputValidator"/>) cannot
    /// throw: the policy passes <see cref="PolicyValidator"/>, whose rules keep every count, streak and lookup
    /// defined, and every amount is so far inside <see cref="decimal"/>'s range (about 7.9e28) that no product
    /// or sum of them can overflow. Then months may be written as they are computed without a late failure
    /// leaving part of an output behind. Real amounts are below 1e12 yuan; the limit only turns away absurd ones.
    /// </summary>
    internal static bool CannotFail(EvaluationInput input, PolicyDocument policy)
    {
        // With rates at most 1 and weights summing to 1 (both validated), every intermediate value stays
        // below a few times this limit.
        const decimal Limit = 1e20m;
        if (PolicyValidator.Validate(policy).Count > 0
            || policy.Items.Sum(i => (long)i.Max) > int.MaxValue
            || policy.Bonus.Amount >= Limit
            || policy.Grades.Any(g => g.PositionSalary >= Limit)
            || policy.Commission.Tiers.Any(t => t.MinAbovePlan is { } min && Math.Abs(min) >= Limit))
        {
            return false;
        }

        foreach (var month in input.Months)
        {
            foreach (var e in month.Employees)
            {
                if (Math.Abs(e.SalesPlan) >= Limit || Math.Abs(e.SalesActual) >= Limit || Math.Abs(e.OtherPay) >= Limit)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static MonthResult EvaluateMonth(MonthInput month, PolicyDocument policy, Dictionary<string, History> history, Scratch scratch)
    {
        var employees = month.Employees;
        var n = employees.Length;
        var ordinal = month.Month.Ordinal;
        var weights = policy.Weights;
        var decimals = policy.Money.Decimals;
        var eligibility = policy.Eligibility;

        scratch.Ensure(n);
        var states = scratch.States;
        var eligible = scratch.Eligible;
        var absentInWindow = scratch.AbsentInWindow;
        var scores = scratch.Scores;
        var grades = scratch.Grades;
        var eligibleIndices = scratch.EligibleIndices;
        var eligibleCount = 0;

        for (var i = 0; i < n; i++)
        {
            var e = employees[i];
            ref var state = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(history, e.Id, out _);
            state ??= new History();
            states[i] = state;

            // D14: absence of this month and the months before it inside the window; months not given count as 0.
            absentInWindow[i] = state.RecordAbsence(ordinal, e.AbsentDays, eligibility.WindowMonths);
            eligible[i] = e.EligibilityOverride ?? absentInWindow[i] <= eligibility.MaxAbsentDays;
            grades[i] = null;
            if (!eligible[i])
            {
                continue;
            }

            // D4: score = w_self·S + w_sup·M, unrounded; D5: without a self-assessment, the supervisor's total.
            var supervisorTotal = e.Supervisor.Total;
            scores[i] = e.Self is { } self
                ? (weights.Self * self.Total) + (weights.Supervisor * supervisorTotal)
                : supervisorTotal;
            grades[i] = policy.GradeFor(scores[i]);
            eligibleIndices[eligibleCount++] = i;
        }

        // D11: competition ranking (1, 1, 3) among eligible employees only.
        var appraised = eligibleIndices.AsSpan(0, eligibleCount);
        var ranks = scratch.Ranks;
        var salesRanks = scratch.SalesRanks;
        for (var k = 0; k < appraised.Length; k++)
        {
            scratch.DecimalKeys[k] = -scores[appraised[k]];
        }

        Rank(appraised, ranks, scratch);
        for (var k = 0; k < appraised.Length; k++)
        {
            scratch.DecimalKeys[k] = -employees[appraised[k]].SalesActual;
        }

        Rank(appraised, salesRanks, scratch);
        var lastFlags = scratch.LastFlags;
        var anyLast = LastInScoreAndSales(appraised, scores, employees, policy.ReviewFlags.LastInScoreAndSales, lastFlags);

        var bonusRule = policy.Bonus;
        var failRule = policy.ReviewFlags.ConsecutiveFail;
        var results = new EmployeeResult[n];
        for (var i = 0; i < n; i++)
        {
            var e = employees[i];
            var state = states[i];
            // D15: an excluded employee gets no flags at all, selfMissing included (D5's flag belongs to a score).
            var flags = eligible[i] && e.Self is null ? ResultFlags.SelfMissing : ResultFlags.None;
            var bonus = Money.Round(0m, decimals);
            GradeBand payGrade;
            if (eligible[i])
            {
                var grade = grades[i]!;
                // D12: a month without an appraisal breaks every streak.
                var consecutive = state.LastAppraisedOrdinal == ordinal - 1;
                state.RankStreak = ranks[i] == bonusRule.Rank ? (consecutive ? state.RankStreak : 0) + 1 : 0;
                if (state.RankStreak > 0 && state.RankStreak % bonusRule.ConsecutiveMonths == 0)
                {
                    // Non-overlapping runs: five firsts in a row pay in months 2 and 4 (D12).
                    bonus = Money.Round(bonusRule.Amount, decimals);
                }

                state.FailStreak = string.Equals(grade.Key, failRule.Grade, StringComparison.Ordinal)
                    ? (consecutive ? state.FailStreak : 0) + 1
                    : 0;
                if (state.FailStreak >= failRule.ConsecutiveMonths)
                {
                    flags |= ResultFlags.ConsecutiveFail;
                }

                if (anyLast && lastFlags[i])
                {
                    flags |= ResultFlags.LastInScoreAndSales;
                }

                state.LastAppraisedOrdinal = ordinal;
                state.LastGrade = grade;
                payGrade = grade;
            }
            else
            {
                // D15: an excluded employee keeps the level and salary of the most recent appraised month.
                payGrade = state.LastGrade ?? policy.LowestGrade;
            }

            var tier = policy.Commission.TierFor(e.SalesPlan, e.SalesActual);
            var commission = Money.Round(e.SalesActual * tier.Rate, decimals);
            var salary = Money.Round(payGrade.PositionSalary, decimals);
            var otherPay = Money.Round(e.OtherPay, decimals);
            results[i] = new EmployeeResult(
                e.Id,
                e.Name,
                eligible[i],
                e.Self?.Total,
                e.Supervisor.Total,
                eligible[i] ? scores[i] : null,
                grades[i],
                payGrade,
                salary,
                tier,
                commission,
                bonus,
                otherPay,
                salary + commission + bonus + otherPay,
                eligible[i] ? ranks[i] : null,
                eligible[i] ? salesRanks[i] : null,
                flags,
                e.SalesPlan,
                e.SalesActual,
                absentInWindow[i]);
        }

        SortById(results, scratch.IdKeys);
        // The array is not touched again, so it can become the immutable array as it is, without a copy.
        return new MonthResult(month.Month, System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(results));
    }

    /// <summary>
    /// Orders results by <see cref="string.CompareOrdinal(string, string)"/> of their ids. Sorting is a good part
    /// of a month's time, so ids are compared first by their first eight UTF-16 units packed into one number
    /// (ordinal order is the order of those units), and as strings only where those are equal.
    /// </summary>
    private static void SortById(EmployeeResult[] results, UInt128[] keys)
    {
        var n = results.Length;
        for (var i = 0; i < n; i++)
        {
            var id = results[i].Id.AsSpan();
            UInt128 key = 0;
            for (var c = 0; c < 8; c++)
            {
                // A shorter id is padded with 0, which sorts before every unit, as a prefix sorts before longer text.
                key = (key << 16) | (c < id.Length ? id[c] : 0u);
            }

            keys[i] = key;
        }

        Array.Sort(keys, results, 0, n);
        for (var start = 0; start < n;)
        {
            var end = start + 1;
            while (end < n && keys[end] == keys[start])
            {
                end++;
            }

            if (end - start > 1)
            {
                Array.Sort(results, start, end - start, IdOrder.Instance);
            }

            start = end;
        }
    }

    /// <summary>
    /// Competition ranks (1, 1, 3) of the employees at <paramref name="indices"/> by the keys in
    /// <see cref="Scratch.DecimalKeys"/> (negated, so that ascending order ranks the largest first), into
    /// <paramref name="ranks"/> at the same indices; other entries of <paramref name="ranks"/> are left as they are.
    /// </summary>
    private static void Rank(ReadOnlySpan<int> indices, int[] ranks, Scratch scratch)
    {
        var count = indices.Length;
        var order = scratch.Order;
        indices.CopyTo(order);
        if (AsWholeNumbers(scratch.DecimalKeys, count, scratch.WholeKeys))
        {
            Array.Sort(scratch.WholeKeys, order, 0, count);
            AssignRanks(scratch.WholeKeys, order, count, ranks);
        }
        else
        {
            Array.Sort(scratch.DecimalKeys, order, 0, count);
            AssignRanks(scratch.DecimalKeys, order, count, ranks);
        }
    }

    private static void AssignRanks<T>(T[] sortedKeys, int[] order, int count, int[] ranks)
        where T : IEquatable<T>
    {
        // Ties share the rank of the first of them, so the order among equal keys does not matter.
        for (var k = 0; k < count; k++)
        {
            ranks[order[k]] = k > 0 && sortedKeys[k].Equals(sortedKeys[k - 1]) ? ranks[order[k - 1]] : k + 1;
        }
    }

    /// <summary>
    /// The first <paramref name="count"/> keys as exact whole numbers of a common unit (0.1 for scores, 0.01 for
    /// sales) into <paramref name="whole"/>, in the same order and with the same ties; false when a key has too
    /// many decimals or is too large for that. Sorting longs is several times faster than sorting decimals.
    /// </summary>
    private static bool AsWholeNumbers(decimal[] keys, int count, long[] whole)
    {
        var scale = 0;
        for (var k = 0; k < count; k++)
        {
            scale = Math.Max(scale, keys[k].Scale);
        }

        if (scale > 9)
        {
            return false;
        }

        var unit = 1m;
        for (var s = 0; s < scale; s++)
        {
            unit *= 10;
        }

        // Below 2^62 after scaling, so that neither the multiplication nor the conversion can overflow.
        var limit = 4_611_686_018_427_387_904m / unit;
        for (var k = 0; k < count; k++)
        {
            if (Math.Abs(keys[k]) >= limit)
            {
                return false;
            }

            whole[k] = (long)(keys[k] * unit);
        }

        return true;
    }

    /// <summary>
    /// D12's lastInScoreAndSales into <paramref name="flags"/> at the eligible indices; false (and
    /// <paramref name="flags"/> untouched) when too few employees are eligible for anyone to be flagged.
    /// </summary>
    private static bool LastInScoreAndSales(ReadOnlySpan<int> indices, decimal[] scores, ImmutableArray<EmployeeMonthInput> employees, LastInScoreAndSalesRule rule, bool[] flags)
    {
        if (indices.Length < rule.MinEligible)
        {
            return false;
        }

        var minScore = decimal.MaxValue;
        var minSales = decimal.MaxValue;
        foreach (var i in indices)
        {
            minScore = Math.Min(minScore, scores[i]);
            minSales = Math.Min(minSales, employees[i].SalesActual);
        }

        // D12: lowest score AND lowest sales of the month; ties flag all of them.
        foreach (var i in indices)
        {
            flags[i] = scores[i] == minScore && employees[i].SalesActual == minSales;
        }

        return true;
    }

    /// <summary>
    /// A month's working arrays, kept from one month to the next: for a month of 20 000 employees they are a few
    /// MB, and allocating them anew each month was a good part of what an evaluate run allocated.
    /// </summary>
    private sealed class Scratch
    {
        public History[] States { get; private set; } = [];

        public bool[] Eligible { get; private set; } = [];

        public int[] AbsentInWindow { get; private set; } = [];

        public decimal[] Scores { get; private set; } = [];

        public GradeBand?[] Grades { get; private set; } = [];

        public int[] EligibleIndices { get; private set; } = [];

        public int[] Ranks { get; private set; } = [];

        public int[] SalesRanks { get; private set; } = [];

        public bool[] LastFlags { get; private set; } = [];

        public int[] Order { get; private set; } = [];

        public decimal[] DecimalKeys { get; private set; } = [];

        public long[] WholeKeys { get; private set; } = [];

        public UInt128[] IdKeys { get; private set; } = [];

        public void Ensure(int n)
        {
            if (States.Length >= n)
            {
                return;
            }

            // Some room to grow, so that a slowly growing headcount does not reallocate every month.
            n += n / 8;
            States = new History[n];
            Eligible = new bool[n];
            AbsentInWindow = new int[n];
            Scores = new decimal[n];
            Grades = new GradeBand?[n];
            EligibleIndices = new int[n];
            Ranks = new int[n];
            SalesRanks = new int[n];
            LastFlags = new bool[n];
            Order = new int[n];
            DecimalKeys = new decimal[n];
            WholeKeys = new long[n];
            IdKeys = new UInt128[n];
        }
    }

    private sealed class IdOrder : IComparer<EmployeeResult>
    {
        public static readonly IdOrder Instance = new();

        public int Compare(EmployeeResult? x, EmployeeResult? y) => string.CompareOrdinal(x?.Id, y?.Id);
    }

    private sealed class History
    {
        private readonly List<(int Ordinal, int Days)> absences = new(3);

        public int LastAppraisedOrdinal { get; set; } = int.MinValue;

        public int RankStreak { get; set; }

        public int FailStreak { get; set; }

        public GradeBand? LastGrade { get; set; }

        public int RecordAbsence(int ordinal, int days, int windowMonths)
        {
            // A loop rather than RemoveAll: a capturing lambda would allocate for every employee-month.
            var kept = 0;
            for (var k = 0; k < absences.Count; k++)
            {
                if (absences[k].Ordinal > ordinal - windowMonths)
                {
                    absences[kept++] = absences[k];
                }
            }

            absences.RemoveRange(kept, absences.Count - kept);
            absences.Add((ordinal, days));
            var total = 0;
            foreach (var a in absences)
            {
                total = checked(total + a.Days);
            }

            return total;
        }
    }
}
