using System.Collections.Immutable;
using Appraisal.Core.Months;
using Appraisal.Core.Pay;
using Appraisal.Core.Policy;

namespace Appraisal.Core.Results;

/// <summary>
/// The appraisal and pay engine, month by month: eligibility over the absence window (D14, D15) → final score
/// (D4, D5) → grade, level and position salary (D6, D7) → ranking (D11) → bonus and review flags over consecutive
/// months (D12, D13) → commission (D8, D9) → total pay (D10); each rule one named method below, citing its clause.
/// Pure and exact: <see cref="decimal"/> throughout, history taken only from the months given.
/// </summary>
public static class Evaluator
{
    /// <summary>
    /// Checks <paramref name="input"/> against <paramref name="policy"/>
    /// (<see cref="InputValidator.Check(EvaluationInput, PolicyDocument)"/>) and computes every month. Throws
    /// <see cref="ProblemsException"/> with every problem when the input is not valid (D3).
    /// </summary>
    public static EvaluationResult Evaluate(EvaluationInput input, PolicyDocument policy) => Evaluate(InputValidator.Check(input, policy));

    /// <summary>Computes every month of an input already checked, under the policy it was checked against.</summary>
    public static EvaluationResult Evaluate(ValidatedInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var output = ImmutableArray.CreateBuilder<MonthResult>(input.Input.Months.Length);
        output.AddRange(EvaluateMonths(input));
        return new EvaluationResult(input.Policy.Version, output.MoveToImmutable());
    }

    /// <summary>
    /// The months of a checked input, computed one at a time in chronological order as they are enumerated, so that a
    /// writer need not hold all of them (Json.EvaluationJson).
    /// </summary>
    internal static IEnumerable<MonthResult> EvaluateMonths(ValidatedInput input)
    {
        var months = input.Input.Months.ToArray();
        Array.Sort(months, static (a, b) => a.Month.CompareTo(b.Month));

        var sequence = new MonthSequence(input.Policy);
        foreach (var month in months)
        {
            yield return sequence.Next(month);
        }
    }

    /// <summary>
    /// True when <see cref="CannotFail(ValidatedInput)"/> holds for every input that <see cref="InputValidator"/> accepts,
    /// whatever its amounts: they are then at most <see cref="InputValidator.MaxAmount"/>, far inside the limit that keeps
    /// every product and sum exact.
    /// </summary>
    internal static bool CannotFail(PolicyDocument policy) => CannotFail(new EvaluationInput([]), policy);

    /// <summary>
    /// True when computing <paramref name="input"/> cannot throw: see <see cref="CannotFail(EvaluationInput, PolicyDocument)"/>.
    /// </summary>
    internal static bool CannotFail(ValidatedInput input) => CannotFail(input.Input, input.Policy);

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
    /// True when computing <paramref name="input"/> (when checked by <see cref="InputValidator"/>) cannot
    /// throw: the policy passes <see cref="PolicyValidator"/>, whose rules keep every count, streak and lookup
    /// defined, and every amount is so far inside <see cref="decimal"/>'s range (about 7.9e28) that no product
    /// or sum of them can overflow. Then months may be written as they are computed without a late failure
    /// leaving part of an output behind. Real amounts are below 1e12 yuan; the limit only turns away absurd ones.
    /// </summary>
    private static bool CannotFail(EvaluationInput input, PolicyDocument policy)
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

    /// <summary>
    /// One month of every employee, in the order of the rules: eligibility over the absence window, score and grade of
    /// the eligible, their ranks, then per employee the streaks and flags, the salary, commission and pay. The
    /// employees' histories move on to this month.
    /// </summary>
    private static MonthResult EvaluateMonth(MonthInput month, PolicyDocument policy, Dictionary<string, History> history, Scratch scratch)
    {
        var employees = month.Employees;
        var n = employees.Length;
        var ordinal = month.Month.Ordinal;
        var windowStart = AbsenceWindow.Of(policy, month.Month).First.Ordinal;
        var decimals = policy.Money.Decimals;
        var eligibility = policy.Eligibility;
        var weights = policy.Weights;
        var bonusRule = policy.Bonus;
        var failRule = policy.ReviewFlags.ConsecutiveFail;

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

            absentInWindow[i] = state.RecordAbsence(ordinal, e.AbsentDays, windowStart);
            eligible[i] = IsEligible(e, absentInWindow[i], eligibility);
            grades[i] = null;
            if (!eligible[i])
            {
                continue;
            }

            scores[i] = Score(e, weights);
            grades[i] = Grade(scores[i], policy);
            eligibleIndices[eligibleCount++] = i;
        }

