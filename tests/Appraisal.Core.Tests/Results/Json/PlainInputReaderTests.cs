using System.Globalization;
using System.Text;
using Appraisal.Core.Results;
using Appraisal.Core.Results.Json;
using static Appraisal.Core.Tests.Build;

namespace Appraisal.Core.Tests.Results.Json;

/// <summary>
/// The fast reader of plain input (PlainInputReader) against the general reader: whatever it accepts, the general
/// reader accepts too with the same values (decimal scales included); everything the general reader rejects, it
/// gives up on; and the inputs exports write are plain, so that the fast way is really taken.
/// </summary>
public class PlainInputReaderTests
{
    private static EvaluationInput? Plain(string json) =>
        PlainInputReader.TryRead(new MemoryStream(Encoding.UTF8.GetBytes(json)), Seed)?.Input;

    private static EvaluationInput? General(string json)
    {
        try
        {
            return EvaluationJson.ReadInput(Encoding.UTF8.GetBytes(json).AsSpan(), Seed).Input;
        }
        catch (ProblemsException)
        {
            return null;
        }
    }

    /// <summary>The same months and employees with the same values; decimals compared bit for bit, so 1.50 is not 1.5.</summary>
    private static void AssertSame(EvaluationInput expected, EvaluationInput actual)
    {
        Assert.Equal(expected.Months.Length, actual.Months.Length);
        for (var m = 0; m < expected.Months.Length; m++)
        {
            var (em, am) = (expected.Months[m], actual.Months[m]);
            Assert.Equal(em.Month, am.Month);
            Assert.Equal(em.Employees.Length, am.Employees.Length);
            for (var i = 0; i < em.Employees.Length; i++)
            {
                var (e, a) = (em.Employees[i], am.Employees[i]);
                Assert.Equal(e.Id, a.Id);
                Assert.Equal(e.Name, a.Name);
                Assert.Equal(e.Self, a.Self);
                Assert.Equal(e.Supervisor, a.Supervisor);
                Assert.Equal(decimal.GetBits(e.SalesPlan), decimal.GetBits(a.SalesPlan));
                Assert.Equal(decimal.GetBits(e.SalesActual), decimal.GetBits(a.SalesActual));
                Assert.Equal(e.AbsentDays, a.AbsentDays);
                Assert.Equal(decimal.GetBits(e.OtherPay), decimal.GetBits(a.OtherPay));
                Assert.Equal(e.EligibilityOverride, a.EligibilityOverride);
                Assert.Equal(e.EligibilityReason, a.EligibilityReason);
            }
        }
    }

    private static string Scores(string items) => "{" + string.Join(",", ItemKeys.Zip(items.Split(' '), (k, v) => $"\"{k}\":{v}")) + "}";

    private static string Doc(string employee, string month = "2026-10") =>
        $"{{\"months\":[{{\"month\":\"{month}\",\"employees\":[{employee}]}}]}}";

    private static string Employee(string fields = "") =>
        "{\"id\":\"E001\",\"supervisor\":" + Scores("5 8 9 4 34 17 3 4") + ",\"salesPlan\":100000,\"salesActual\":158000.50" + fields + "}";

    [Theory]
    [InlineData("0")]
    [InlineData("7")]
    [InlineData("100000")]
    [InlineData("158000.50")]
    [InlineData("0.00")]
    [InlineData("0.0000000000000000000000000001")]
    [InlineData("0.10")]
    [InlineData("1000000000000")]
    [InlineData("999999999999.9999999")]
    [InlineData("1234567890123456789")]
    public void Amounts_are_the_decimals_the_general_reader_gives_scale_included(string number)
    {
        var json = Doc(Employee().Replace("158000.50", number, StringComparison.Ordinal));
        var plain = Plain(json);
        var general = General(json);

        if (general is null)
        {
            Assert.Null(plain);
            return;
        }

        Assert.NotNull(plain);
        AssertSame(general, plain);
    }

    [Theory]
    [InlineData("1e5")]
    [InlineData("1E+2")]
    [InlineData("-0")]
    [InlineData("12345678901234567890")]
    [InlineData("1.5000000000000000000")]
    [InlineData("0.00000000000000000000000000001")]
    [InlineData("-5")]
    [InlineData("1000000000000.01")]
    public void Unusual_or_invalid_amounts_are_left_to_the_general_reader(string number)
    {
        var json = Doc(Employee().Replace("158000.50", number, StringComparison.Ordinal));

        Assert.Null(Plain(json));
    }

