using System.Runtime.InteropServices;

namespace Appraisal.Core.Results.Json;

/// <summary>
/// One instance per distinct assessment (<see cref="ItemScores"/>) of the input: assessments repeat (a few thousand
/// distinct ones among hundreds of thousands), and sharing them keeps a year of input much smaller in memory.
/// Assessments are immutable, so sharing them is safe. Looked up by their scores packed one byte each into one number
/// (<see cref="PackedPool{T}"/>): scores of 0–255 for up to 16 items, as any real sheet has; others are not pooled.
/// </summary>
internal sealed class AssessmentPool
{
    private readonly PackedPool<ItemScores> pool = new();

    /// <summary>The one instance of an assessment with these scores (a copy of them; the span may be reused).</summary>
    public ItemScores Pooled(ReadOnlySpan<int> scores)
    {
        Span<byte> packed = stackalloc byte[16];
        packed.Clear();
        for (var i = 0; i < scores.Length; i++)
        {
            if (i >= packed.Length || scores[i] is < 0 or > byte.MaxValue)
            {
                return ItemScores.Wrap(scores.ToArray());
            }

            packed[i] = (byte)scores[i];
        }

        var key = MemoryMarshal.Read<UInt128>(packed);
        if (!pool.TryGetValue(key, out var pooled))
        {
            pooled = ItemScores.Wrap(scores.ToArray());
            pool.Add(key, pooled);
        }

        return pooled;
    }
}
