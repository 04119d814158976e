using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Appraisal.Core.Policy;

namespace Appraisal.Core.Results;

/// <summary>
/// Writes the evaluate contract's output document: every month's results as indented UTF-8 JSON, byte for byte
/// what <see cref="Utf8JsonWriter"/> (indent 2, relaxed escaping, the platform's newline) writes for them,
/// in a fraction of its time. A year of a large company's results is over a hundred megabytes of text, and
/// the writer did per value what here is done once: indentation, separators and property names are
/// precomputed fragments, grade labels are encoded once per band, and numbers are formatted directly.
/// </summary>
internal sealed class ResultWriter
{
    // Pending text is handed on when it passes this, so a month of results is never held as text.
    private const int FlushThreshold = 1 << 16;

    // A result without its id and labels is under 600 bytes; the rest of the buffer is room for those.
    private const int FixedResultRoom = 1024;

    // Grade and level labels are Chinese; escaping them would make the output unreadable.
    private static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    private static readonly string NewLine = Environment.NewLine;

    private static readonly byte[] DocumentStart = Bytes("{" + NewLine + "  \"months\": [");
    private static readonly byte[] MonthStart = Bytes(NewLine + "    {" + NewLine + "      \"month\": \"");
    private static readonly byte[] MonthToResults = Bytes("\"," + NewLine + "      \"results\": [");
    private static readonly byte[] ResultsEnd = Bytes(NewLine + "      ]");
    private static readonly byte[] MonthEnd = Bytes(NewLine + "    }");
    private static readonly byte[] MonthsEnd = Bytes(NewLine + "  ]");
    private static readonly byte[] DocumentEnd = Bytes(NewLine + "}");

    private static readonly byte[] ResultStart = Bytes(NewLine + "        {" + Property("id") + "\"");
    private static readonly byte[] IdToEligibleTrue = Bytes("\"," + Property("eligible") + "true," + Property("selfTotal"));
    private static readonly byte[] IdToEligibleFalse = Bytes("\"," + Property("eligible") + "false," + Property("selfTotal"));
    private static readonly byte[] SupervisorTotal = Bytes("," + Property("supervisorTotal"));
    private static readonly byte[] Score = Bytes("," + Property("score"));
    private static readonly byte[] NoGrade = Bytes("," + Property("grade") + "null");
    private static readonly byte[] PositionSalary = Bytes("," + Property("positionSalary"));
    private static readonly byte[] NoTraining = Bytes("," + Property("training") + "null");
    private static readonly byte[] NoPromotion = Bytes("," + Property("promotion") + "null");
    private static readonly byte[] CommissionRate = Bytes("," + Property("commissionRate"));
    private static readonly byte[] Commission = Bytes("," + Property("commission"));
    private static readonly byte[] Bonus = Bytes("," + Property("bonus"));
    private static readonly byte[] OtherPay = Bytes("," + Property("otherPay"));
    private static readonly byte[] TotalPay = Bytes("," + Property("totalPay"));
    private static readonly byte[] Rank = Bytes("," + Property("rank"));
    private static readonly byte[] SalesRank = Bytes("," + Property("salesRank"));

    // The flags array and the end of the result, for each of the eight combinations of flags.
    private static readonly byte[][] FlagsToEnd = [.. Enumerable.Range(0, 8).Select(f => FlagsFragment((ResultFlags)f))];

    private static readonly byte[] Null = "null"u8.ToArray();

    private readonly Stream? stream;
    private readonly IBufferWriter<byte>? output;
    private readonly List<EncodedBand> bands = [];
    private byte[] buffer = ArrayPool<byte>.Shared.Rent(FlushThreshold * 2);
    private int pending;

    private ResultWriter(Stream? stream, IBufferWriter<byte>? output)
    {
        this.stream = stream;
        this.output = output;
    }

    /// <summary>Writes the document of <paramref name="months"/> to <paramref name="destination"/>, flushing it as <see cref="Utf8JsonWriter"/> would.</summary>
    public static void Write(IEnumerable<MonthResult> months, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        new ResultWriter(destination, null).WriteDocument(months);
    }

    /// <summary>Writes the document of <paramref name="months"/> to <paramref name="destination"/>.</summary>
    public static void Write(IEnumerable<MonthResult> months, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(destination);
        new ResultWriter(null, destination).WriteDocument(months);
    }