    [Theory]
    [InlineData(",\"otherPay\":-12.50")]
    [InlineData(",\"otherPay\":0.5")]
    [InlineData(",\"absentDays\":31")]
    [InlineData(",\"absentDays\":0")]
    [InlineData(",\"name\":null,\"self\":null")]
    [InlineData(",\"name\":\"张三 🙂\"")]
    [InlineData(",\"name\":\"a/b<c>&'\"")]
    [InlineData(",\"eligibility\":{\"eligible\":true,\"reason\":\"产假按规定计入出勤\"}")]
    [InlineData(",\"eligibility\":{\"reason\":\"停职\",\"eligible\":false}")]
    [InlineData(",\"eligibility\": { \"eligible\" : false , \"reason\" : \" x \" } ")]
    [InlineData(",\"eligibility\":null")]
    public void Optional_fields_read_as_the_general_reader_reads_them(string fields)
    {
        var json = Doc(Employee(fields));
        var general = General(json);
        var plain = Plain(json);

        Assert.NotNull(general);
        Assert.NotNull(plain);
        AssertSame(general, plain);
    }

    [Theory]
    [InlineData(",\"absentDays\":32")]
    [InlineData(",\"otherPay\":1.001")]
    [InlineData(",\"absentDays\":3.0")]
    [InlineData(",\"name\":\"a\\u0041\"")]
    [InlineData(",\"name\":\"tab\\there\"")]
    [InlineData(",\"extra\":1")]
    [InlineData(",\"id\":\"E002\"")]
    [InlineData(",\"eligibility\":{\"eligible\":true}")]
    [InlineData(",\"eligibility\":{\"reason\":\"r\"}")]
    [InlineData(",\"eligibility\":{\"eligible\":true,\"reason\":\" \"}")]
    [InlineData(",\"eligibility\":{\"eligible\":true,\"reason\":\"\"}")]
    [InlineData(",\"eligibility\":{\"eligible\":1,\"reason\":\"r\"}")]
    [InlineData(",\"eligibility\":{\"eligible\":truex,\"reason\":\"r\"}")]
    [InlineData(",\"eligibility\":{\"eligible\":true,\"reason\":null}")]
    [InlineData(",\"eligibility\":{\"eligible\":true,\"reason\":\"r\",\"by\":\"hr\"}")]
    [InlineData(",\"eligibility\":{\"eligible\":true,\"eligible\":true,\"reason\":\"r\"}")]
    [InlineData(",\"eligibility\":{\"eligible\":true,\"reason\":\"a\\u0041\"}")]
    [InlineData(",\"eligibility\":{}")]
    [InlineData(",\"eligibility\":true")]
    [InlineData(",\"eligibility\":null,\"eligibility\":null")]
    public void Anything_else_is_left_to_the_general_reader(string fields)
    {
        Assert.Null(Plain(Doc(Employee(fields))));
    }

    [Fact]
    public void A_blank_id_is_left_to_the_general_reader_even_after_the_same_text_as_a_name()
    {
        var first = Employee(",\"name\":\"  \"");
        var second = Employee().Replace("\"E001\"", "\"  \"", StringComparison.Ordinal);
        var json = Doc(first + "," + second);

        Assert.Null(General(json));
        Assert.Null(Plain(json));
    }

    [Theory]
    [InlineData("E001")]
    [InlineData("张三丰-客服部-0001")]
    [InlineData("EMPLOYEE-0000000000000001")]
    public void A_repeated_id_in_a_month_is_left_to_the_general_reader_short_or_long(string id)
    {
        var one = Employee().Replace("E001", id, StringComparison.Ordinal);
        var other = Employee().Replace("E001", id + "X", StringComparison.Ordinal);

        Assert.NotNull(Plain(Doc(one + "," + other)));
        Assert.Null(Plain(Doc(one + "," + other + "," + one)));
    }

    [Fact]
    public void Scores_outside_the_items_range_or_not_whole_are_left_to_the_general_reader()
    {
        foreach (var bad in new[] { "6 8 9 4 34 17 3 4", "5 8 9 4 34 17 3 -1", "5 8 9 4 34.0 17 3 4", "5 8 9 4 041 17 3 4" })
        {
            var json = Doc(Employee(",\"self\":" + Scores(bad)));
            Assert.Null(Plain(json));
        }
    }

    [Fact]
    public void Inputs_as_exports_write_them_are_read_the_fast_way_with_the_general_readers_values()
    {
        var random = new Random(20261127);
        for (var run = 0; run < 200; run++)
        {
            var json = RandomDocument(random, indented: run % 2 == 0);
            var general = General(json);
            var plain = Plain(json);

            Assert.True(general is not null, json);
            Assert.True(plain is not null, json);
            AssertSame(general, plain);
            Assert.Empty(InputValidator.Validate(plain, Seed));
        }
    }