        var appraised = eligibleIndices.AsSpan(0, eligibleCount);
        var ranks = scratch.Ranks;
        var salesRanks = scratch.SalesRanks;
        RankByScore(appraised, scores, ranks, scratch);
        RankBySales(appraised, employees, salesRanks, scratch);
        var lastFlags = scratch.LastFlags;
        var anyLast = LastInScoreAndSales(appraised, scores, employees, policy.ReviewFlags.LastInScoreAndSales, lastFlags);

        var results = new EmployeeResult[n];
        for (var i = 0; i < n; i++)
        {
            var e = employees[i];
            var state = states[i];
            // D15: an excluded employee gets no flags, selfMissing included (D5's flag belongs to a score); only HR's
            // override of eligibility is flagged either way (D14), since it says why the employee is or is not appraised.
            var flags = eligible[i] && e.Self is null ? ResultFlags.SelfMissing : ResultFlags.None;
            if (e.EligibilityOverride is not null)
            {
                flags |= ResultFlags.EligibilityOverridden;
            }

            var bonus = Money.Round(0m, decimals);
            GradeBand payGrade;
            if (eligible[i])
            {
                var grade = grades[i]!;
                // D12: a month without an appraisal breaks every streak.
                var consecutive = state.LastAppraisedOrdinal == ordinal - 1;
                if (EarnsBonus(state, consecutive, ranks[i], bonusRule))
                {
                    bonus = Money.Round(bonusRule.Amount, decimals);
                }

                if (FailsConsecutively(state, consecutive, grade, failRule))
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
                payGrade = PayGradeWhenExcluded(state, policy);
            }

            var tier = policy.Commission.TierFor(e.SalesPlan, e.SalesActual);
            var commission = Commission(e, tier, decimals);
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
                TotalPay(salary, commission, bonus, otherPay),
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
    /// Eligibility (第二条 as D14 reads it): appraised unless absent more than the policy's threshold (60 days) over the
    /// <see cref="AbsenceWindow"/> ending with the month, whose absence is <paramref name="absentInWindow"/>; HR's
    /// recorded decision for the employee-month wins over the rule either way (D14), and the rule is then not applied at
    /// all. An employee not appraised gets no score, grade, rank, flag (but the override's) or bonus and does not count
    /// for anyone's ranking (D15); an employee HR includes is appraised like any other, streaks included (D12).
    /// </summary>
    private static bool IsEligible(EmployeeMonthInput e, int absentInWindow, EligibilityRule rule) =>
        e.EligibilityOverride ?? absentInWindow <= rule.MaxAbsentDays;

    /// <summary>
    /// The final score (the KPI sheet's 个人占 40%，主管占 60%; D4): w_self·selfTotal + w_sup·supervisorTotal, exact and
    /// never rounded; without a self-assessment, the supervisor's total alone (D5).
    /// </summary>
    private static decimal Score(EmployeeMonthInput e, ScoreWeights weights) =>
        e.Self is { } self
            ? (weights.Self * self.Total) + (weights.Supervisor * e.Supervisor.Total)
            : e.Supervisor.Total;

    /// <summary>
    /// The grade (第八条, D6): the first band whose lower bound the unrounded score reaches (≥95 优, ≥85 良, ≥75 好,
    /// ≥65 及格, else 不及格; so 94.6 is 良). It gives the month's job level and position salary (D7).
    /// </summary>
    private static GradeBand Grade(decimal score, PolicyDocument policy) => policy.GradeFor(score);

    /// <summary>
    /// The level and position salary of an employee not appraised this month (D15): those of the most recent appraised
    /// month, or the lowest band's (见习客服, 1200) for one never appraised.
    /// </summary>
    private static GradeBand PayGradeWhenExcluded(History state, PolicyDocument policy) => state.LastGrade ?? policy.LowestGrade;

    /// <summary>
    /// Ranking by score (D11): competition ranks (1, 1, 3), highest score first, among the month's eligible employees
    /// only, company-wide.
    /// </summary>
    private static void RankByScore(ReadOnlySpan<int> appraised, decimal[] scores, int[] ranks, Scratch scratch)
    {
        for (var k = 0; k < appraised.Length; k++)
        {
            scratch.DecimalKeys[k] = -scores[appraised[k]];
        }

        Rank(appraised, ranks, scratch);
    }

    /// <summary>Sales ranking (D11): competition ranks (1, 1, 3), highest actual sales first, among the eligible only.</summary>
    private static void RankBySales(ReadOnlySpan<int> appraised, ImmutableArray<EmployeeMonthInput> employees, int[] salesRanks, Scratch scratch)
    {
        for (var k = 0; k < appraised.Length; k++)
        {
            scratch.DecimalKeys[k] = -employees[appraised[k]].SalesActual;
        }

        Rank(appraised, salesRanks, scratch);
    }

    /// <summary>
    /// The bonus streak (第十一条, D12): ranked first (the rule's rank) in this month and in the month before, both
    /// appraised, earns the one-off bonus (200), and the streak then starts over, so a run of firsts pays in its 2nd,
    /// 4th, 6th… month (non-overlapping runs of the rule's length). Moves <paramref name="state"/>'s streak on to this
    /// month; <paramref name="consecutive"/> says whether the employee was appraised in the month before.
    /// </summary>
    private static bool EarnsBonus(History state, bool consecutive, int rank, BonusRule rule)
    {
        state.RankStreak = rank == rule.Rank ? (consecutive ? state.RankStreak : 0) + 1 : 0;
        return state.RankStreak > 0 && state.RankStreak % rule.ConsecutiveMonths == 0;
    }

    /// <summary>
    /// The consecutive-fail streak (第十一条 "连续两个月考核不及格", D12): the failing grade (不及格) in this month and in the
    /// month before, both appraised, flags the month for HR review — again in every further failing month. A flag,
    /// never an automatic resignation (D13). Moves <paramref name="state"/>'s streak on to this month.
    /// </summary>
    private static bool FailsConsecutively(History state, bool consecutive, GradeBand grade, ConsecutiveFailRule rule)
    {
        state.FailStreak = string.Equals(grade.Key, rule.Grade, StringComparison.Ordinal)
            ? (consecutive ? state.FailStreak : 0) + 1
            : 0;
        return state.FailStreak >= rule.ConsecutiveMonths;
    }

    /// <summary>
    /// The commission (第九条, D8): the whole of actual sales Y (全额, not marginal) times the rate of the tier that Y
    /// minus plan X falls in (Y &lt; X 0.5 %, X ≤ Y &lt; X + 50 000 1 %, else 1.2 %), rounded once to the fen (D9). Paid
    /// to excluded employees too (D15).
    /// </summary>
    private static decimal Commission(EmployeeMonthInput e, CommissionTier tier, int decimals) => Money.Round(e.SalesActual * tier.Rate, decimals);

    /// <summary>The month's pay (第十条, D10): position salary + commission + bonus + other pay (其他, HR's adjustments, may be negative).</summary>
    private static decimal TotalPay(decimal salary, decimal commission, decimal bonus, decimal otherPay) => salary + commission + bonus + otherPay;

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
    /// Competition ranks (1, 1, 3, D11) of the employees at <paramref name="indices"/> by the keys in
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
    /// Last in score and sales (第十二条, D12): with at least the rule's number of eligible employees (two), those with
    /// the lowest score AND the lowest actual sales of the month (ties: all of them) are flagged for HR review — a
    /// flag, never an automatic resignation (D13). Into <paramref name="flags"/> at the eligible indices; false (and
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

        /// <summary>
        /// Records this month's absence and returns the absence over the month's <see cref="AbsenceWindow"/> (D14),
        /// which starts at <paramref name="windowStart"/>: earlier months drop out, months not given count as 0.
        /// </summary>
        public int RecordAbsence(int ordinal, int days, int windowStart)
        {
            // A loop rather than RemoveAll: a capturing lambda would allocate for every employee-month.
            var kept = 0;
            for (var k = 0; k < absences.Count; k++)
            {
                if (absences[k].Ordinal >= windowStart)
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
