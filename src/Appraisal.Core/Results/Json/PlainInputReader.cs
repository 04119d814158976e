using System.Collections.Immutable;
using System.Text;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;

namespace Appraisal.Core.Results.Json;

/// <summary>
/// The evaluate contract's input (docs/evaluate.md) read the fast way, for input in the plain form that exports
/// and payroll systems write: strings without escapes, numbers without exponents, each field once, nothing wrong.
/// It gives up (returns null) on anything else, a problem of any kind or merely an unusual form, and the caller then
/// reads the input again with the general reader, which reports every problem with its place (D3). Whatever it
/// accepts, the general reader accepts too and reads to the same values, so the reader only ever changes speed.
/// On a large input the general reader's token-by-token work was most of an evaluate run.
/// </summary>
internal sealed class PlainInputReader
{
    // The stream is read in blocks of this size into one buffer that is reused throughout.
    private const int BlockSize = 1 << 20;

    // Before each employee (and month) at least this much input is in the buffer, so that the parsing in between
    // never needs a refill; an employee longer than this (a lot of white space) is not plain.
    private const int Ahead = 1 << 16;

    // Zeros after the data: a 0 byte is never valid where the parser looks (control characters must be escaped in
    // strings), so it stops every scan at the end of the data, and comparing a key may look a little past the end.
    private const int Padding = 64;

    private const decimal MaxAmount = InputValidator.MaxAmount;

    private readonly Stream source;
    private readonly ImmutableArray<PolicyItem> items;
    private readonly byte[][] itemKeys;
    private readonly int moneyDecimals;
    private readonly int[] scratch;
    private readonly Func<MonthInput, bool>? monthRead;

    // Pooled as the general reader pools them: one instance per distinct id, name and assessment.
    private readonly TextPool ids = new();
    private readonly TextPool names = new();
    private readonly AssessmentPool assessments = new();

    // The ids met in the month being read. A pooled id is the one instance of its text (the text of unescaped UTF-8
    // is its bytes), so those compare by reference, which spares hashing the text; longer ids are not pooled.
    private readonly HashSet<string> monthIds = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> monthLongIds = new(StringComparer.Ordinal);
    private readonly HashSet<YearMonth> months = [];

    private readonly byte[] buffer = new byte[BlockSize + Ahead + Padding];
    private int length;
    private int position;
    private bool ended;
    private int lastMonthSize;

    private PlainInputReader(Stream source, PolicyDocument policy, Func<MonthInput, bool>? monthRead)
    {
        this.source = source;
        this.monthRead = monthRead;
        items = policy.Items;
        itemKeys = [.. items.Select(i => Encoding.UTF8.GetBytes(i.Key))];
        moneyDecimals = policy.Money.Decimals;
        scratch = new int[items.Length];
    }

    /// <summary>
    /// The input, read and checked as <see cref="GeneralInputReader"/> reads and checks it (every check of
    /// <see cref="InputValidator"/> is made on the way, hence a <see cref="ValidatedInput"/>);
    /// null when the input is not in the plain form or not valid, with the stream read partly or wholly.
    /// <paramref name="monthRead"/> is given each month as soon as it is read, in the order of the input, and answers
    /// whether it takes the month: a month taken is not kept in the input returned, so that it can be dropped once
    /// computed instead of living as long as the whole run. A month handed over may still belong to an input that
    /// turns out not to be valid.
    /// </summary>
    public static ValidatedInput? TryRead(Stream source, PolicyDocument policy, Func<MonthInput, bool>? monthRead = null)
    {
        // Scores are pooled packed into bytes (AssessmentPool); a policy of more than 16 items takes the general way.
        if (policy.Items.Length is 0 or > 16 || policy.Items.Any(i => i.Max > 999))
        {
            return null;
        }

        try
        {
            return new ValidatedInput(new PlainInputReader(source, policy, monthRead).ReadDocument(), policy);
        }
        catch (NotPlainException)
        {
            return null;
        }
    }

    private EvaluationInput ReadDocument()
    {
        Fill();
        // A UTF-8 byte-order mark is skipped, as the general reader skips it.
        if (buffer.AsSpan(0, length).StartsWith("\uFEFF"u8))
        {
            position = 3;
        }

        Expect((byte)'{');
        ExpectKey("months"u8);
        Expect((byte)'[');
        var list = ImmutableArray.CreateBuilder<MonthInput>();
        SkipSpace();
        if (buffer[position] == (byte)']')
        {
            position++;
        }
        else
        {
            do
            {
                var month = ReadMonth();
                if (monthRead?.Invoke(month) != true)
                {
                    list.Add(month);
                }
            }
            while (Separator((byte)']'));
        }

        Expect((byte)'}');
        SkipSpace();
        if (position != length || !ended)
        {
            throw NotPlainException.Instance;
        }

        return new EvaluationInput(list.ToImmutable());
    }

