using System.Collections.Immutable;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;

namespace Appraisal.Core.Results;

/// <summary>
/// The months whose absence (缺岗) together decides whether an employee is appraised in a month (第二条 as D14 reads
/// it): that month and the <see cref="EligibilityRule.WindowMonths"/> − 1 months before it — M−2, M−1 and M by default.
/// An employee absent more than <see cref="EligibilityRule.MaxAbsentDays"/> days over them (60 by default) is excluded
/// from M (D14, D15), months without facts counting 0. The one definition of the window: the engine
/// (<see cref="Evaluator"/>) and every page that shows a person's absence over it take it from here.
/// </summary>
public readonly record struct AbsenceWindow
{
    private AbsenceWindow(YearMonth first, YearMonth last)
    {
        First = first;
        Last = last;
    }

    /// <summary>The first (oldest) month of the window.</summary>
    public YearMonth First { get; }

    /// <summary>The last month of the window: the month whose eligibility it decides.</summary>
    public YearMonth Last { get; }

    /// <summary>Number of months in the window: the policy's window, fewer only before 1900 (see <see cref="Of"/>).</summary>
    public int Length => Last.Ordinal - First.Ordinal + 1;

    /// <summary>The months of the window, oldest first, <see cref="Last"/> included.</summary>
    public ImmutableArray<YearMonth> Months => MonthsFrom(First, Length);

    /// <summary>
    /// The months of the window before <see cref="Last"/>, oldest first: those whose absence is already history while
    /// <see cref="Last"/>'s facts are being entered. Empty for a window of one month.
    /// </summary>
    public ImmutableArray<YearMonth> EarlierMonths => MonthsFrom(First, Length - 1);

    /// <summary>
    /// The window that decides <paramref name="month"/> under <paramref name="policy"/>'s eligibility rule. It is at
    /// least the month itself (<see cref="PolicyValidator"/> refuses a window of less than one month), and starts no
    /// earlier than January of <see cref="YearMonth.MinYear"/>, before which no month can be given.
    /// </summary>
    public static AbsenceWindow Of(PolicyDocument policy, YearMonth month)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var before = Math.Max(policy.Eligibility.WindowMonths, 1) - 1;
        var earliest = new YearMonth(YearMonth.MinYear, 1);
        var first = month.Ordinal - earliest.Ordinal <= before ? earliest : month.PlusMonths(-before);
        return new AbsenceWindow(first, month);
    }

    /// <summary>Whether <paramref name="month"/> is one of the window's months.</summary>
    public bool Contains(YearMonth month) => month >= First && month <= Last;

    /// <summary>
    /// The absent days of the window: <paramref name="absentDaysIn"/> summed over its months, oldest first, where a
    /// month without facts for the person gives 0 (D14).
    /// </summary>
    public int AbsentDays(Func<YearMonth, int> absentDaysIn)
    {
        ArgumentNullException.ThrowIfNull(absentDaysIn);
        var total = 0;
        foreach (var month in Months)
        {
            total = checked(total + absentDaysIn(month));
        }

        return total;
    }

    private static ImmutableArray<YearMonth> MonthsFrom(YearMonth first, int count)
    {
        var months = ImmutableArray.CreateBuilder<YearMonth>(count);
        for (var i = 0; i < count; i++)
        {
            months.Add(first.PlusMonths(i));
        }

        return months.MoveToImmutable();
    }
}