    private void WriteDocument(IEnumerable<MonthResult> months)
    {
        ArgumentNullException.ThrowIfNull(months);
        try
        {
            Append(DocumentStart);
            var anyMonth = false;
            foreach (var month in months)
            {
                Room(FixedResultRoom);
                if (anyMonth)
                {
                    buffer[pending++] = (byte)',';
                }

                anyMonth = true;
                Append(MonthStart);
                // "YYYY-MM": digits and a dash, nothing to escape.
                WriteId(month.Month.ToString());
                Append(MonthToResults);
                var anyResult = false;
                foreach (var r in month.Results)
                {
                    if (anyResult)
                    {
                        Room(1);
                        buffer[pending++] = (byte)',';
                    }

                    anyResult = true;
                    WriteResult(r);
                    if (pending > FlushThreshold)
                    {
                        Flush();
                    }
                }

                Room(FixedResultRoom);
                if (anyResult)
                {
                    Append(ResultsEnd);
                }
                else
                {
                    buffer[pending++] = (byte)']';
                }

                Append(MonthEnd);
            }

            Room(FixedResultRoom);
            if (anyMonth)
            {
                Append(MonthsEnd);
            }
            else
            {
                buffer[pending++] = (byte)']';
            }

            Append(DocumentEnd);
        }
        finally
        {
            // As Utf8JsonWriter's Dispose: what was written reaches the destination even when enumerating failed.
            Flush();
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
        }
    }

    private void WriteResult(EmployeeResult r)
    {
        var grade = r.Grade is null ? null : Band(r.Grade);
        var level = Band(r.PayGrade);
        // An escaped character takes at most 6 bytes (\uXXXX); each number at most 31.
        Room(FixedResultRoom + (6 * r.Id.Length) + (grade?.Length ?? 0) + level.Length);

        Append(ResultStart);
        WriteId(r.Id);
        Append(r.Eligible ? IdToEligibleTrue : IdToEligibleFalse);
        WriteNumber(r.SelfTotal);
        Append(SupervisorTotal);
        WriteNumber(r.SupervisorTotal);
        Append(Score);
        if (r.Score is { } score)
        {
            WriteNumber(score);
        }
        else
        {
            Append(Null);
        }

        Append(grade is null ? NoGrade : grade.Grade);
        Append(level.Level);
        Append(PositionSalary);
        WriteNumber(r.PositionSalary);
        Append(grade is null ? NoTraining : grade.Training);
        Append(grade is null ? NoPromotion : grade.Promotion);
        Append(CommissionRate);
        WriteNumber(r.CommissionTier.Rate);
        Append(Commission);
        WriteNumber(r.Commission);
        Append(Bonus);
        WriteNumber(r.Bonus);
        Append(OtherPay);
        WriteNumber(r.OtherPay);
        Append(TotalPay);
        WriteNumber(r.TotalPay);
        Append(Rank);
        WriteNumber(r.Rank);
        Append(SalesRank);
        WriteNumber(r.SalesRank);
        Append(FlagsToEnd[(int)r.Flags & 7]);
    }

