using System.Buffers;
using System.Buffers.Text;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.Core.Results;
using Appraisal.Core.Results.Json;
using CsCheck;
using static Appraisal.Core.Tests.Build;

namespace Appraisal.Core.Tests.Results.Json;

/// <summary>
/// The output writer against the <see cref="Utf8JsonWriter"/> code it replaced, kept below as the reference:
/// the same bytes for every field, flag, id and layout, and the same text for every decimal.
/// </summary>
public class ResultWriterTests
{
    private const long Iterations = 300;

    private static readonly GradeBand Good = Seed.Grades[1];

    // Labels a policy author might type, with everything the encoder treats specially.
    private static readonly GradeBand Odd = new("odd", 0m, new("A \"级\" \\ <b>&'+`"), new("😀\t\n"), null, new("\u00a0\u2028\u0001二级"), 1250.50m);

    private static readonly string[] OddIds =
    [
        "E001", string.Empty, " ", "a\"b", "a\\b", "\"\\\"", "/", "tab\there", "\r\n", "\0", "\u001f", "\u007f", "\u0080", "\u009f",
        "张三", "E-张三-1", "😀", "a😀b", "𠀀", "<>&'+`", "<script>", "\u00a0", "\u00ad", "\u2028\u2029", "\u200b", "\ufeff", "\ufffd",
        "\uffff", "\ue000", "é", "ÿ", "\ud800", "\udc00", "a\ud83d", "\ude00a", "\udc00\ud800",
    ];

    private static EmployeeResult Result(
        string id = "E001",
        bool eligible = true,
        int? selfTotal = 87,
        decimal? score = 85.2m,
        GradeBand? grade = null,
        GradeBand? payGrade = null,
        int? rank = 1,
        int? salesRank = 2,
        ResultFlags flags = ResultFlags.None,
        decimal commission = 1896.01m,
        decimal otherPay = 0m) =>
        new(
            id,
            null,
            eligible,
            selfTotal,
            84,
            score,
            grade,
            payGrade ?? grade ?? Good,
            (payGrade ?? grade ?? Good).PositionSalary + 0.00m,
            new CommissionTier(null, 0.012m),
            commission,
            0.00m,
            otherPay,
            (payGrade ?? grade ?? Good).PositionSalary + commission + otherPay,
            rank,
            salesRank,
            flags,
            100000m,
            158000.50m,
            0);

    private static EvaluationResult Output(params MonthResult[] months) => new("test", [.. months]);

    private static MonthResult Month(string month, params EmployeeResult[] results) => new(YearMonth.Parse(month), [.. results]);

    private static byte[] Expected(EvaluationResult result)
    {
        using var stream = new MemoryStream();
        Reference.WriteOutput(result, stream);
        return stream.ToArray();
    }

    /// <summary>Every way of writing <paramref name="result"/> gives the reference's bytes.</summary>
    private static void AssertSameAsReference(EvaluationResult result)
    {
        var expected = Expected(result);

        using var stream = new MemoryStream();
        EvaluationJson.WriteOutput(result, stream);
        // As text first, for a readable difference; then as bytes, which text decoding might hide.
        Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(stream.ToArray()));
        Assert.Equal(expected, stream.ToArray());

        var buffer = new ArrayBufferWriter<byte>(1);
        EvaluationJson.WriteOutput(result, buffer);
        Assert.Equal(expected, buffer.WrittenSpan.ToArray());

