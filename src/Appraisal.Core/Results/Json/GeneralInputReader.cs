using System.Collections.Immutable;
using System.Text;
using System.Text.Json;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;

namespace Appraisal.Core.Results.Json;

/// <summary>
/// The general reader of the evaluate contract's input (docs/evaluate.md): reads any document and reports every
/// problem with month, employee and field (D3) — syntax, types, unknown, repeated or missing fields — then runs
/// <see cref="InputValidator"/>'s checks, so that what it returns is a <see cref="ValidatedInput"/>. Numbers are read
/// as <see cref="decimal"/> straight from their text, never through binary floating point (D9).
/// </summary>
/// <remarks>
/// A single pass over the input with <see cref="Utf8JsonReader"/>; collects problems instead of stopping.
/// Reads either one span (a final block) or a stream block by block: every read and skip goes through
/// <see cref="Next"/> and <see cref="Skip"/>, which refill the buffer and carry the reader's state over, so
/// tokens, problems and error positions are the same however the input is cut into blocks.
/// </remarks>
internal sealed class GeneralInputReader(PolicyDocument policy)
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 16 };

    private readonly ImmutableArray<PolicyItem> items = policy.Items;
    private readonly byte[][] itemKeys = [.. policy.Items.Select(i => Encoding.UTF8.GetBytes(i.Key))];

    // Problems of the employee being read; one list reused for all, since almost every employee has none.
    private readonly List<(string Field, string Zh, string En)> local = [];

    // One instance per distinct id, name and assessment: a year of input less than half the size in memory.
    private readonly TextPool ids = new();
    private readonly TextPool names = new();
    private readonly AssessmentPool assessments = new();

    // The scores of the assessment being read, before the pooled instance is looked up.
    private readonly int[] scratch = new int[policy.Items.Length];

    // Problems of syntax, types and fields, before InputValidator's checks; problems inside a month are held in
    // pending until the month's label is known (it may come last).
    private readonly List<Problem> problems = [];

    private List<(string? Id, string Field, string Zh, string En)>? pending;

    // Stream input only: the source; its current block, buffer[0..length]; the reader's state at the
    // block's start; and whether the block runs to the end of the input.
    private Stream? source;
    private byte[] buffer = [];
    private int length;
    private JsonReaderState blockState;
    private bool lastBlock;

    /// <summary>
    /// Reads and checks a whole document held in memory; throws <see cref="ProblemsException"/> listing every problem
    /// (syntax, types, unknown or missing fields, and <see cref="InputValidator"/>'s checks).
    /// </summary>
    public static ValidatedInput Read(ReadOnlySpan<byte> utf8Json, PolicyDocument policy)
    {
        // A UTF-8 byte-order mark is common from Windows editors and is not part of the JSON (as for a stream).
        if (utf8Json.StartsWith("\uFEFF"u8))
        {
            utf8Json = utf8Json[3..];
        }

        var reader = new GeneralInputReader(policy);
        EvaluationInput input;
        try
        {
            input = reader.Parse(utf8Json);
        }
        catch (Exception ex) when (JsonProblems.Of(ex) is { } problems)
        {
            throw problems;
        }

        return InputValidator.Check(input, policy, reader.problems);
    }

    /// <summary>
    /// Reads and checks a document from a stream, block by block, with the same problems and positions as
    /// <see cref="Read(ReadOnlySpan{byte}, PolicyDocument)"/>; the document is never held whole. The block size is a
    /// parameter so that tests can cut the input anywhere; 64 KiB: refills are rare and the block stays in cache, and
    /// it grows only for a longer token. I/O errors of the stream propagate as they are.
    /// </summary>
    public static ValidatedInput Read(Stream utf8Json, PolicyDocument policy, int blockSize = 1 << 16)
    {
        var reader = new GeneralInputReader(policy);
        EvaluationInput input;
        try
        {
            input = reader.Parse(utf8Json, blockSize);
        }
        catch (Exception ex) when (JsonProblems.Of(ex) is { } problems)
        {
            throw problems;
        }

        return InputValidator.Check(input, policy, reader.problems);
    }

    private EvaluationInput Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        return ParseDocument(ref reader);
    }

    private EvaluationInput Parse(Stream json, int blockSize)
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
        ReadToken(ref reader);
        var months = ImmutableArray.CreateBuilder<MonthInput>();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            problems.Add(new Problem(string.Empty, "输入须为 JSON 对象 {\"months\": [...]}", "the input must be a JSON object {\"months\": [...]}"));
            Skip(ref reader);
            ExpectEnd(ref reader);
            return new EvaluationInput(months.ToImmutable());
        }

        var sawMonths = false;
        while (ReadToken(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("months"u8) && !sawMonths)
            {
                sawMonths = true;
                ReadToken(ref reader);
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    problems.Add(new Problem("months", "应为数组", "expected an array"));
                    Skip(ref reader);
                    continue;
                }

                while (ReadToken(ref reader) != JsonTokenType.EndArray)
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
        while (ReadToken(ref reader) == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("month"u8) && monthText is null)
            {
                ReadToken(ref reader);
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
                ReadToken(ref reader);
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    Defer(null, "employees", "应为数组", "expected an array");
                    Skip(ref reader);
                    continue;
                }

                var e = 0;
                while (ReadToken(ref reader) != JsonTokenType.EndArray)
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
                ReadToken(ref reader);
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
        (bool? Eligible, string? Reason) eligibility = default;
        var seen = 0;
        local.Clear();
        while (ReadToken(ref reader) == JsonTokenType.PropertyName)
        {
            var field = FieldOf(ref reader);
            if (field < 0 || (seen & (1 << field)) != 0)
            {
                var text = reader.GetString() ?? string.Empty;
                local.Add((text, field < 0 ? $"未知字段 \"{text}\"" : $"字段 \"{text}\" 重复", field < 0 ? $"unknown field \"{text}\"" : $"field \"{text}\" appears twice"));
                ReadToken(ref reader);
                Skip(ref reader);
                continue;
            }

            seen |= 1 << field;
            ReadToken(ref reader);
            switch (field)
            {
                case 0:
                    id = ReadString(ref reader, "id", local, nullable: false, ids, index);
                    break;
                case 1:
                    name = ReadString(ref reader, "name", local, nullable: true, names, index);
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
                case 7:
                    other = ReadDecimal(ref reader, "otherPay", local);
                    break;
                default:
                    eligibility = ReadEligibility(ref reader, local);
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
                plan ?? 0m, actual ?? 0m, absent ?? 0, other ?? 0m, eligibility.Eligible, eligibility.Reason);
        }

        return new EmployeeMonthInput(id!, name, self, supervisor!, plan!.Value, actual!.Value, absent ?? 0, other ?? 0m, eligibility.Eligible, eligibility.Reason);
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
        : reader.ValueTextEquals("eligibility"u8) ? 8
        : -1;

    /// <summary>
    /// HR's override of eligibility (D14): <c>{"eligible": true|false, "reason": "…"}</c>, both required, the reason not
    /// blank, nothing else; null is no override. Every problem goes to <paramref name="local"/>, and an override with any
    /// problem is read as none, so that <see cref="InputValidator"/> does not report it again.
    /// </summary>
    private (bool? Eligible, string? Reason) ReadEligibility(ref Utf8JsonReader reader, List<(string, string, string)> local)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return default;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            local.Add(("eligibility", $"参评资格调整应为对象 {{\"eligible\": true 或 false, \"reason\": \"原因\"}}，实际为 {Describe(ref reader)}",
                $"expected an object {{\"eligible\": true or false, \"reason\": \"...\"}}, got {Describe(ref reader)}"));
            Skip(ref reader);
            return default;
        }

        var before = local.Count;
        bool? eligible = null;
        string? reason = null;
        var sawEligible = false;
        var sawReason = false;
        while (ReadToken(ref reader) == JsonTokenType.PropertyName)
        {
            var isEligible = reader.ValueTextEquals("eligible"u8);
            var isReason = !isEligible && reader.ValueTextEquals("reason"u8);
            var key = reader.GetString() ?? string.Empty;
            ReadToken(ref reader);
            if ((!isEligible && !isReason) || (isEligible && sawEligible) || (isReason && sawReason))
            {
                local.Add(($"eligibility.{key}", isEligible || isReason ? $"字段 \"{key}\" 重复" : $"未知字段 \"{key}\"，应为 eligible、reason",
                    isEligible || isReason ? $"field \"{key}\" appears twice" : $"unknown field \"{key}\", expected eligible, reason"));
                Skip(ref reader);
            }
            else if (isEligible)
            {
                sawEligible = true;
                if (reader.TokenType is JsonTokenType.True or JsonTokenType.False)
                {
                    eligible = reader.TokenType == JsonTokenType.True;
                }
                else
                {
                    local.Add(("eligibility.eligible", $"是否参评应为 true 或 false，实际为 {Describe(ref reader)}", $"expected true or false, got {Describe(ref reader)}"));
                    Skip(ref reader);
                }
            }
            else
            {
                sawReason = true;
                if (reader.TokenType == JsonTokenType.String)
                {
                    reason = reader.GetString();
                    if (!InputValidator.IsOverrideReason(reason))
                    {
                        local.Add(("eligibility.reason", InputValidator.ReasonRequiredZh, InputValidator.ReasonRequiredEn));
                    }
                }
                else
                {
                    local.Add(("eligibility.reason", $"调整原因应为字符串，实际为 {Describe(ref reader)}", $"expected a string, got {Describe(ref reader)}"));
                    Skip(ref reader);
                }
            }
        }

        if (!sawEligible)
        {
            local.Add(("eligibility.eligible", "缺少必填字段 eligible（是否参评：true 或 false）", "the required field eligible is missing (true or false)"));
        }

        if (!sawReason)
        {
            local.Add(("eligibility.reason", "缺少必填字段 reason（调整原因）", "the required field reason is missing"));
        }

        return local.Count == before ? (eligible, reason) : default;
    }

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
        while (ReadToken(ref reader) == JsonTokenType.PropertyName)
        {
            var index = ItemIndex(ref reader, position++);
            var key = index >= 0 ? items[index].Key : reader.GetString() ?? string.Empty;
            ReadToken(ref reader);
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
        return assessments.Pooled(scores);
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

    private string? ReadString(ref Utf8JsonReader reader, string field, List<(string, string, string)> local, bool nullable, TextPool pool, int index)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return Pooled(ref reader, pool, index);
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
    private static string Pooled(ref Utf8JsonReader reader, TextPool pool, int index)
    {
        // Ids and names are short. Escaped text has other raw bytes than the same text unescaped; rare.
        var raw = reader.ValueSpan;
        if (reader.ValueIsEscaped || raw.Length > TextPool.MaxLength)
        {
            return reader.GetString()!;
        }

        return pool.Find(raw, index, out var key) ?? pool.Add(key, index, reader.GetString()!);
    }

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
        ReadToken(ref reader);
        Skip(ref reader);
    }

    private void Defer(string? id, string field, string zh, string en) => (pending ??= []).Add((id, field, zh, en));

    private JsonTokenType ReadToken(ref Utf8JsonReader reader)
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