    /// <summary>Makes room for <paramref name="bytes"/> more bytes: hands the pending text on first if needed.</summary>
    private void Room(int bytes)
    {
        if (buffer.Length - pending >= bytes)
        {
            return;
        }

        Flush();
        if (buffer.Length < bytes)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = ArrayPool<byte>.Shared.Rent(bytes);
        }
    }

    private void Flush()
    {
        var text = buffer.AsSpan(0, pending);
        // Reset first: should the destination fail, the same text is not written again from the finally.
        pending = 0;
        if (stream is not null)
        {
            if (text.Length > 0)
            {
                stream.Write(text);
            }

            stream.Flush();
        }
        else
        {
            output!.Write(text);
        }
    }

    private void Append(ReadOnlySpan<byte> fragment)
    {
        fragment.CopyTo(buffer.AsSpan(pending));
        pending += fragment.Length;
    }

    /// <summary>A JSON string's content, escaped as Utf8JsonWriter escapes a string value with <see cref="Encoder"/>.</summary>
    private void WriteId(string text)
    {
        var destination = buffer.AsSpan(pending, text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            // Printable ASCII but the two that JSON escapes: the relaxed encoder leaves them as they are.
            if (c is < ' ' or > '~' or '"' or '\\')
            {
                WriteEscaped(text);
                return;
            }

            destination[i] = (byte)c;
        }

        pending += text.Length;
    }

    private void WriteEscaped(string text)
    {
        // Utf8JsonWriter asks the encoder whether a value needs escaping and writes it transcoded when not; most
        // non-ASCII text (Chinese) does not.
        var destination = buffer.AsSpan(pending);
        if (Utf8.FromUtf16(text, destination, out _, out var written, replaceInvalidSequences: false) == OperationStatus.Done
            && Encoder.FindFirstCharacterToEncodeUtf8(destination[..written]) < 0)
        {
            pending += written;
            return;
        }

        // Otherwise the writer escapes the UTF-16 text with the encoder and transcodes the result. Not JsonEncodedText:
        // that throws on a lone surrogate, which the encoder writes as \uFFFD.
        var escaped = Encoder.Encode(text);
        pending += Encoding.UTF8.GetBytes(escaped, buffer.AsSpan(pending));
    }

    private void WriteNumber(int? value)
    {
        if (value is { } v)
        {
            WriteNumber(v);
        }
        else
        {
            Append(Null);
        }
    }

    private void WriteNumber(int value)
    {
        if (!value.TryFormat(buffer.AsSpan(pending), out var written, default, CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("no room for a number");
        }

        pending += written;
    }

    private void WriteNumber(decimal value) => pending += DecimalText.Write(value, buffer.AsSpan(pending));

    private EncodedBand Band(GradeBand band)
    {
        // A policy has a handful of bands, each written thousands of times.
        foreach (var known in bands)
        {
            if (ReferenceEquals(known.Band, band))
            {
                return known;
            }
        }

        var added = new EncodedBand(band);
        bands.Add(added);
        return added;
    }

    private static string Property(string name) => NewLine + "          \"" + name + "\": ";

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    private static byte[] FlagsFragment(ResultFlags flags)
    {
        var names = ResultFlagNames.Of(flags);
        var text = new StringBuilder("," + Property("flags") + "[");
        for (var i = 0; i < names.Count; i++)
        {
            text.Append(i == 0 ? string.Empty : ",").Append(NewLine).Append("            \"").Append(names[i]).Append('"');
        }

        text.Append(names.Count == 0 ? string.Empty : NewLine + "          ").Append(']');
        text.Append(NewLine).Append("        }");
        return Bytes(text.ToString());
    }

    /// <summary>A grade band's labels as the whole <c>,\n  "name": "label"</c> fragments the writer copies.</summary>
    private sealed class EncodedBand(GradeBand band)
    {
        public GradeBand Band { get; } = band;

        public byte[] Grade { get; } = Fragment("grade", band.Label);

        public byte[] Level { get; } = Fragment("level", band.Level);

        public byte[] Training { get; } = Fragment("training", band.Training);

        public byte[] Promotion { get; } = Fragment("promotion", band.Promotion);

        public int Length => Grade.Length + Level.Length + Training.Length + Promotion.Length;

        private static byte[] Fragment(string name, LocalizedText? label)
        {
            byte[] start = Bytes("," + Property(name));
            if (label is null)
            {
                return [.. start, .. Null];
            }

            return [.. start, (byte)'"', .. JsonEncodedText.Encode(label.Zh, Encoder).EncodedUtf8Bytes, (byte)'"'];
        }
    }
}

/// <summary>
/// Decimal numbers as JSON text, as <see cref="Utf8JsonWriter"/> writes them (<see cref="Utf8Formatter"/>'s "G"):
/// every digit of the mantissa with the point at the scale, so trailing zeros stay (1500.00), and no sign on zero.
/// </summary>
internal static class DecimalText
{
    /// <summary>The longest text: 29 digits, a point, a sign, and a leading "0" for a scale of 28.</summary>
    public const int MaxLength = 32;

    /// <summary>Writes <paramref name="value"/> at the start of <paramref name="destination"/> and returns the number of bytes written.</summary>
    public static int Write(decimal value, Span<byte> destination)
    {
        Span<int> bits = stackalloc int[4];
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
        var negative = bits[3] < 0 && mantissa != 0;

        // Digits from the last one back, the point after the first `scale` of them, zeros where the mantissa has
        // fewer digits than the scale, and "0" before a leading point.
        Span<byte> text = stackalloc byte[MaxLength];
        var start = text.Length;
        var digits = 0;
        unchecked
        {
            do
            {
                if (digits == scale && scale > 0)
                {
                    text[--start] = (byte)'.';
                }

                var next = mantissa / 10;
                text[--start] = (byte)('0' + (int)(mantissa - (next * 10)));
                mantissa = next;
                digits++;
            }
            while (mantissa != 0 || digits <= scale);
        }

        if (negative)
        {
            text[--start] = (byte)'-';
        }

        text[start..].CopyTo(destination);
        return text.Length - start;
    }
}