    [Fact]
    public void Whatever_the_fast_reader_accepts_of_damaged_input_the_general_reader_reads_the_same()
    {
        // Single-byte changes, cuts and insertions of valid documents: most are bad input, some still valid.
        var random = new Random(7);
        var accepted = 0;
        var rejected = 0;
        for (var run = 0; run < 3000; run++)
        {
            var bytes = Encoding.UTF8.GetBytes(RandomDocument(random, indented: run % 3 == 0, maxMonths: 2, maxEmployees: 2)).ToList();
            var at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0:
                    const string Replacements = " {}[]\",:.-+eE0123456789aun\\\u00e9\t";
                    bytes[at] = (byte)Replacements[random.Next(Replacements.Length)];
                    break;
                case 1:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 2:
                    bytes.Insert(at, (byte)" ,0-.\"}]e"[random.Next(9)]);
                    break;
                default:
                    bytes.RemoveAt(at);
                    break;
            }

            var json = bytes.ToArray();
            var plain = PlainInputReader.TryRead(new MemoryStream(json), Seed)?.Input;
            var whole = Outcome(() => EvaluationJson.ReadInput(json.AsSpan(), Seed));
            var general = whole.Input;

            // The general reader gives the same problems however the stream is cut into blocks.
            if (run % 10 == 0)
            {
                var blocks = Outcome(() => GeneralInputReader.Read(new MemoryStream(json), Seed, blockSize: 4 + (run % 61)));
                Assert.Equal(whole.Problems, blocks.Problems);
            }

            if (plain is null)
            {
                rejected++;
                continue;
            }

            accepted++;
            Assert.True(general is not null, $"the fast reader accepted bad input: {Encoding.UTF8.GetString(json)}");
            AssertSame(general, plain);
        }

