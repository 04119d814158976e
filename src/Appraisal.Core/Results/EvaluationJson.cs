using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;

namespace Appraisal.Core.Results;

/// <summary>
/// The JSON of the evaluate contract (evaluate-contract.md): a strict reader that reports every
/// problem with month, employee and field, and a streaming writer. Numbers are read as
/// <see cref="decimal"/> straight from their text, never through binary floating point (D9).
/// </summary>
public static class EvaluationJson
{
    // Inputs that ReadInput found valid, with the policy they were checked against. An input is immutable all
    // the way down, so Evaluate need not check it again (on a large input that is a few per cent of the run).
    private static readonly ConditionalWeakTable<EvaluationInput, PolicyDocument> ValidInputs = new();

    /// <summary>
    /// Reads and validates an input document; throws <see cref="ProblemsException"/> listing every
    /// problem (syntax, types, unknown or missing fields, and <see cref="InputValidator"/>'s checks).
    /// </summary>
    public static EvaluationInput ReadInput(ReadOnlySpan<byte> utf8Json, PolicyDocument policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        // A UTF-8 byte-order mark is common from Windows editors and is not part of the JSON (as for a stream).
        if (utf8Json.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }

        var problems = new List<Problem>();
        EvaluationInput input;
        try
        {
            var parser = new InputParser(policy, problems);
            input = parser.Parse(utf8Json);
        }
        catch (JsonException ex)
        {
            throw NotJson(ex);
        }
        catch (InvalidOperationException ex) when (ex.InnerException is DecoderFallbackException)
        {
            throw NotUtf8();
        }

        return Validated(input, policy, problems);
    }

    /// <summary>
    /// Reads and validates an input document from a stream, as <see cref="ReadInput(ReadOnlySpan{byte}, PolicyDocument)"/>
    /// does from bytes, with the same problems and positions. The stream is read in small blocks, so the
    /// document is never held in memory as a whole; a leading UTF-8 byte-order mark is skipped.
    /// I/O errors of the stream propagate as they are.
    /// </summary>
    public static EvaluationInput ReadInput(Stream utf8Json, PolicyDocument policy)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentNullException.ThrowIfNull(policy);
        if (utf8Json.CanSeek)
        {
            // Most input is in the plain form a program writes, which PlainInputReader reads several times faster;
            // anything else, bad input included, is read again from the start by the general reader.
            var start = utf8Json.Position;
            if (PlainInputReader.TryRead(utf8Json, policy) is { } plain)
            {
                ValidInputs.AddOrUpdate(plain, policy);
                return plain;
            }

            utf8Json.Position = start;
        }

