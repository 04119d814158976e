using System.Runtime.InteropServices;

namespace Appraisal.Core.Results.Json;

/// <summary>
/// One instance per distinct text of one field of the input (employee ids, names): the same ids and names come back
/// every month, and one string per distinct value instead of one per occurrence keeps a year of input much smaller in
/// memory. Texts are looked up by their raw UTF-8 bytes, at most <see cref="MaxLength"/> of them packed into one
/// number (<see cref="PackedPool{T}"/>), so that a text seen before is not decoded again. Strings are immutable, so
/// sharing them is safe.
/// </summary>
internal sealed class TextPool
{
    /// <summary>The longest raw text, in bytes, that is pooled; longer ones (rare for ids and names) are not.</summary>
    public const int MaxLength = 16;

    private readonly PackedPool<string> pool = new();

    // The pooled text met at each position of the previous month's employee list. Exports list employees in the
    // same order month after month, so the text at the same position is usually the one being read: a look at the
    // next element of an array walked in order, instead of a random access into the whole pool.
    private (UInt128 Key, string? Value)[] recent = new (UInt128, string?)[64];

    /// <summary>
    /// The pooled text of <paramref name="raw"/> (at most <see cref="MaxLength"/> bytes, without escapes), read for the
    /// employee at <paramref name="index"/> of its month; null when it is new, to be decoded and given to
    /// <see cref="Add"/> with <paramref name="key"/>.
    /// </summary>
    public string? Find(ReadOnlySpan<byte> raw, int index, out UInt128 key)
    {
        key = Pack(raw);
        if (index < recent.Length && recent[index] is { Value: { } value } slot && slot.Key == key)
        {
            return value;
        }

        if (pool.TryGetValue(key, out var known))
        {
            Remember(index, key, known);
        }

        return known;
    }

    /// <summary>Pools <paramref name="text"/>, decoded from the raw text of <paramref name="key"/>, and returns it.</summary>
    public string Add(UInt128 key, int index, string text)
    {
        pool.Add(key, text);
        Remember(index, key, text);
        return text;
    }

    /// <summary>
    /// The key of a raw text: its bytes zero-padded, which keeps texts apart because raw JSON string bytes are never 0
    /// (control characters must be escaped).
    /// </summary>
    private static UInt128 Pack(ReadOnlySpan<byte> raw)
    {
        Span<byte> packed = stackalloc byte[MaxLength];
        packed.Clear();
        raw.CopyTo(packed);
        return MemoryMarshal.Read<UInt128>(packed);
    }

    private void Remember(int index, UInt128 key, string value)
    {
        if (index >= recent.Length)
        {
            Array.Resize(ref recent, Math.Max(recent.Length * 2, index + 1));
        }

        recent[index] = (key, value);
    }
}
