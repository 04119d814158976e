using System.Runtime.InteropServices;

namespace Appraisal.Core.Results.Json;

/// <summary>
/// Shares equal assessments (<see cref="ItemScores"/>) met close together in the input, and no more: a bounded cache,
/// not a pool of every distinct assessment. Where assessments repeat (a company whose supervisors score most agents
/// alike: a few thousand distinct ones among hundreds of thousands) it keeps the shared instances; where they are
/// mostly distinct, as in most real data (docs/benchmarks.md), it costs one probe of a small table per assessment and
/// holds nothing the input does not hold already — a pool of every distinct assessment grew to millions of entries,
/// kept each assessment alive for the whole run and took a sixth of its time. Assessments are immutable, so sharing
/// them is safe, and whether two are shared changes nothing but memory.
/// The scores are the key, packed one byte each into 16 bytes: scores of 0–255 for up to 16 items, as any real sheet
/// has; others are not shared.
/// </summary>
internal sealed class AssessmentPool
{
    // The table starts small (an API call reads a handful of assessments) and doubles with the assessments met, up to
    // this many slots (4 MB): room for the few thousand of a repetitive input with few collisions.
    private const int MaxSlots = 1 << 17;

    private (UInt128 Key, ItemScores? Value)[] slots = new (UInt128, ItemScores?)[1 << 10];
    private int misses;

    /// <summary>An instance of an assessment with these scores, shared when met recently (a copy; the span may be reused).</summary>
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
        ref var slot = ref slots[PackedPool<ItemScores>.Hash(key) & (slots.Length - 1)];
        if (slot.Value is { } known && slot.Key == key)
        {
            return known;
        }

        // A new assessment, or one whose slot another took: the newer one keeps the slot.
        var value = ItemScores.Wrap(scores.ToArray());
        slot = (key, value);
        if (++misses > slots.Length && slots.Length < MaxSlots)
        {
            Grow();
        }

        return value;
    }

    private void Grow()
    {
        var old = slots;
        slots = new (UInt128, ItemScores?)[old.Length * 2];
        foreach (var (key, value) in old)
        {
            if (value is not null)
            {
                slots[PackedPool<ItemScores>.Hash(key) & (slots.Length - 1)] = (key, value);
            }
        }

        misses = 0;
    }
}