        // Both outcomes occur, so the comparison above was really made.
        Assert.True(accepted > 50 && rejected > 1000, $"accepted {accepted}, rejected {rejected}");
    }

    [Fact]
    public void Reading_a_stream_gives_what_reading_the_bytes_gives_fast_or_not()
    {
        var random = new Random(11);
        foreach (var json in new[]
        {
            RandomDocument(random, indented: false),
            Doc(Employee(",\"absentDays\":40")),
            Doc(Employee(",\"name\":\"a\\u0041\"")),
            "{\"months\":[]}",
            "\uFEFF" + Doc(Employee()),
        })
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            var fromBytes = Outcome(() => EvaluationJson.ReadInput(bytes.AsSpan(), Seed));
            // A stream positioned after some other bytes: the fallback reads again from where it started.
            var stream = new MemoryStream([.. "xyz"u8, .. bytes]) { Position = 3 };
            var fromStream = Outcome(() => EvaluationJson.ReadInput(stream, Seed));

            Assert.Equal(fromBytes.Problems, fromStream.Problems);
            if (fromBytes.Input is { } input)
            {
                AssertSame(input, fromStream.Input!);
            }
        }
    }

    [Fact]
    public void Evaluate_from_a_stream_gives_the_output_of_reading_then_evaluating()
    {
        var random = new Random(5);
        for (var run = 0; run < 30; run++)
        {
            var json = RandomDocument(random, indented: false, shuffleMonths: run % 3 == 0);
            var expected = EvaluationJson.WriteOutput(Evaluator.Evaluate(EvaluationJson.ReadInput(Encoding.UTF8.GetBytes(json).AsSpan(), Seed)));

            var output = EvaluationJson.Evaluate(new MemoryStream(Encoding.UTF8.GetBytes(json)), Seed);
            var written = new MemoryStream();
            output.WriteTo(written);

            Assert.Equal(expected, Encoding.UTF8.GetString(written.ToArray()));
        }
    }

    [Fact]
    public void Evaluate_from_a_stream_reports_the_problems_of_bad_input()
    {
        var json = Doc(Employee(",\"absentDays\":40") + "," + Employee().Replace("E001", "E002", StringComparison.Ordinal).Replace("100000", "-1", StringComparison.Ordinal));
        var expected = Assert.Throws<ProblemsException>(() => EvaluationJson.ReadInput(Encoding.UTF8.GetBytes(json).AsSpan(), Seed));

        var actual = Assert.Throws<ProblemsException>(() => EvaluationJson.Evaluate(new MemoryStream(Encoding.UTF8.GetBytes(json)), Seed));

        Assert.Equal(expected.Problems, actual.Problems);
        Assert.Equal(2, actual.Problems.Count);
    }

    private static (EvaluationInput? Input, IReadOnlyList<Problem>? Problems) Outcome(Func<ValidatedInput> read)
    {
        try
        {
            return (read().Input, null);
        }
        catch (ProblemsException ex)
        {
            return (null, ex.Problems);
        }
    }

    /// <summary>
    /// A valid document as a program would write it: fields in varying order, optional ones present or not, null
    /// self-assessments and names, Chinese names, amounts with 0–2 decimals, white space when indented.
    /// </summary>
    private static string RandomDocument(Random random, bool indented, int maxMonths = 4, int maxEmployees = 6, bool shuffleMonths = false)
    {
        var nl = indented ? "\n  " : string.Empty;
        var sp = indented ? " " : string.Empty;
        var months = Enumerable.Range(0, random.Next(1, maxMonths + 1)).Select(m => $"2026-{m + 1:00}").ToList();
        if (shuffleMonths)
        {
            months = [.. months.OrderBy(_ => random.Next())];
        }

        var text = new StringBuilder("{" + nl + "\"months\":" + sp + "[");
        for (var m = 0; m < months.Count; m++)
        {
            var employees = new List<string>();
            foreach (var id in Enumerable.Range(1, random.Next(0, maxEmployees + 1)).Select(i => $"E{i:000}").OrderBy(_ => random.Next()))
            {
                var fields = new List<string>
                {
                    $"\"id\":{sp}\"{id}\"",
                    $"\"supervisor\":{sp}{RandomScores(random, sp)}",
                    $"\"salesPlan\":{sp}{RandomAmount(random)}",
                    $"\"salesActual\":{sp}{RandomAmount(random)}",
                };
                switch (random.Next(3))
                {
                    case 0:
                        fields.Add($"\"self\":{sp}{RandomScores(random, sp)}");
                        break;
                    case 1:
                        fields.Add($"\"self\":{sp}null");
                        break;
                }

                switch (random.Next(3))
                {
                    case 0:
                        fields.Add($"\"name\":{sp}\"{"张王李赵"[random.Next(4)]}{"一二三"[random.Next(3)]}\"");
                        break;
                    case 1:
                        fields.Add($"\"name\":{sp}null");
                        break;
                }

                if (random.Next(2) == 0)
                {
                    fields.Add($"\"absentDays\":{sp}{random.Next(0, 29)}");
                }

                // HR's override of eligibility (D14) on about one employee-month in eight, either way.
                if (random.Next(8) == 0)
                {
                    var parts = new[] { $"\"eligible\":{sp}{(random.Next(2) == 0 ? "true" : "false")}", $"\"reason\":{sp}\"{Reasons[random.Next(Reasons.Length)]}\"" };
                    fields.Add($"\"eligibility\":{sp}{{{string.Join("," + sp, random.Next(2) == 0 ? parts : parts.Reverse())}}}");
                }

                if (random.Next(2) == 0)
                {
                    fields.Add($"\"otherPay\":{sp}{(random.Next(4) == 0 ? "-" : string.Empty)}{random.Next(1, 2000)}.{random.Next(0, 100):00}");
                }

                employees.Add("{" + string.Join("," + sp, fields.OrderBy(_ => random.Next())) + "}");
            }

            var month = new[] { $"\"month\":{sp}\"{months[m]}\"", $"\"employees\":{sp}[{nl}{string.Join("," + nl, employees)}]" };
            text.Append((m > 0 ? "," : string.Empty) + nl + "{" + string.Join("," + sp, random.Next(2) == 0 ? month : month.Reverse()) + "}");
        }

        return text.Append(nl + "]" + nl + "}" + (indented ? "\n" : string.Empty)).ToString();
    }

    private static readonly string[] Reasons = ["产假按规定计入出勤", "停职调查期间", "工伤", "HR decision 2026/11"];

    private static string RandomScores(Random random, string sp) =>
        "{" + string.Join("," + sp, ItemKeys.Select((k, i) => (k, i)).OrderBy(_ => random.Next(4) == 0 ? random.Next() : 0)
            .Select(p => $"\"{p.k}\":{sp}{random.Next(0, ItemMax[p.i] + 1)}")) + "}";

    private static string RandomAmount(Random random) => random.Next(3) switch
    {
        0 => random.Next(0, 300000).ToString(CultureInfo.InvariantCulture),
        1 => $"{random.Next(0, 300000)}.{random.Next(0, 10)}",
        _ => $"{random.Next(0, 300000)}.{random.Next(0, 100):00}",
    };
}