    private MonthInput ReadMonth()
    {
        EnsureAhead();
        Expect((byte)'{');
        YearMonth? label = null;
        ImmutableArray<EmployeeMonthInput>? employees = null;
        var maxAbsent = 0;
        do
        {
            var key = Key();
            if (key.SequenceEqual("month"u8) && label is null)
            {
                label = MonthLabel();
            }
            else if (key.SequenceEqual("employees"u8) && employees is null)
            {
                employees = ReadEmployees(out maxAbsent);
            }
            else
            {
                throw NotPlainException.Instance;
            }
        }
        while (Separator((byte)'}'));

        if (label is not { } month || employees is not { } list || !months.Add(month) || maxAbsent > month.DaysInMonth)
        {
            throw NotPlainException.Instance;
        }

        return new MonthInput(month, list);
    }

    private YearMonth MonthLabel()
    {
        var raw = StringValue();
        Span<char> text = stackalloc char[7];
        if (raw.Length != text.Length)
        {
            throw NotPlainException.Instance;
        }

        for (var i = 0; i < raw.Length; i++)
        {
            text[i] = (char)raw[i];
        }

        return YearMonth.TryParse(text, out var month) ? month : throw NotPlainException.Instance;
    }

    private ImmutableArray<EmployeeMonthInput> ReadEmployees(out int maxAbsent)
    {
        maxAbsent = 0;
        monthIds.Clear();
        monthLongIds.Clear();
        Expect((byte)'[');
        SkipSpace();
        if (buffer[position] == (byte)']')
        {
            position++;
            return [];
        }

        // Months usually have about as many employees as the one before.
        var list = ImmutableArray.CreateBuilder<EmployeeMonthInput>(Math.Max(lastMonthSize, 4));
        do
        {
            EnsureAhead();
            var employee = ReadEmployee(list.Count);
            maxAbsent = Math.Max(maxAbsent, employee.AbsentDays);
            list.Add(employee);
        }
        while (Separator((byte)']'));

        lastMonthSize = list.Count;
        return list.Count == list.Capacity ? list.MoveToImmutable() : list.ToImmutable();
    }

    private EmployeeMonthInput ReadEmployee(int index)
    {
        Expect((byte)'{');
        string? id = null;
        string? name = null;
        ItemScores? self = null;
        ItemScores? supervisor = null;
        decimal plan = 0;
        decimal actual = 0;
        var absent = 0;
        var other = 0m;
        bool? eligible = null;
        string? reason = null;
        var idPooled = false;
        var seen = 0;
        do
        {
            var field = FieldOf(Key());
            if (field < 0 || (seen & (1 << field)) != 0)
            {
                throw NotPlainException.Instance;
            }

            seen |= 1 << field;
            switch (field)
            {
                case 0:
                    id = PooledString(ids, index, isId: true, out idPooled);
                    break;
                case 1:
                    name = Null() ? null : PooledString(names, index, isId: false, out _);
                    break;
                case 2:
                    self = Null() ? null : Scores();
                    break;
                case 3:
                    supervisor = Scores();
                    break;
                case 4:
                    plan = Amount(allowNegative: false);
                    break;
                case 5:
                    actual = Amount(allowNegative: false);
                    break;
                case 6:
                    absent = WholeNumber(999);
                    break;
                case 7:
                    other = Amount(allowNegative: true);
                    break;
                default:
                    if (!Null())
                    {
                        (eligible, reason) = Eligibility();
                    }

                    break;
            }
        }
        while (Separator((byte)'}'));

        // id, supervisor, salesPlan and salesActual are required; InputValidator's checks of a non-blank id, unique in
        // its month, and of otherPay's decimals (the amounts and scores were checked as they were read).
        const int Required = 1 | (1 << 3) | (1 << 4) | (1 << 5);
        if ((seen & Required) != Required || !(idPooled ? monthIds : monthLongIds).Add(id!) || other.Scale > moneyDecimals)
        {
            throw NotPlainException.Instance;
        }

        return new EmployeeMonthInput(id!, name, self, supervisor!, plan, actual, absent, other, eligible, reason);
    }

