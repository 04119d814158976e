using System.Collections.Immutable;
using Appraisal.Core.Months;

namespace Appraisal.Core.Results;

/// <summary>
/// The facts of one or more months that the engine turns into results: the two assessments,
/// sales, absence and manual pay adjustments per employee (evaluate contract).
/// </summary>
public sealed record EvaluationInput(ImmutableArray<MonthInput> Months);

/// <summary>One month's facts for every employee appraised under the policy.</summary>
public sealed record MonthInput(YearMonth Month, ImmutableArray<EmployeeMonthInput> Employees);

/// <summary>
/// One employee's facts for one month.
/// </summary>
/// <param name="Id">Employee number, unique within the month.</param>
/// <param name="Name">Display name; not used by the rules.</param>
/// <param name="Self">The self-assessment, or null when none was submitted (D5).</param>
/// <param name="Supervisor">The supervisor's assessment; always required (D5).</param>
/// <param name="SalesPlan">X of 第九条: the month's sales plan in yuan.</param>
/// <param name="SalesActual">Y of 第九条: the month's actual sales in yuan.</param>
/// <param name="AbsentDays">Days of absence (缺岗) in the month, for eligibility (D14).</param>
/// <param name="OtherPay">其他 of 第十条: the sum of HR's adjustments; may be negative (D10).</param>
/// <param name="EligibilityOverride">HR's recorded decision to include (true) or exclude (false) regardless of absence (D14); null applies the rule.</param>
/// <param name="EligibilityReason">HR's reason for <paramref name="EligibilityOverride"/>: required and not blank with an override, absent without one (D14).</param>
public sealed record EmployeeMonthInput(
    string Id,
    string? Name,
    ItemScores? Self,
    ItemScores Supervisor,
    decimal SalesPlan,
    decimal SalesActual,
    int AbsentDays = 0,
    decimal OtherPay = 0m,
    bool? EligibilityOverride = null,
    string? EligibilityReason = null);

/// <summary>
/// Whole-point scores of one assessment, one per item of the policy in sheet order (D1, D3).
/// </summary>
public sealed class ItemScores : IEquatable<ItemScores>
{
    private readonly int[] scores;

    /// <summary>Scores in the policy's item order.</summary>
    public ItemScores(ReadOnlySpan<int> scores) => this.scores = scores.ToArray();

    private ItemScores(int[] owned, bool _) => scores = owned;

    /// <summary>Takes ownership of <paramref name="owned"/> without copying; the caller must not change it.</summary>
    internal static ItemScores Wrap(int[] owned) => new(owned, true);

    /// <summary>Number of items.</summary>
    public int Count => scores.Length;

    /// <summary>The score of the item at <paramref name="index"/>.</summary>
    public int this[int index] => scores[index];

    /// <summary>The scores as a span.</summary>
    public ReadOnlySpan<int> AsSpan() => scores;

    /// <summary>The sum of the item scores (selfTotal, supervisorTotal of D4).</summary>
    public int Total
    {
        get
        {
            // Computed once: the engine asks for it several times per employee-month, and pooled assessments are
            // shared by thousands of them. Not in the constructor, where scores not yet validated could overflow.
            // One long, so that another thread reads either 0 or the whole value.
            var known = Volatile.Read(ref total);
            if (known != 0)
            {
                return unchecked((int)known);
            }

            var sum = 0;
            foreach (var s in scores)
            {
                sum = checked(sum + s);
            }

            Volatile.Write(ref total, unchecked((uint)sum) | Computed);
            return sum;
        }
    }

    // The total in the low 32 bits, with this bit set once it is known.
    private const long Computed = 1L << 32;

    private long total;

    /// <inheritdoc />
    public bool Equals(ItemScores? other) => other is not null && scores.AsSpan().SequenceEqual(other.scores);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ItemScores);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (var s in scores)
        {
            hash.Add(s);
        }

        return hash.ToHashCode();
    }
}