        return ReadGeneral(utf8Json, policy);
    }

    /// <summary>
    /// The general reader alone, block by block; the block size is a parameter so that tests can cut the input anywhere.
    /// 64 KiB: refills are rare and the block stays in cache; it grows only for a longer token.
    /// </summary>
    internal static EvaluationInput ReadGeneral(Stream utf8Json, PolicyDocument policy, int blockSize = 1 << 16)
    {
        var problems = new List<Problem>();
        EvaluationInput input;
        try
        {
            var parser = new InputParser(policy, problems);
            input = parser.Parse(utf8Json, blockSize);
        }
        catch (JsonException ex)
        {
            throw NotJson(ex);
        }
        catch (InvalidOperationException ex) when (ex.InnerException is DecoderFallbackException)
        {
            throw NotUtf8();
        }

        return Validated(input, policy, problems);
    }

    /// <summary>
    /// The reader checks the UTF-8 of a text only when it is decoded, which for a property name (an unknown field or
    /// item) is in the middle of the checks; the place is not known there, only that the input is not UTF-8.
    /// </summary>
    private static ProblemsException NotUtf8() =>
        new([new Problem(string.Empty, "输入含有不是有效 UTF-8 的字节，请以 UTF-8 编码保存", "the input contains bytes that are not valid UTF-8; save it as UTF-8")]);

    private static EvaluationInput Validated(EvaluationInput input, PolicyDocument policy, List<Problem> problems)
    {
        problems.AddRange(InputValidator.Validate(input, policy));
        if (problems.Count > 0)
        {
            throw new ProblemsException(problems);
        }

        ValidInputs.AddOrUpdate(input, policy);
        return input;
    }

    private static ProblemsException NotJson(JsonException ex)
    {
        var line = (ex.LineNumber ?? 0) + 1;
        var column = (ex.BytePositionInLine ?? 0) + 1;
        return new ProblemsException([new Problem(
            string.Create(CultureInfo.InvariantCulture, $"行 line {line}, 列 column {column}"),
            "输入不是有效的 JSON",
            $"the input is not valid JSON: {WithoutPosition(ex.Message)}")]);
    }

    /// <summary>
    /// System.Text.Json ends its messages with " LineNumber: 2 | BytePositionInLine: 25.", counted
    /// from 0; beside our 1-based "line 3, column 26" that read as a contradiction, so it is cut off.
    /// </summary>
    internal static string WithoutPosition(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        if (cut < 0)
        {
            cut = message.IndexOf(" LineNumber: ", StringComparison.Ordinal);
        }

        return cut < 0 ? message : message[..cut];
    }

    /// <summary>Writes <paramref name="result"/> as the contract's output JSON (UTF-8, indented).</summary>
    public static void WriteOutput(EvaluationResult result, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(result);
        ResultWriter.Write(result.Months, destination);
    }

    /// <summary>Writes <paramref name="result"/> as the contract's output JSON.</summary>
    public static void WriteOutput(EvaluationResult result, IBufferWriter<byte> destination)
    {
        ArgumentNullException.ThrowIfNull(result);
        ResultWriter.Write(result.Months, destination);
    }

    /// <summary>The contract's output JSON as a string.</summary>
    public static string WriteOutput(EvaluationResult result)
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteOutput(result, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Evaluates <paramref name="input"/> and writes the contract's output JSON: the same bytes as
    /// <see cref="WriteOutput(EvaluationResult, Stream)"/> of <see cref="Evaluator.Evaluate"/>, but each month is
    /// written as soon as it is computed and then dropped, so a large run never holds all its results.
    /// Throws <see cref="ProblemsException"/>, before writing anything, when the input is not valid.
    /// </summary>
    public static void Evaluate(EvaluationInput input, PolicyDocument policy, Stream destination)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(destination);
        if (!(ValidInputs.TryGetValue(input, out var checkedWith) && ReferenceEquals(checkedWith, policy)))
        {
            var problems = InputValidator.Validate(input, policy);
            if (problems.Count > 0)
            {
                throw new ProblemsException(problems);
            }
        }

        if (!Evaluator.CannotFail(input, policy))
        {
            // An amount near decimal's limits might overflow in some month: compute them all before the first
            // byte is written, so that a failure leaves no partial output behind.
            WriteOutput(Evaluator.EvaluateValidated(input, policy), destination);
            return;
        }

        ResultWriter.Write(OneAhead(Evaluator.EvaluateMonths(input, policy)), destination);
    }

    /// <summary>
    /// The whole of <c>evaluate</c>: reads and checks an input document from a stream and evaluates it. Throws
    /// <see cref="ProblemsException"/> listing every problem when the input is not valid, having written nothing;
    /// otherwise returns the output, to be written with <see cref="EvaluationOutput.WriteTo"/>.
    /// </summary>
    /// <remarks>
    /// Input in the plain form (<see cref="PlainInputReader"/>) with its months in chronological order, as exports
    /// write them, is computed on a second thread while it is still being read, each month as soon as it has been
    /// read; the output is written once the whole input is known to be valid, the months not yet computed then
    /// still being computed. Other input is read first, then computed while it is written
    /// (<see cref="Evaluate(EvaluationInput, PolicyDocument, Stream)"/>).
    /// </remarks>
    public static EvaluationOutput Evaluate(Stream utf8Json, PolicyDocument policy)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        ArgumentNullException.ThrowIfNull(policy);
        if (utf8Json.CanSeek && Evaluator.CannotFail(policy))
        {
            var start = utf8Json.Position;
            if (ReadWhileComputing(utf8Json, policy) is { } output)
            {
                return output;
            }

            // Not plain: the general reader, which reports every problem (the fast one has read it already).
            utf8Json.Position = start;
            return new EvaluationOutput(ReadGeneral(utf8Json, policy), policy);
        }

        return new EvaluationOutput(ReadInput(utf8Json, policy), policy);
    }

    /// <summary>
    /// Reads plain input, handing each month to a second thread that computes it; null when the input is not
    /// plain, to be read again from the start. Computed months are held until written, so a large run holds its
    /// results (the benchmark's 1 000 000 employee-months peak at about 400 MB, docs/benchmarks.md).
    /// </summary>
    private static EvaluationOutput? ReadWhileComputing(Stream utf8Json, PolicyDocument policy)
    {
        // Disposed by the thread that computes, which goes on after this method has returned.
        var read = new BlockingCollection<MonthInput>();
        var computed = new BlockingCollection<MonthResult>();
        var abandoned = false;
        var computing = Task.Run(() =>
        {
            try
            {
                var sequence = new Evaluator.MonthSequence(policy);
                foreach (var month in read.GetConsumingEnumerable())
                {
                    if (!Volatile.Read(ref abandoned))
                    {
                        computed.Add(sequence.Next(month));
                    }
                }
            }
            finally
            {
                computed.CompleteAdding();
                read.Dispose();
            }
        });

        // Months out of chronological order stop the handing over; they are computed after the reading, sorted.
        YearMonth? last = null;
        var inOrder = true;
        EvaluationInput? input;
        try
        {
            input = PlainInputReader.TryRead(utf8Json, policy, month =>
            {
                inOrder &= last is not { } previous || month.Month > previous;
                last = month.Month;
                if (inOrder)
                {
                    read.Add(month);
                }
            });
        }
        finally
        {
            read.CompleteAdding();
        }

        if (input is not null && inOrder)
        {
            return new EvaluationOutput(computed, computing);
        }

        Volatile.Write(ref abandoned, true);
        computing.GetAwaiter().GetResult();
        computed.Dispose();
        if (input is null)
        {
            return null;
        }

        ValidInputs.AddOrUpdate(input, policy);
        return new EvaluationOutput(input, policy);
    }

    /// <summary>
    /// The months of <paramref name="months"/>, each next one computed on another thread while the caller writes
    /// the current one: writing a month takes a fraction of the time computing one does (about a tenth), and on
    /// two cores the two overlap. Months are still computed one after another, in order; at most two are held at a time.
    /// </summary>
    private static IEnumerable<MonthResult> OneAhead(IEnumerable<MonthResult> months)
    {
        using var enumerator = months.GetEnumerator();
        var next = Task.Run(enumerator.MoveNext);
        try
        {
            // GetResult, not Result: a failure surfaces as itself, not wrapped in an AggregateException.
            while (next.GetAwaiter().GetResult())
            {
                var current = enumerator.Current;
                next = Task.Run(enumerator.MoveNext);
                yield return current;
            }
        }
        finally
        {
            // Should writing fail, the month in progress must finish before the enumerator is disposed under it;
            // its own outcome no longer matters.
            next.ContinueWith(static _ => { }, TaskScheduler.Default).Wait();
        }
    }

    /// <summary>Writes months, as they are enumerated, as the contract's output JSON.</summary>
    internal static void WriteMonths(IEnumerable<MonthResult> months, Stream destination) => ResultWriter.Write(months, destination);

    /// <summary>
    /// A single pass over the input with <see cref="Utf8JsonReader"/>; collects problems instead of stopping.
    /// Reads either one span (a final block) or a stream block by block: every read and skip goes through
    /// <see cref="Next"/> and <see cref="Skip"/>, which refill the buffer and carry the reader's state over, so
    /// tokens, problems and error positions are the same however the input is cut into blocks.
    /// </summary>
    private sealed class InputParser(PolicyDocument policy, List<Problem> problems)
    {
        private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 };

        private readonly ImmutableArray<PolicyItem> items = policy.Items;
        private readonly byte[][] itemKeys = [.. policy.Items.Select(i => Encoding.UTF8.GetBytes(i.Key))];

        // Problems of the employee being read; one list reused for all, since almost every employee has none.
        private readonly List<(string Field, string Zh, string En)> local = [];

        // The same ids and names come back every month, and assessments repeat (a few thousand distinct ones
        // among hundreds of thousands): one instance per distinct value instead of one per occurrence keeps a
        // year of input less than half the size in memory. Both are immutable, so sharing them is safe.
        private readonly PackedPool<string> strings = new();
        private readonly PackedPool<ItemScores> assessments = new();
        private readonly Recent recentIds = new();
        private readonly Recent recentNames = new();

        // The scores of the assessment being read, before the pooled instance is looked up.
        private readonly int[] scratch = new int[policy.Items.Length];

        // Problems inside a month are held until the month's label is known (it may come last).
        private List<(string? Id, string Field, string Zh, string En)>? pending;

        // Stream input only: the source; its current block, buffer[0..length]; the reader's state at the
        // block's start; and whether the block runs to the end of the input.
        private Stream? source;
        private byte[] buffer = [];
        private int length;
        private JsonReaderState blockState;
        private bool lastBlock;

        public EvaluationInput Parse(ReadOnlySpan<byte> json)
        {
            var reader = new Utf8JsonReader(json, ReaderOptions);
            return ParseDocument(ref reader);
        }

        public EvaluationInput Parse(Stream json, int blockSize)
        {
            source = json;
            buffer = new byte[Math.Max(blockSize, 4)];
            Fill();
            // A UTF-8 byte-order mark is common from Windows editors and is not part of the JSON.
            if (buffer.AsSpan(0, length).StartsWith("\uFEFF"u8))
            {
                buffer.AsSpan(3, length - 3).CopyTo(buffer);
                length -= 3;
            }

            blockState = new JsonReaderState(ReaderOptions);
            var reader = new Utf8JsonReader(buffer.AsSpan(0, length), lastBlock, blockState);
            try
            {
                return ParseDocument(ref reader);
            }
            catch (JsonException ex) when (!lastBlock)
            {
                throw AsIfWhole(ex);
            }
        }

        private EvaluationInput ParseDocument(ref Utf8JsonReader reader)
        {
            Read(ref reader);
            var months = ImmutableArray.CreateBuilder<MonthInput>();
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                problems.Add(new Problem(string.Empty, "输入须为 JSON 对象 {\"months\": [...]}", "the input must be a JSON object {\"months\": [...]}"));
                Skip(ref reader);
                ExpectEnd(ref reader);
                return new EvaluationInput(months.ToImmutable());
            }

            var sawMonths = false;
            while (Read(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("months"u8) && !sawMonths)
                {
                    sawMonths = true;
                    Read(ref reader);
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        problems.Add(new Problem("months", "应为数组", "expected an array"));
                        Skip(ref reader);
                        continue;
                    }

                    while (Read(ref reader) != JsonTokenType.EndArray)
                    {
                        if (ParseMonth(ref reader, months.Count) is { } month)
                        {
                            months.Add(month);
                        }
                    }
                }
                else
                {
                    UnknownProperty(ref reader, null, null, string.Empty);
                }
            }

            if (!sawMonths)
            {
                problems.Add(new Problem("months", "缺少必填字段 months", "the required field months is missing"));
            }

            ExpectEnd(ref reader);
            return new EvaluationInput(months.ToImmutable());
        }

        private MonthInput? ParseMonth(ref Utf8JsonReader reader, int index)
        {
            var label = $"months[{index}]";
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                problems.Add(new Problem(label, "应为对象 {\"month\": ..., \"employees\": [...]}", "expected an object {\"month\": ..., \"employees\": [...]}"));
                Skip(ref reader);
                return null;
            }

            pending = null;
            YearMonth? month = null;
            string? monthText = null;
            var employees = ImmutableArray.CreateBuilder<EmployeeMonthInput>();
            var sawEmployees = false;
            while (Read(ref reader) == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("month"u8) && monthText is null)
                {
                    Read(ref reader);
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        monthText = reader.GetString()!;
                        if (YearMonth.TryParse(monthText, out var parsed))
                        {
                            month = parsed;
                        }
                        else
                        {
                            Defer(null, "month", $"\"{monthText}\" 不是有效月份，应为 YYYY-MM（月份 01–12）", $"\"{monthText}\" is not a valid month, expected YYYY-MM (month 01–12)");
                        }
                    }
                    else
                    {
                        monthText = string.Empty;
                        Defer(null, "month", "应为字符串 YYYY-MM", "expected a string YYYY-MM");
                        Skip(ref reader);
                    }
                }
                else if (reader.ValueTextEquals("employees"u8) && !sawEmployees)
                {
                    sawEmployees = true;
                    Read(ref reader);
                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        Defer(null, "employees", "应为数组", "expected an array");
                        Skip(ref reader);
                        continue;
                    }

                    var e = 0;
                    while (Read(ref reader) != JsonTokenType.EndArray)
                    {
                        if (ParseEmployee(ref reader, e++) is { } employee)
                        {
                            employees.Add(employee);
                        }
                    }
                }
                else
                {
                    var name = reader.GetString();
                    Defer(null, name ?? string.Empty, $"未知或重复的字段 \"{name}\"", $"unknown or repeated field \"{name}\"");
                    Read(ref reader);
                    Skip(ref reader);
                }
            }

            if (monthText is null)
            {
                Defer(null, "month", "缺少必填字段 month", "the required field month is missing");
            }

            if (!sawEmployees)
            {
                Defer(null, "employees", "缺少必填字段 employees", "the required field employees is missing");
            }

            if (pending is not null)
            {
                var where = month?.ToString() ?? (string.IsNullOrEmpty(monthText) ? label : monthText);
                foreach (var (id, field, zh, en) in pending)
                {
                    problems.Add(new Problem(InputValidator.Where(where, id, field), zh, en));
                }

                pending = null;
            }

            // A month with problems is still returned (ReadInput throws once any problem is known) so
            // that InputValidator checks its other employees too: the contract asks for every problem,
            // and dropping the month hid e.g. a score above max beside another employee's type error.
            return month is { } m ? new MonthInput(m, employees.ToImmutable()) : null;
        }

        private EmployeeMonthInput? ParseEmployee(ref Utf8JsonReader reader, int index)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                Defer(null, $"employees[{index}]", "应为对象", "expected an object");
                Skip(ref reader);
                return null;
            }

            string? id = null;
            string? name = null;
            ItemScores? self = null;
            ItemScores? supervisor = null;
            decimal? plan = null;
            decimal? actual = null;
            int? absent = null;
            decimal? other = null;
            var seen = 0;
            local.Clear();
            while (Read(ref reader) == JsonTokenType.PropertyName)
            {
                var field = FieldOf(ref reader);
                if (field < 0 || (seen & (1 << field)) != 0)
                {
                    var text = reader.GetString() ?? string.Empty;
                    local.Add((text, field < 0 ? $"未知字段 \"{text}\"" : $"字段 \"{text}\" 重复", field < 0 ? $"unknown field \"{text}\"" : $"field \"{text}\" appears twice"));
                    Read(ref reader);
                    Skip(ref reader);
                    continue;
                }

                seen |= 1 << field;
                Read(ref reader);
                switch (field)
                {
                    case 0:
                        id = ReadString(ref reader, "id", local, nullable: false, recentIds, index);
                        break;
                    case 1:
                        name = ReadString(ref reader, "name", local, nullable: true, recentNames, index);
                        break;
                    case 2:
                        self = ReadScores(ref reader, "self", "自评", local, nullable: true);
                        break;
                    case 3:
                        supervisor = ReadScores(ref reader, "supervisor", "主管评分", local, nullable: false);
                        break;
                    case 4:
                        plan = ReadDecimal(ref reader, "salesPlan", local);
                        break;
                    case 5:
                        actual = ReadDecimal(ref reader, "salesActual", local);
                        break;
                    case 6:
                        absent = ReadInteger(ref reader, "absentDays", local);
                        break;
                    default:
                        other = ReadDecimal(ref reader, "otherPay", local);
                        break;
                }
            }

            if ((seen & 1) == 0)
            {
                local.Add(("id", "缺少必填字段 id", "the required field id is missing"));
            }

            if ((seen & (1 << 3)) == 0)
            {
                local.Add(("supervisor", "缺少必填字段 supervisor（主管评分）", "the required field supervisor is missing"));
            }

            if ((seen & (1 << 4)) == 0)
            {
                local.Add(("salesPlan", "缺少必填字段 salesPlan（计划销售额）", "the required field salesPlan is missing"));
            }

            if ((seen & (1 << 5)) == 0)
            {
                local.Add(("salesActual", "缺少必填字段 salesActual（实际销售额）", "the required field salesActual is missing"));
            }

            if (local.Count > 0)
            {
                var who = id ?? $"employees[{index}]";
                foreach (var (field, zh, en) in local)
                {
                    Defer(who, field, zh, en);
                }

                // Every problem, not just the first (contract): the employee still goes through
                // InputValidator's checks of its other fields (absence, score ranges, duplicate id).
                // Fields that failed stand as 0, which no check rejects; nothing is evaluated,
                // because ReadInput throws once any problem is known.
                return id is null ? null : new EmployeeMonthInput(id, name, self, supervisor ?? ItemScores.Wrap(new int[items.Length]),
                    plan ?? 0m, actual ?? 0m, absent ?? 0, other ?? 0m);
            }

            return new EmployeeMonthInput(id!, name, self, supervisor!, plan!.Value, actual!.Value, absent ?? 0, other ?? 0m);
        }

        private static int FieldOf(ref Utf8JsonReader reader) =>
            reader.ValueTextEquals("id"u8) ? 0
            : reader.ValueTextEquals("name"u8) ? 1
            : reader.ValueTextEquals("self"u8) ? 2
            : reader.ValueTextEquals("supervisor"u8) ? 3
            : reader.ValueTextEquals("salesPlan"u8) ? 4
            : reader.ValueTextEquals("salesActual"u8) ? 5
            : reader.ValueTextEquals("absentDays"u8) ? 6
            : reader.ValueTextEquals("otherPay"u8) ? 7
            : -1;

        private ItemScores? ReadScores(ref Utf8JsonReader reader, string field, string fieldZh, List<(string, string, string)> local, bool nullable)
        {
            if (nullable && reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                local.Add((field, $"{fieldZh}应为对象，各项目键对应整数分", $"expected an object of item scores"));
                Skip(ref reader);
                return null;
            }

            var scores = scratch.AsSpan();
            scores.Clear();
            // Policies have a handful of items; only a pathological one would not fit on the stack.
            var seen = items.Length <= 64 ? stackalloc bool[items.Length] : new bool[items.Length];
            var position = 0;
            while (Read(ref reader) == JsonTokenType.PropertyName)
            {
                var index = ItemIndex(ref reader, position++);
                var key = index >= 0 ? items[index].Key : reader.GetString() ?? string.Empty;
                Read(ref reader);
                if (index < 0)
                {
                    local.Add(($"{field}.{key}", $"未知考核项目 \"{key}\"，应为 {string.Join("、", items.Select(i => i.Key))}",
                        $"unknown item \"{key}\", expected one of {string.Join(", ", items.Select(i => i.Key))}"));
                    Skip(ref reader);
                    continue;
                }

                if (seen[index])
                {
                    local.Add(($"{field}.{key}", "考核项目重复", "the item appears twice"));
                    Skip(ref reader);
                    continue;
                }

                seen[index] = true;
                var item = items[index];
                if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var whole))
                {
                    // The common case, plain digits: the same value as the decimal path below, much faster.
                    scores[index] = whole;
                }
                else if (reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var value) && decimal.IsInteger(value)
                    && value >= int.MinValue && value <= int.MaxValue)
                {
                    scores[index] = (int)value;
                }
                else
                {
                    // D3: fractions, strings and other types are rejected with the allowed range.
                    local.Add(($"{field}.{key}", $"{fieldZh}「{item.Name.Zh}」须为 0 到 {item.Max} 之间的整数，实际为 {Describe(ref reader)}",
                        $"{field} score for {key} must be a whole number from 0 to {item.Max}, got {Describe(ref reader)}"));
                    Skip(ref reader);
                }
            }

            for (var i = 0; i < items.Length; i++)
            {
                if (!seen[i])
                {
                    local.Add(($"{field}.{items[i].Key}", $"缺少{fieldZh}项目「{items[i].Name.Zh}」（0 到 {items[i].Max} 的整数）",
                        $"the {field} score for {items[i].Key} is missing (a whole number from 0 to {items[i].Max})"));
                }
            }

            // Items with problems (recorded in local) stand as 0 so that the other items are still
            // range-checked by InputValidator; such an employee is only checked, never evaluated.
            return Pooled(scores);
        }

        private int ItemIndex(ref Utf8JsonReader reader, int expected)
        {
            // Items usually come in sheet order; try that one first.
            if (expected < itemKeys.Length && reader.ValueTextEquals(itemKeys[expected]))
            {
                return expected;
            }

            for (var i = 0; i < itemKeys.Length; i++)
            {
                if (reader.ValueTextEquals(itemKeys[i]))
                {
                    return i;
                }
            }

            return -1;
        }

        private string? ReadString(ref Utf8JsonReader reader, string field, List<(string, string, string)> local, bool nullable, Recent recent, int index)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                return Pooled(ref reader, recent, index);
            }

            if (nullable && reader.TokenType == JsonTokenType.Null)
            {
                return null;
            }

            local.Add((field, $"应为字符串，实际为 {Describe(ref reader)}", $"expected a string, got {Describe(ref reader)}"));
            Skip(ref reader);
            return null;
        }

        /// <summary>
        /// The current string token as <see cref="Utf8JsonReader.GetString"/> gives it, but one instance per distinct
        /// value. Looked up by its raw bytes, so a value seen before is not decoded again; it was decoded (and would
        /// have failed, for invalid UTF-8) the first time.
        /// </summary>
        private string Pooled(ref Utf8JsonReader reader, Recent recent, int index)
        {
            // Ids and names are short. Escaped text has other raw bytes than the same text unescaped; rare.
            var raw = reader.ValueSpan;
            if (reader.ValueIsEscaped || raw.Length > 16)
            {
                return reader.GetString()!;
            }

            var key = PackedText(raw);
            if (recent.Find(index, key) is { } known)
            {
                return known;
            }

            if (!strings.TryGetValue(key, out var value))
            {
                value = reader.GetString()!;
                strings.Add(key, value);
            }

            recent.Remember(index, key, value);
            return value;
        }

        /// <summary>The one instance of an assessment with these scores (scores of 0–255 for up to 16 items, as any real sheet has).</summary>
        private ItemScores Pooled(ReadOnlySpan<int> scores) => PooledAssessment(assessments, scores);

        private decimal? ReadDecimal(ref Utf8JsonReader reader, string field, List<(string, string, string)> local)
        {
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var value))
            {
                return value;
            }

            local.Add((field, $"应为数字（金额，元），实际为 {Describe(ref reader)}", $"expected a number (yuan), got {Describe(ref reader)}"));
            Skip(ref reader);
            return null;
        }

        private int? ReadInteger(ref Utf8JsonReader reader, string field, List<(string, string, string)> local)
        {
            if (reader.TokenType == JsonTokenType.Number && reader.TryGetDecimal(out var value) && decimal.IsInteger(value)
                && value >= int.MinValue && value <= int.MaxValue)
            {
                return (int)value;
            }

            local.Add((field, $"应为整数（天），实际为 {Describe(ref reader)}", $"expected a whole number of days, got {Describe(ref reader)}"));
            Skip(ref reader);
            return null;
        }

        private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
        {
            JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
            JsonTokenType.String => $"\"{reader.GetString()}\"",
            JsonTokenType.True => "true",
            JsonTokenType.False => "false",
            JsonTokenType.Null => "null",
            JsonTokenType.StartObject => "{…}",
            JsonTokenType.StartArray => "[…]",
            _ => reader.TokenType.ToString(),
        };

        private void UnknownProperty(ref Utf8JsonReader reader, string? month, string? id, string prefix)
        {
            var name = reader.GetString() ?? string.Empty;
            problems.Add(new Problem(InputValidator.Where(month, id, prefix + name), $"未知或重复的字段 \"{name}\"", $"unknown or repeated field \"{name}\""));
            Read(ref reader);
            Skip(ref reader);
        }

        private void Defer(string? id, string field, string zh, string en) => (pending ??= []).Add((id, field, zh, en));

        private JsonTokenType Read(ref Utf8JsonReader reader)
        {
            if (!Next(ref reader))
            {
                throw new JsonException("unexpected end of input");
            }

            return reader.TokenType;
        }

        private void ExpectEnd(ref Utf8JsonReader reader)
        {
            if (Next(ref reader))
            {
                throw new JsonException("unexpected data after the end of the document", null, null, reader.BytesConsumed);
            }
        }

        /// <summary>Reads the next token, refilling as needed; false only at the end of the whole input.</summary>
        private bool Next(ref Utf8JsonReader reader)
        {
            while (!reader.Read())
            {
                if (reader.IsFinalBlock)
                {
                    return false;
                }

                Refill(ref reader);
            }

            return true;
        }

        /// <summary>Skips the current value with its children, refilling as needed (<see cref="Utf8JsonReader.Skip"/> needs them all in one block).</summary>
        private void Skip(ref Utf8JsonReader reader)
        {
            if (reader.IsFinalBlock)
            {
                reader.Skip();
                return;
            }

            // TrySkip leaves the reader where it was when the value does not end inside the block.
            while (!reader.TrySkip())
            {
                Refill(ref reader);
            }
        }

        /// <summary>
        /// Keeps the bytes the reader has not consumed (a token cut by the block's end), reads more after them,
        /// and continues with a new reader from the old one's state, which carries depth, line and column.
        /// </summary>
        private void Refill(ref Utf8JsonReader reader)
        {
            var consumed = checked((int)reader.BytesConsumed);
            buffer.AsSpan(consumed, length - consumed).CopyTo(buffer);
            length -= consumed;
            if (length > buffer.Length / 2)
            {
                // A long token, or a long value being skipped (which starts over after each refill):
                // doubling keeps that linear.
                Array.Resize(ref buffer, checked(buffer.Length * 2));
            }

            blockState = reader.CurrentState;
            Fill();
            reader = new Utf8JsonReader(buffer.AsSpan(0, length), lastBlock, blockState);
        }

        /// <summary>Reads until the buffer is full or the stream has ended.</summary>
        private void Fill()
        {
            while (length < buffer.Length)
            {
                var read = source!.Read(buffer, length, buffer.Length - length);
                if (read == 0)
                {
                    lastBlock = true;
                    return;
                }

                length += read;
            }
        }

        /// <summary>
        /// Some of the reader's messages quote the rest of the input from the error on (an invalid literal
        /// such as <c>nul</c>), which for a block is only the rest of the block. Reads the rest of the stream
        /// and reads this block's tokens again over all of it, so that the error is the one the whole
        /// document in one span gives. Only on this failure path is the rest of the input held in memory.
        /// </summary>
        private JsonException AsIfWhole(JsonException error)
        {
            while (!lastBlock)
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, checked(buffer.Length * 2));
                }

                Fill();
            }

            var reader = new Utf8JsonReader(buffer.AsSpan(0, length), isFinalBlock: true, blockState);
            try
            {
                while (reader.Read())
                {
                }
            }
            catch (JsonException again)
            {
                return again;
            }

            return error;
        }
    }

    /// <summary>
    /// The key of a text of at most 16 raw bytes in a <see cref="PackedPool{T}"/>: the bytes zero-padded, which
    /// keeps texts apart because raw JSON string bytes are never 0 (control characters must be escaped).
    /// </summary>
    internal static UInt128 PackedText(ReadOnlySpan<byte> raw)
    {
        Span<byte> packed = stackalloc byte[16];
        packed.Clear();
        raw.CopyTo(packed);
        return MemoryMarshal.Read<UInt128>(packed);
    }

    /// <summary>The one instance in <paramref name="pool"/> of an assessment with these scores (0–255 for up to 16 items, as any real sheet has).</summary>
    internal static ItemScores PooledAssessment(PackedPool<ItemScores> pool, ReadOnlySpan<int> scores)
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

    /// <summary>
    /// The pool of one kind of value, by the value packed into 16 bytes: an open-addressing table with the keys
    /// beside their values, so that a lookup costs one cache miss (a Dictionary's buckets and entries cost two).
    /// On a large input these lookups, four per employee-month, are otherwise a tenth of the run.
    /// </summary>
    internal sealed class PackedPool<T>
        where T : class
    {
        private (UInt128 Key, T? Value)[] slots = new (UInt128, T?)[1 << 10];
        private int count;

        public bool TryGetValue(UInt128 key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out T? value)
        {
            var mask = slots.Length - 1;
            for (var i = Hash(key) & mask; ; i = (i + 1) & mask)
            {
                ref var slot = ref slots[i];
                if (slot.Value is null || slot.Key == key)
                {
                    value = slot.Value;
                    return value is not null;
                }
            }
        }

        public void Add(UInt128 key, T value)
        {
            // At most half full, so that probes stay short.
            if (2 * (count + 1) > slots.Length)
            {
                var old = slots;
                slots = new (UInt128, T?)[old.Length * 2];
                foreach (var (k, v) in old)
                {
                    if (v is not null)
                    {
                        Insert(k, v);
                    }
                }
            }

            Insert(key, value);
            count++;
        }

        private void Insert(UInt128 key, T value)
        {
            var mask = slots.Length - 1;
            var i = Hash(key) & mask;
            while (slots[i].Value is not null)
            {
                i = (i + 1) & mask;
            }

            slots[i] = (key, value);
        }

        private static int Hash(UInt128 key)
        {
            unchecked
            {
                // Mixes every bit (as SplitMix64 does): UInt128's own hash folds halves with XOR, and packed
                // scores, small numbers byte by byte, would collide all the time.
                var h = (ulong)key ^ ((ulong)(key >> 64) * 0x9E3779B97F4A7C15UL);
                h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9UL;
                h = (h ^ (h >> 27)) * 0x94D049BB133111EBUL;
                return (int)(h ^ (h >> 31)) & int.MaxValue;
            }
        }
    }

    /// <summary>
    /// The pooled string met at each position of the previous month's employee list. Exports list employees in
    /// the same order month after month, so the value at the same position is usually the one being read: a
    /// look at the next element of an array walked in order, instead of a random access into the whole pool.
    /// </summary>
    internal sealed class Recent
    {
        private (UInt128 Key, string? Value)[] slots = new (UInt128, string?)[64];

        public string? Find(int index, UInt128 key) =>
            index < slots.Length && slots[index] is { Value: { } value } slot && slot.Key == key ? value : null;

        public void Remember(int index, UInt128 key, string value)
        {
            if (index >= slots.Length)
            {
                Array.Resize(ref slots, Math.Max(slots.Length * 2, index + 1));
            }

            slots[index] = (key, value);
        }
    }
}