    /// <summary>
    /// HR's override of eligibility (D14): <c>eligible</c> true or false and a reason that is not blank, each once, in
    /// either order, nothing else. Rare (a few employee-months in a thousand), so its text is not pooled.
    /// </summary>
    private (bool Eligible, string Reason) Eligibility()
    {
        Expect((byte)'{');
        bool? eligible = null;
        string? reason = null;
        do
        {
            var key = Key();
            if (key.SequenceEqual("eligible"u8) && eligible is null)
            {
                eligible = Literal("true"u8) || (Literal("false"u8) ? false : throw NotPlainException.Instance);
            }
            else if (key.SequenceEqual("reason"u8) && reason is null)
            {
                reason = Decode(StringValue(), isId: false);
            }
            else
            {
                throw NotPlainException.Instance;
            }
        }
        while (Separator((byte)'}'));

        return eligible is { } value && InputValidator.IsOverrideReason(reason) ? (value, reason!) : throw NotPlainException.Instance;
    }

    private static int FieldOf(ReadOnlySpan<byte> key) => key.Length switch
    {
        2 when key.SequenceEqual("id"u8) => 0,
        4 when key.SequenceEqual("name"u8) => 1,
        4 when key.SequenceEqual("self"u8) => 2,
        10 when key.SequenceEqual("supervisor"u8) => 3,
        9 when key.SequenceEqual("salesPlan"u8) => 4,
        11 when key.SequenceEqual("salesActual"u8) => 5,
        11 when key.SequenceEqual("eligibility"u8) => 8,
        10 when key.SequenceEqual("absentDays"u8) => 6,
        8 when key.SequenceEqual("otherPay"u8) => 7,
        _ => -1,
    };

    /// <summary>An assessment: every item of the policy exactly once, each a whole number within 0..max (D3).</summary>
    private ItemScores Scores()
    {
        Expect((byte)'{');
        var seen = 0;
        var next = 0;
        do
        {
            var key = Key();
            // Items usually come in sheet order; try that one first.
            var index = next < itemKeys.Length && key.SequenceEqual(itemKeys[next]) ? next : IndexOf(key);
            if (index < 0 || (seen & (1 << index)) != 0)
            {
                throw NotPlainException.Instance;
            }

            seen |= 1 << index;
            next = index + 1;
            scratch[index] = WholeNumber(items[index].Max);
        }
        while (Separator((byte)'}'));

        if (seen != (1 << items.Length) - 1)
        {
            throw NotPlainException.Instance;
        }

        return assessments.Pooled(scratch);
    }