        Assert.Equal(Encoding.UTF8.GetString(expected), EvaluationJson.WriteOutput(result));
    }

    [Fact]
    public void The_reference_writes_the_contract_layout()
    {
        // Guards the reference itself: were it to drift, every comparison below would compare with the wrong thing.
        var text = Encoding.UTF8.GetString(Expected(Output(Month("2026-10", Result(grade: Good, flags: ResultFlags.ConsecutiveFail | ResultFlags.SelfMissing)))));

        Assert.StartsWith("{" + Environment.NewLine + "  \"months\": [" + Environment.NewLine + "    {", text, StringComparison.Ordinal);
        Assert.Contains("          \"positionSalary\": 1500.00," + Environment.NewLine, text, StringComparison.Ordinal);
        Assert.Contains("\"grade\": \"良\"", text, StringComparison.Ordinal);
        Assert.Contains("\"flags\": [" + Environment.NewLine + "            \"consecutiveFail\"," + Environment.NewLine, text, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_field_null_or_not_and_every_flag_combination()
    {
        var results = new List<EmployeeResult>();
        for (var fields = 0; fields < 1 << 6; fields++)
        {
            for (var flags = 0; flags < 16; flags++)
            {
                bool Has(int bit) => (fields & (1 << bit)) != 0;
                results.Add(Result(
                    id: $"E{fields:D2}{flags}",
                    eligible: Has(0),
                    selfTotal: Has(1) ? 100 : null,
                    score: Has(2) ? -0.5m : null,
                    grade: Has(3) ? (flags % 2 == 0 ? Odd : Good) : null,
                    payGrade: Has(3) ? null : Seed.Grades[flags % Seed.Grades.Length],
                    rank: Has(4) ? int.MaxValue : null,
                    salesRank: Has(5) ? 0 : null,
                    flags: (ResultFlags)flags));
            }
        }

        AssertSameAsReference(Output(Month("2026-10", [.. results])));
    }

    [Fact]
    public void Every_band_of_the_seed_and_labels_that_need_escaping()
    {
        var results = Seed.Grades.Append(Odd).SelectMany(g => new[] { Result(grade: g), Result(grade: null, payGrade: g, eligible: false) });

        AssertSameAsReference(Output(Month("2026-10", [.. results])));
    }

    [Fact]
    public void Ids_that_need_escaping_or_are_not_ascii()
    {
        AssertSameAsReference(Output(Month("2026-10", [.. OddIds.Select(id => Result(id: id))])));
        foreach (var id in OddIds)
        {
            AssertSameAsReference(Output(Month("2026-10", Result(id: id))));
        }
    }

    [Fact]
    public void Relaxed_escaping_leaves_html_characters_and_chinese_and_escapes_the_rest()
    {
        var text = EvaluationJson.WriteOutput(Output(Month("2026-10", Result(id: "<>&'+` 张三 \"\\ \n 😀"))));

        Assert.Contains("\"id\": \"<>&'+` 张三 \\\"\\\\ \\n \\uD83D\\uDE00\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void No_months_empty_months_and_months_between()
    {
        AssertSameAsReference(Output());
        AssertSameAsReference(Output(Month("2026-10")));
        AssertSameAsReference(Output(Month("2026-09"), Month("2026-10", Result()), Month("2026-11"), Month("2026-12")));
        AssertSameAsReference(Output(Month("2026-10", Result()), Month("2026-11", Result(), Result("E002"))));
    }

    [Fact]
    public void Output_larger_than_the_buffer_and_an_id_larger_than_the_buffer()
    {
        var many = Enumerable.Range(0, 3000).Select(i => Result(id: $"E{i:D6}", commission: i / 100m));
        AssertSameAsReference(Output(Month("2026-10", [.. many]), Month("2026-11", [.. many])));

        var longId = string.Concat(Enumerable.Repeat("张\"😀\u0001a", 40000));
        AssertSameAsReference(Output(Month("2026-10", Result(), Result(id: longId), Result(id: new string('x', 300000)), Result())));
    }

    [Fact]
    public void The_stream_is_flushed_at_the_end_as_the_writer_flushed_it()
    {
        // The CLI writes through a BufferedStream: everything must have reached the stream below it.
        var result = Output(Month("2026-10", Result(), Result("E002")));
        using var inner = new MemoryStream();
        using var buffered = new BufferedStream(inner, 1 << 16);

        EvaluationJson.WriteOutput(result, buffered);

        Assert.Equal(Expected(result), inner.ToArray());
    }

    [Fact]
    public void A_failure_while_months_are_computed_leaves_what_the_reference_left()
    {
        // Utf8JsonWriter's Dispose flushed what was written before the failure; so does the new writer.
        static IEnumerable<MonthResult> Failing()
        {
            yield return Month("2026-10", Result(), Result("E002"));
            throw new InvalidOperationException("month failed");
        }

        using var expected = new MemoryStream();
        Assert.Throws<InvalidOperationException>(() => Reference.WriteMonths(Failing(), expected));
        using var actual = new MemoryStream();
        Assert.Throws<InvalidOperationException>(() => ResultWriter.Write(Failing(), actual));

        Assert.NotEqual(0, expected.Length);
        Assert.Equal(expected.ToArray(), actual.ToArray());
    }

    [Fact]
    public void Random_ids() =>
        Gen.OneOf(
                Gen.Char.Array[0, 12],
                Gen.Char['\0', '\u00ff'].Array[0, 12],
                Gen.Char["E0123456789\"\\<>&'+张三😀\ud800\u2028"].Array[0, 12])
            .Select(chars => new string(chars))
            .Array[1, 8]
            .Sample(ids => AssertSameAsReference(Output(Month("2026-10", [.. ids.Select(id => Result(id: id))]))), iter: Iterations);

    [Fact]
    public void Random_evaluations_come_out_as_the_reference_writes_them() =>
        AnInput.Sample(
            input =>
            {
                var result = Evaluator.Evaluate(input, Seed);
                AssertSameAsReference(result);

                // The streaming path, month by month as they are computed.
                using var stream = new MemoryStream();
                EvaluationJson.Evaluate(InputValidator.Check(input, Seed), stream);
                Assert.Equal(Expected(result), stream.ToArray());
            },
            iter: Iterations);

    // Random inputs: up to 6 months from 2025-11, not necessarily contiguous; up to 8 employees with ids of every kind
    // of character; amounts with every scale the contract allows, negative other pay; absences that now and then exclude.
    private static readonly Gen<EmployeeMonthInput> AnEmployee = Gen.Select(
        Gen.OneOf(Gen.Const(-1), Gen.Int[40, 100]),
        Gen.Int[40, 100],
        Gen.Long[0, 20_000_000].Select(Gen.Int[0, 2], (c, s) => c / (s == 0 ? 1m : s == 1 ? 10m : 100m)),
        Gen.Long[0, 20_000_000].Select(Gen.Int[0, 2], (c, s) => c / (s == 0 ? 1m : s == 1 ? 10m : 100m)),
        Gen.OneOf(Gen.Const(0), Gen.Int[0, 28]),
        Gen.Int[-100000, 100000].Select(Gen.Bool, (c, cents) => cents ? c / 100m : c),
        Gen.Int[0, 19].Select(i => i switch { 0 => (bool?)false, 1 => true, _ => null }),
        (self, supervisor, plan, actual, absent, other, @override) =>
            new EmployeeMonthInput("?", null, self < 0 ? null : Scores(self), Scores(supervisor), plan, actual, absent, other, @override, @override is null ? null : "人事决定"));

    private static readonly Gen<string> AnId = Gen.OneOf(
        Gen.Int[1, 12].Select(i => $"E{i:D3}"),
        Gen.Char["E1张😀\"\\<&\u0001 "].Array[1, 4].Select(chars => new string(chars)));

    private static readonly Gen<EvaluationInput> AnInput =
        from monthMask in Gen.Int[0, 63]
        from employees in Gen.Select(AnId, AnEmployee, (id, e) => e with { Id = id }).Array[0, 8].Array[6]
        select new EvaluationInput([
            .. Enumerable.Range(0, 6)
                .Where(m => (monthMask & (1 << m)) != 0)
                .Select(m => new MonthInput(
                    YearMonth.Parse("2025-11").PlusMonths(m),
                    [.. employees[m].DistinctBy(e => e.Id, StringComparer.Ordinal).Where(e => !string.IsNullOrWhiteSpace(e.Id))])),
        ]);

    // ------------------------------------------------------------------------------------------------------------
    // Decimals

    private static string Utf8FormatterText(decimal value)
    {
        Span<byte> text = stackalloc byte[64];
        Assert.True(Utf8Formatter.TryFormat(value, text, out var written));
        return Encoding.UTF8.GetString(text[..written]);
    }

    private static string WriterText(decimal value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteNumberValue(value);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string DecimalTextOf(decimal value)
    {
        // Past the end is garbage: a writer that wrote more than it reported would be caught.
        var text = new byte[NumberText.MaxLength + 8];
        text.AsSpan().Fill((byte)'#');
        var written = NumberText.Write(value, text);
        Assert.All(text[written..], b => Assert.Equal((byte)'#', b));
        return Encoding.UTF8.GetString(text, 0, written);
    }

    private static void AssertDecimal(decimal value)
    {
        var expected = Utf8FormatterText(value);
        Assert.Equal(expected, WriterText(value));
        Assert.Equal(expected, DecimalTextOf(value));
    }

    public static TheoryData<decimal> EdgeDecimals()
    {
        var data = new TheoryData<decimal>
        {
            0m, 1m, -1m, 1500.00m, 0.012m, 0.00m, -12.50m, 85.2m, 0.1m, -0.1m, 10m, 100m, 1e-28m, -1e-28m,
            decimal.MaxValue, decimal.MinValue, decimal.One / 3, -decimal.One / 3, 79228162514264337593543950335m / 1e28m,
            decimal.Negate(0m), decimal.Negate(0.00m), new decimal(0, 0, 0, true, 28), new decimal(0, 0, 0, false, 28),
        };
        foreach (var mantissa in new[] { 1UL, 9UL, 10UL, 99UL, 12345UL, uint.MaxValue, (ulong)uint.MaxValue + 1, 9_999_999_999_999_999_999UL, 10_000_000_000_000_000_000UL, ulong.MaxValue - 1, ulong.MaxValue })
        {
            for (byte scale = 0; scale <= 28; scale++)
            {
                foreach (var negative in new[] { false, true })
                {
                    data.Add(new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, negative, scale));
                }
            }
        }

        for (byte scale = 0; scale <= 28; scale++)
        {
            // Just above 2^64, and the largest mantissa: the formatter's own path.
            data.Add(new decimal(0, 0, 1, false, scale));
            data.Add(new decimal(-1, -1, -1, true, scale));
            data.Add(new decimal(0, 0, 0, false, scale));
            data.Add(new decimal(0, 0, 0, true, scale));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EdgeDecimals))]
    public void Decimals_at_the_edges_are_written_as_the_formatter_writes_them(decimal value) => AssertDecimal(value);

    [Fact]
    public void Decimals_of_the_contract_example()
    {
        Assert.Equal("1500.00", DecimalTextOf(1500.00m));
        Assert.Equal("0.012", DecimalTextOf(0.012m));
        Assert.Equal("0.00", DecimalTextOf(0.00m));
        Assert.Equal("0.00", DecimalTextOf(decimal.Negate(0.00m)));
        Assert.Equal("-12.50", DecimalTextOf(-12.50m));
        Assert.Equal("0", DecimalTextOf(0m));
    }

    [Fact]
    public void Random_decimals_are_written_as_the_formatter_writes_them() =>
        Gen.Select(
                Gen.UInt,
                Gen.OneOf(Gen.Const(0u), Gen.UInt[0, 9], Gen.UInt),
                Gen.OneOf(Gen.Const(0u), Gen.Const(0u), Gen.UInt[0, 9], Gen.UInt),
                Gen.Bool,
                Gen.Byte[0, 28],
                (lo, mid, hi, negative, scale) => new decimal((int)lo, (int)mid, (int)hi, negative, scale))
            .Sample(AssertDecimal, iter: 10_000);

    [Fact]
    public void Random_amounts_are_written_as_the_formatter_writes_them() =>
        Gen.Select(Gen.Long[-100_000_000_00, 100_000_000_00], Gen.Int[0, 4], (cents, scale) => cents / (decimal)Math.Pow(10, scale))
            .Sample(AssertDecimal, iter: 10_000);

    [Fact]
    public void Decimals_of_csCheck_are_written_as_the_formatter_writes_them() =>
        Gen.Decimal.Sample(AssertDecimal, iter: 10_000);

    private static void AssertInt(int value)
    {
        Span<byte> expected = stackalloc byte[16];
        Assert.True(Utf8Formatter.TryFormat(value, expected, out var length));
        var text = new byte[16];
        text.AsSpan().Fill((byte)'#');
        var written = NumberText.Write(value, text);
        Assert.Equal(Encoding.UTF8.GetString(expected[..length]), Encoding.UTF8.GetString(text, 0, written));
        Assert.All(text[written..], b => Assert.Equal((byte)'#', b));
    }

    [Fact]
    public void Whole_numbers_at_the_edges_are_written_as_the_formatter_writes_them()
    {
        foreach (var value in new[] { 0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 9999, 10000, 99999, 100000, 1 << 20, int.MaxValue - 1, int.MaxValue, -1, -10, int.MinValue })
        {
            AssertInt(value);
        }

        for (var power = 1; power <= 1_000_000_000; power *= 10)
        {
            AssertInt(power - 1);
            AssertInt(power);
            AssertInt(power + 1);
            AssertInt(-power);
        }
    }

    [Fact]
    public void Random_whole_numbers_are_written_as_the_formatter_writes_them() =>
        Gen.OneOf(Gen.Int, Gen.Int[0, 1000], Gen.Int[0, 1_000_000]).Sample(AssertInt, iter: 10_000);

    /// <summary>
    /// The output code as it was with <see cref="Utf8JsonWriter"/>, verbatim but for names: the definition of
    /// the bytes the new writer must produce.
    /// </summary>
    private static class Reference
    {
        private static readonly JsonWriterOptions WriterOptions = new()
        {
            Indented = true,
            IndentSize = 2,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = true,
        };

        public static void WriteOutput(EvaluationResult result, Stream destination) => WriteMonths(result.Months, destination);

        public static void WriteMonths(IEnumerable<MonthResult> months, Stream destination)
        {
            using var writer = new Utf8JsonWriter(destination, WriterOptions);
            WriteMonths(months, writer);
        }

        private static void WriteMonths(IEnumerable<MonthResult> months, Utf8JsonWriter w)
        {
            var bands = new EncodedBands();
            w.WriteStartObject();
            w.WriteStartArray(Names.Months);
            foreach (var month in months)
            {
                w.WriteStartObject();
                w.WriteString(Names.Month, month.Month.ToString());
                w.WriteStartArray(Names.Results);
                foreach (var r in month.Results)
                {
                    WriteResult(r, w, bands);
                    if (w.BytesPending > 1 << 16)
                    {
                        w.Flush();
                    }
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.Flush();
        }

        private static void WriteResult(EmployeeResult r, Utf8JsonWriter w, EncodedBands bands)
        {
            var grade = r.Grade is null ? null : bands[r.Grade];
            w.WriteStartObject();
            w.WriteString(Names.Id, r.Id);
            w.WriteBoolean(Names.Eligible, r.Eligible);
            WriteNullable(w, Names.SelfTotal, r.SelfTotal);
            w.WriteNumber(Names.SupervisorTotal, r.SupervisorTotal);
            if (r.Score is { } score)
            {
                w.WriteNumber(Names.Score, score);
            }
            else
            {
                w.WriteNull(Names.Score);
            }

            WriteText(w, Names.Grade, grade?.Label);
            WriteText(w, Names.Level, bands[r.PayGrade].Level);
            w.WriteNumber(Names.PositionSalary, r.PositionSalary);
            WriteText(w, Names.Training, grade?.Training);
            WriteText(w, Names.Promotion, grade?.Promotion);
            w.WriteNumber(Names.CommissionRate, r.CommissionTier.Rate);
            w.WriteNumber(Names.Commission, r.Commission);
            w.WriteNumber(Names.Bonus, r.Bonus);
            w.WriteNumber(Names.OtherPay, r.OtherPay);
            w.WriteNumber(Names.TotalPay, r.TotalPay);
            WriteNullable(w, Names.Rank, r.Rank);
            WriteNullable(w, Names.SalesRank, r.SalesRank);
            w.WriteStartArray(Names.Flags);
            if ((r.Flags & ResultFlags.ConsecutiveFail) != 0)
            {
                w.WriteStringValue(Names.ConsecutiveFail);
            }

            if ((r.Flags & ResultFlags.EligibilityOverridden) != 0)
            {
                w.WriteStringValue(Names.EligibilityOverridden);
            }

            if ((r.Flags & ResultFlags.LastInScoreAndSales) != 0)
            {
                w.WriteStringValue(Names.LastInScoreAndSales);
            }

            if ((r.Flags & ResultFlags.SelfMissing) != 0)
            {
                w.WriteStringValue(Names.SelfMissing);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        private static void WriteNullable(Utf8JsonWriter w, JsonEncodedText name, int? value)
        {
            if (value is { } v)
            {
                w.WriteNumber(name, v);
            }
            else
            {
                w.WriteNull(name);
            }
        }

        private static void WriteText(Utf8JsonWriter w, JsonEncodedText name, JsonEncodedText? text)
        {
            if (text is { } encoded)
            {
                w.WriteString(name, encoded);
            }
            else
            {
                w.WriteNull(name);
            }
        }

        private static class Names
        {
            public static readonly JsonEncodedText Months = Encode("months");
            public static readonly JsonEncodedText Month = Encode("month");
            public static readonly JsonEncodedText Results = Encode("results");
            public static readonly JsonEncodedText Id = Encode("id");
            public static readonly JsonEncodedText Eligible = Encode("eligible");
            public static readonly JsonEncodedText SelfTotal = Encode("selfTotal");
            public static readonly JsonEncodedText SupervisorTotal = Encode("supervisorTotal");
            public static readonly JsonEncodedText Score = Encode("score");
            public static readonly JsonEncodedText Grade = Encode("grade");
            public static readonly JsonEncodedText Level = Encode("level");
            public static readonly JsonEncodedText PositionSalary = Encode("positionSalary");
            public static readonly JsonEncodedText Training = Encode("training");
            public static readonly JsonEncodedText Promotion = Encode("promotion");
            public static readonly JsonEncodedText CommissionRate = Encode("commissionRate");
            public static readonly JsonEncodedText Commission = Encode("commission");
            public static readonly JsonEncodedText Bonus = Encode("bonus");
            public static readonly JsonEncodedText OtherPay = Encode("otherPay");
            public static readonly JsonEncodedText EligibilityOverridden = Encode("eligibilityOverridden");
            public static readonly JsonEncodedText TotalPay = Encode("totalPay");
            public static readonly JsonEncodedText Rank = Encode("rank");
            public static readonly JsonEncodedText SalesRank = Encode("salesRank");
            public static readonly JsonEncodedText Flags = Encode("flags");
            public static readonly JsonEncodedText ConsecutiveFail = Encode("consecutiveFail");
            public static readonly JsonEncodedText LastInScoreAndSales = Encode("lastInScoreAndSales");
            public static readonly JsonEncodedText SelfMissing = Encode("selfMissing");

            public static JsonEncodedText Encode(string text) => JsonEncodedText.Encode(text, WriterOptions.Encoder);
        }

        private sealed class EncodedBands
        {
            private readonly List<(GradeBand Band, EncodedBand Encoded)> known = [];

            public EncodedBand this[GradeBand band]
            {
                get
                {
                    foreach (var (b, encoded) in known)
                    {
                        if (ReferenceEquals(b, band))
                        {
                            return encoded;
                        }
                    }

                    var added = new EncodedBand(
                        Names.Encode(band.Label.Zh),
                        Names.Encode(band.Level.Zh),
                        Names.Encode(band.Training.Zh),
                        band.Promotion is null ? null : Names.Encode(band.Promotion.Zh));
                    known.Add((band, added));
                    return added;
                }
            }
        }

        private sealed record EncodedBand(JsonEncodedText Label, JsonEncodedText Level, JsonEncodedText Training, JsonEncodedText? Promotion);
    }
}
