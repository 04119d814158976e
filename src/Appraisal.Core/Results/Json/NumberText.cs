using System.Buffers.Text;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Appraisal.Core.Results.Json;

/// <summary>
/// Numbers as JSON text, as <see cref="Utf8JsonWriter"/> writes them. A decimal as <see cref="Utf8Formatter"/>'s "G":
/// every digit of the mantissa with the point at the scale, so trailing zeros stay (1500.00), and no sign on zero.
/// </summary>
internal static class NumberText
{
    /// <summary>The longest text: 29 digits, a point, a sign, and a leading "0" for a scale of 28.</summary>
    public const int MaxLength = 32;

    private static ReadOnlySpan<ulong> PowersOf10 =>
    [
        1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000, 100_000_000_000,
        1_000_000_000_000, 10_000_000_000_000, 100_000_000_000_000, 1_000_000_000_000_000, 10_000_000_000_000_000,
        100_000_000_000_000_000, 1_000_000_000_000_000_000, 10_000_000_000_000_000_000,
    ];

    private static ReadOnlySpan<byte> Pairs =>
        "00010203040506070809101112131415161718192021222324252627282930313233343536373839404142434445464748495051525354555657585960616263646566676869707172737475767778798081828384858687888990919293949596979899"u8;

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="destination"/> and returns the number of bytes written.</summary>
    public static int Write(decimal value, Span<byte> destination)
    {
        // An inline array, not stackalloc: the JIT compiles a method with a loop and a stackalloc straight to its
        // final code, without the profile-guided tier.
        var bits = default(DecimalBits);
        decimal.GetBits(value, bits);
        if (bits[2] != 0)
        {
            // Above 2^64 (no amount here comes near): the formatter itself.
            if (!Utf8Formatter.TryFormat(value, destination, out var formatted))
            {
                throw new ArgumentException("no room for a number", nameof(destination));
            }

            return formatted;
        }

        // The bits are the mantissa's words as they are, not signed numbers.
        var mantissa = unchecked(((ulong)(uint)bits[1] << 32) | (uint)bits[0]);
        var scale = (bits[3] >> 16) & 0xFF;
        var sign = bits[3] < 0 && mantissa != 0 ? 1 : 0;
        var digits = Digits(mantissa);
        // With a scale, at least one digit before the point: 0.012.
        var length = scale == 0 ? sign + digits : sign + Math.Max(digits - scale, 1) + 1 + scale;
        var text = destination[..length];
        var at = length;
        if (scale > 0)
        {
            // The fraction from its last digit back, zeros where the mantissa has fewer digits than the scale.
            var fraction = scale;
            for (; fraction >= 2; fraction -= 2)
            {
                var next = mantissa / 100;
                at -= 2;
                Pair(text, at, (int)(mantissa - (next * 100)));
                mantissa = next;
            }

            if (fraction == 1)
            {
                var next = mantissa / 10;
                text[--at] = (byte)('0' + (int)(mantissa - (next * 10)));
                mantissa = next;
            }

            text[--at] = (byte)'.';
        }

        WriteBackwards(text, at, mantissa);
        if (sign != 0)
        {
            text[0] = (byte)'-';
        }

        return length;
    }

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="destination"/> and returns the number of bytes written.</summary>
    public static int Write(int value, Span<byte> destination)
    {
        if (value < 0)
        {
            if (!Utf8Formatter.TryFormat(value, destination, out var formatted))
            {
                throw new ArgumentException("no room for a number", nameof(destination));
            }

            return formatted;
        }

        var length = Digits((ulong)value);
        WriteBackwards(destination[..length], length, (ulong)value);
        return length;
    }

    /// <summary>The digits of <paramref name="value"/>, at least one, ending before <paramref name="end"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteBackwards(Span<byte> text, int end, ulong value)
    {
        for (; value >= 100; value /= 100)
        {
            end -= 2;
            Pair(text, end, (int)(value % 100));
        }

        if (value >= 10)
        {
            Pair(text, end - 2, (int)value);
        }
        else
        {
            text[end - 1] = (byte)('0' + (int)value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pair(Span<byte> text, int at, int pair)
    {
        var pairs = Pairs;
        text[at] = pairs[2 * pair];
        text[at + 1] = pairs[(2 * pair) + 1];
    }

    /// <summary>The number of decimal digits of <paramref name="value"/>; 1 for 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Digits(ulong value)
    {
        // log10 from log2 (1233 / 4096 ≈ log10 2), one too high at most, which the power of ten corrects. The
        // low bit set makes 0 count as 1 and changes no other count (10^k - 1 is odd).
        value |= 1;
        var estimate = ((BitOperations.Log2(value) + 1) * 1233) >> 12;
        return estimate + 1 - (value < PowersOf10[estimate] ? 1 : 0);
    }

    [InlineArray(4)]
    private struct DecimalBits
    {
        private int element;
    }
}