    private int IndexOf(ReadOnlySpan<byte> key)
    {
        for (var i = 0; i < itemKeys.Length; i++)
        {
            if (key.SequenceEqual(itemKeys[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A string value, one instance per distinct text as the general reader pools them.</summary>
    private string PooledString(TextPool pool, int index, bool isId, out bool pooled)
    {
        var raw = StringValue();
        pooled = raw.Length <= TextPool.MaxLength;
        if (!pooled)
        {
            return Decode(raw, isId);
        }

        // Ids and names apart: an id is checked when first met, a name is not.
        return pool.Find(raw, index, out var key) ?? pool.Add(key, index, Decode(raw, isId));
    }

    /// <summary>
    /// The text of a string's bytes; an id must not be blank (InputValidator). Checked when a text is first met, so a
    /// pooled id met again has passed already.
    /// </summary>
    private static string Decode(ReadOnlySpan<byte> raw, bool isId)
    {
        if (!System.Text.Unicode.Utf8.IsValid(raw))
        {
            throw NotPlainException.Instance;
        }

        var text = Encoding.UTF8.GetString(raw);
        return isId && string.IsNullOrWhiteSpace(text) ? throw NotPlainException.Instance : text;
    }

    /// <summary>The raw bytes of a string without escapes or control characters (which would need the general reader).</summary>
    private ReadOnlySpan<byte> StringValue()
    {
        if (buffer[position] != (byte)'"')
        {
            throw NotPlainException.Instance;
        }

        var start = ++position;
        var end = start;
        while (true)
        {
            var b = buffer[end];
            if (b == (byte)'"')
            {
                break;
            }

            // The 0 after the data ends the scan too.
            if (b < 0x20 || b == (byte)'\\')
            {
                throw NotPlainException.Instance;
            }

            end++;
        }

        position = end + 1;
        return buffer.AsSpan(start, end - start);
    }

    /// <summary>A property name, its colon and the white space after it.</summary>
    private ReadOnlySpan<byte> Key()
    {
        SkipSpace();
        var key = StringValue();
        Expect((byte)':');
        SkipSpace();
        return key;
    }

    private void ExpectKey(ReadOnlySpan<byte> name)
    {
        if (!Key().SequenceEqual(name))
        {
            throw NotPlainException.Instance;
        }
    }

    private bool Null() => Literal("null"u8);

    /// <summary>Whether the literal <paramref name="text"/> (null, true, false) comes next; if so, moves past it.</summary>
    private bool Literal(ReadOnlySpan<byte> text)
    {
        // The padding after the data makes the comparison safe at the end; what follows is checked by the separator.
        if (buffer.AsSpan(position, text.Length).SequenceEqual(text))
        {
            position += text.Length;
            return true;
        }

        return false;
    }

    /// <summary>Digits only (no sign, fraction or exponent), at most <paramref name="max"/>.</summary>
    private int WholeNumber(int max)
    {
        var b = buffer[position];
        if (b == (byte)'0')
        {
            position++;
            return NumberEnds() ? 0 : throw NotPlainException.Instance;
        }

        var start = position;
        var value = 0;
        while (IsDigit(b))
        {
            value = (value * 10) + (b - '0');
            if (value > max)
            {
                throw NotPlainException.Instance;
            }

            b = buffer[++position];
        }

        return position > start && NumberEnds() ? value : throw NotPlainException.Instance;
    }

    /// <summary>
    /// A JSON number with at most 19 significant digits and no exponent, as the decimal the general reader gives
    /// (the same digits and scale, so 1.50 stays 1.50), within InputValidator's amount limit.
    /// </summary>
    private decimal Amount(bool allowNegative)
    {
        var negative = buffer[position] == (byte)'-';
        if (negative)
        {
            if (!allowNegative)
            {
                throw NotPlainException.Instance;
            }

            position++;
        }

        ulong mantissa = 0;
        var digits = 0;
        var b = buffer[position];
        if (b == (byte)'0')
        {
            b = buffer[++position];
        }
        else if (IsDigit(b))
        {
            while (IsDigit(b))
            {
                mantissa = Digit(mantissa, b, ref digits);
                b = buffer[++position];
            }
        }
        else
        {
            throw NotPlainException.Instance;
        }

        var scale = 0;
        if (b == (byte)'.')
        {
            b = buffer[++position];
            while (IsDigit(b))
            {
                // Zeros before the first significant digit only raise the scale.
                mantissa = mantissa == 0 && b == (byte)'0' ? 0 : Digit(mantissa, b, ref digits);
                scale++;
                b = buffer[++position];
            }

            if (scale == 0)
            {
                throw NotPlainException.Instance;
            }
        }

        // An exponent or a negative zero is left to the general reader.
        if (scale > 28 || !NumberEnds() || (negative && mantissa == 0))
        {
            throw NotPlainException.Instance;
        }

        var value = new decimal(unchecked((int)(uint)mantissa), unchecked((int)(uint)(mantissa >> 32)), 0, negative, (byte)scale);
        return Math.Abs(value) <= MaxAmount ? value : throw NotPlainException.Instance;
    }

    private static bool IsDigit(byte b) => unchecked((uint)(b - '0')) <= 9;

    /// <summary>
    /// The mantissa with one more digit; up to 19 significant digits always fit a ulong, and a number with more is
    /// left to the general reader.
    /// </summary>
    private static ulong Digit(ulong mantissa, byte b, ref int digits) =>
        ++digits <= 19 ? (mantissa * 10) + (uint)(b - '0') : throw NotPlainException.Instance;

    /// <summary>A number is followed by white space or a separator; anything else (e, E, a letter) is not plain.</summary>
    private bool NumberEnds() => buffer[position] is (byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t';

    /// <summary>After a value: true for a comma (another one follows), false for <paramref name="close"/>.</summary>
    private bool Separator(byte close)
    {
        SkipSpace();
        var b = buffer[position++];
        if (b == (byte)',')
        {
            return true;
        }

        return b == close ? false : throw NotPlainException.Instance;
    }

    private void Expect(byte b)
    {
        SkipSpace();
        if (buffer[position] != b)
        {
            throw NotPlainException.Instance;
        }

        position++;
    }

    private void SkipSpace()
    {
        while (buffer[position] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            position++;
        }
    }

    /// <summary>Makes sure at least <see cref="Ahead"/> bytes (or the rest of the input) follow the position.</summary>
    private void EnsureAhead()
    {
        if (ended || length - position >= Ahead)
        {
            return;
        }

        buffer.AsSpan(position, length - position).CopyTo(buffer);
        length -= position;
        position = 0;
        Fill();
    }

    private void Fill()
    {
        while (length < BlockSize + Ahead && !ended)
        {
            var read = source.Read(buffer, length, BlockSize + Ahead - length);
            if (read == 0)
            {
                ended = true;
            }

            length += read;
        }

        // A 0 stops every scan at the end of the data (see Padding).
        buffer.AsSpan(length, Padding).Clear();
    }

    /// <summary>The input is not in the plain form; thrown once and caught by <see cref="TryRead"/>.</summary>
    private sealed class NotPlainException : Exception
    {
        public static readonly NotPlainException Instance = new();
    }
}
