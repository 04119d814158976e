using System.Collections.Immutable;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;

namespace Appraisal.Bench.Generate;

/// <summary>
/// Writes a realistic <c>evaluate</c> input (docs/evaluate.md): a fixed headcount per month
/// with some turnover and rehires, scores mostly in the upper levels, sales around a per-person
/// plan, ordinary and long absences, occasional missing self-assessments, HR adjustments and HR's
/// overrides of eligibility. Two cases (<see cref="GeneratorCase"/>): by default every item of every assessment is scored
/// on its own evidence, so that assessments are mostly distinct, as in a real company's data; the repetitive case
/// scores every item of a month alike, so that a few thousand assessments repeat all over the input.
/// Streams with <see cref="Utf8JsonWriter"/>: memory is O(employees), never O(employee-months).
/// </summary>
internal sealed class InputGenerator
{
    // Monthly probability that a seat changes hands; 1.5 % is a typical call-centre churn.
    private const double TurnoverPerMonth = 0.015;

    // Share of new hires who are former employees coming back: their history has a gap (D12, D14).
    private const double RehireShare = 0.2;

    // Monthly probability of starting a long leave (sick, maternity): 2–4 nearly full months,
    // which pushes the 3-month absence window over 60 days and excludes the employee (D14, D15).
    private const double LongLeavePerMonth = 0.004;

    // Share of employee-months with HR's override of eligibility (D14): 0.5 %, most of them on long leave.
    private const double OverridePerMonth = 0.005;

    // Reasons HR records: leave that counts as attendance (included), or a suspension (excluded).
    private static readonly string[] IncludeReasons = ["产假按规定计入出勤", "工伤假期间按出勤考核", "婚假、丧假按规定计入出勤"];

    private static readonly string[] ExcludeReasons = ["停职调查期间，本月不参加考核", "借调其他部门，本月不参加客服考核", "试用期延长，经人事决定不参加本月考核"];

    private static readonly string[] Surnames =
        ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗"];

    private static readonly string[] GivenChars =
        ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平", "刚", "英", "华", "玉", "兰", "文", "辉", "建", "红", "婷"];

    // The distinct case's names: more surnames and given characters, so that names repeat about as often as in a large
    // company (a common name now and then, most of them unique).
    private static readonly string[] MoreSurnames =
    [
        .. Surnames, "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕",
        "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛", "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜",
    ];

    private static readonly string[] MoreGivenChars =
    [
        .. GivenChars, "鹏", "浩", "宇", "轩", "欣", "怡", "佳", "琪", "晨", "雪", "梅", "琳", "斌", "波", "亮", "飞", "凯", "俊", "慧", "颖",
        "倩", "雯", "璐", "瑶", "博", "宁", "瑞", "琦", "晶", "月", "子", "思", "雨", "嘉", "梓", "诗", "晓", "志", "海", "国",
    ];

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Names are Chinese; real exports carry them as raw UTF-8, not \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly SplitMix64 random;
    private readonly ImmutableArray<PolicyItem> items;
    private readonly GeneratorCase shape;
    private readonly HashSet<UInt128> assessments = [];
    private readonly List<Person> former = [];
    private int nextNumber = 1;

    public InputGenerator(ulong seed, PolicyDocument policy, GeneratorCase shape = GeneratorCase.Distinct)
    {
        random = new SplitMix64(seed);
        items = policy.Items;
        this.shape = shape;
    }

    /// <summary>Number of employee-month records written by the last <see cref="Write"/>.</summary>
    public long Records { get; private set; }

    /// <summary>Number of distinct employee ids in the last <see cref="Write"/>.</summary>
    public int People => nextNumber - 1;

    /// <summary>Number of assessments (self and supervisor) written by the last <see cref="Write"/>.</summary>
    public long Assessments { get; private set; }

    /// <summary>Number of distinct assessments (the same scores item by item) among <see cref="Assessments"/>.</summary>
    public int DistinctAssessments => assessments.Count;

    /// <summary>Writes <paramref name="months"/> consecutive months from <paramref name="start"/>, <paramref name="employees"/> per month.</summary>
    public void Write(Stream destination, int employees, int months, YearMonth start, bool indented)
    {
        var seats = new Person[employees];
        for (var s = 0; s < seats.Length; s++)
        {
            seats[s] = Hire();
        }

        // Exports are seldom in id order; a fixed shuffle of the seats makes the engine sort for real.
        var order = new int[employees];
        for (var s = 0; s < order.Length; s++)
        {
            order[s] = s;
        }

        for (var s = order.Length - 1; s > 0; s--)
        {
            var t = random.Next(0, s);
            (order[s], order[t]) = (order[t], order[s]);
        }

        using var writer = new Utf8JsonWriter(destination, WriterOptions with { Indented = indented });
        writer.WriteStartObject();
        writer.WriteStartArray("months"u8);
        for (var m = 0; m < months; m++)
        {
            var month = start.PlusMonths(m);
            if (m > 0)
            {
                Turnover(seats);
            }

            writer.WriteStartObject();
            writer.WriteString("month"u8, month.ToString());
            writer.WriteStartArray("employees"u8);
            foreach (var s in order)
            {
                WriteEmployee(writer, seats[s], month.DaysInMonth);
                Records++;
                // Keep the writer's buffer small: the whole point is not to hold the document.
                if (writer.BytesPending > 1 << 16)
                {
                    writer.Flush();
                }
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
    }

    private void Turnover(Person[] seats)
    {
        for (var s = 0; s < seats.Length; s++)
        {
            if (!random.Chance(TurnoverPerMonth))
            {
                continue;
            }

            // Pick the rehire before the leaver joins the pool, so nobody leaves and returns in one month.
            Person next;
            if (former.Count > 0 && random.Chance(RehireShare))
            {
                var k = random.Next(0, former.Count - 1);
                next = former[k];
                former[k] = former[^1];
                former.RemoveAt(former.Count - 1);
                next.LeaveMonthsLeft = 0;
            }
            else
            {
                next = Hire();
            }

            former.Add(seats[s]);
            seats[s] = next;
        }
    }

    private Person Hire()
    {
        var number = nextNumber++;
        var (surnames, given) = shape == GeneratorCase.Distinct ? (MoreSurnames, MoreGivenChars) : (Surnames, GivenChars);
        var name = surnames[random.Next(0, surnames.Length - 1)] + given[random.Next(0, given.Length - 1)]
            + (random.Chance(0.7) ? given[random.Next(0, given.Length - 1)] : string.Empty);

        // Most agents are solid (scores around 88 of 100, grades 良/优); one in twenty struggles
        // (around 62), which gives 及格/不及格 months and, now and then, two fails in a row.
        // The distinct case spreads agents wider, around 84 (on the 240 000: 优 3 %, 良 33 %, 好 39 %, 及格 18 %, 不及格 6 %).
        var (solid, spread) = shape == GeneratorCase.Distinct ? (0.84, 0.06) : (0.88, 0.05);
        var quality = random.Chance(0.05) ? 0.62 + (0.06 * random.NextNormal()) : solid + (spread * random.NextNormal());

        // Plans of 50 000–200 000 yuan in steps of 5 000, kept per person as a team lead would set them.
        var plan = 50_000 + (5_000 * random.Next(0, 30));

        // The distinct case: each agent is stronger at some items than at others (a patient agent with few complaints
        // may write poor reports), by about 10 % of each item's maximum.
        var strengths = new double[items.Length];
        if (shape == GeneratorCase.Distinct)
        {
            for (var i = 0; i < strengths.Length; i++)
            {
                strengths[i] = 0.1 * random.NextNormal();
            }
        }

        return new Person(string.Create(CultureInfo.InvariantCulture, $"E{number:D6}"), name, Math.Clamp(quality, 0.3, 1.0), plan, strengths);
    }

    private void WriteEmployee(Utf8JsonWriter w, Person p, int daysInMonth)
    {
        w.WriteStartObject();
        w.WriteString("id"u8, p.Id);
        if (!random.Chance(0.03))
        {
            w.WriteString("name"u8, p.Name);
        }

        var monthQuality = p.Quality + (0.04 * random.NextNormal());
        var selfDraw = random.NextDouble();
        if (selfDraw < 0.01)
        {
            w.WriteNull("self"u8); // D5: explicitly no self-assessment
        }
        else if (selfDraw >= 0.03)
        {
            // People rate themselves a little higher than their supervisors do.
            w.WritePropertyName("self"u8);
            WriteScores(w, p, monthQuality + 0.03);
        }

        w.WritePropertyName("supervisor"u8);
        WriteScores(w, p, monthQuality);

        // Actual sales scatter around the plan (about ±25 %), in yuan and fen.
        var ratio = Math.Clamp(Math.Exp(0.03 + (0.25 * random.NextNormal())), 0.2, 3.0);
        var actualFen = (long)Math.Round(p.Plan * ratio * 100.0);
        w.WriteNumber("salesPlan"u8, p.Plan);
        w.WriteNumber("salesActual"u8, new decimal(actualFen) / 100m);

        var absent = Absence(p, daysInMonth);
        if (absent > 0 || random.Chance(0.5))
        {
            w.WriteNumber("absentDays"u8, absent);
        }

        if (random.Chance(OverridePerMonth))
        {
            // Long leave is mostly counted as attendance by HR; otherwise an exclusion, whatever the absence.
            var include = absent > 20 ? !random.Chance(0.2) : random.Chance(0.3);
            var reasons = include ? IncludeReasons : ExcludeReasons;
            w.WriteStartObject("eligibility"u8);
            w.WriteBoolean("eligible"u8, include);
            w.WriteString("reason"u8, reasons[random.Next(0, reasons.Length - 1)]);
            w.WriteEndObject();
        }

        var payDraw = random.NextDouble();
        if (payDraw < 0.15)
        {
            // HR adjustments: allowances, and now and then a deduction, to the fen.
            var fen = random.Next(2_000, 150_000);
            w.WriteNumber("otherPay"u8, new decimal(random.Chance(0.25) ? -fen : fen) / 100m);
        }
        else if (payDraw < 0.35)
        {
            w.WriteNumber("otherPay"u8, 0);
        }

        w.WriteEndObject();
    }

    private void WriteScores(Utf8JsonWriter w, Person p, double quality)
    {
        // The distinct case: each item is scored on its own evidence of the month (calls, complaints, reports), which
        // scatters an item by about 20 % of its maximum around the agent's level and strength in it; the repetitive
        // case scatters every item by 5 %, so that most assessments of solid agents come out alike.
        var scatter = shape == GeneratorCase.Distinct ? 0.2 : 0.05;
        Span<byte> packed = stackalloc byte[16];
        packed.Clear();
        w.WriteStartObject();
        for (var i = 0; i < items.Length; i++)
        {
            var item = items[i];
            var score = Math.Clamp((int)Math.Round(item.Max * (quality + p.Strengths[i] + (scatter * random.NextNormal()))), 0, item.Max);
            w.WriteNumber(item.Key, score);
            if (i < packed.Length)
            {
                packed[i] = (byte)score;
            }
        }

        w.WriteEndObject();
        Assessments++;
        assessments.Add(System.Runtime.InteropServices.MemoryMarshal.Read<UInt128>(packed));
    }

    private int Absence(Person p, int daysInMonth)
    {
        if (p.LeaveMonthsLeft == 0 && random.Chance(LongLeavePerMonth))
        {
            p.LeaveMonthsLeft = random.Next(2, 4);
        }

        if (p.LeaveMonthsLeft > 0)
        {
            p.LeaveMonthsLeft--;
            return daysInMonth - random.Next(0, 3);
        }

        var draw = random.NextDouble();
        return draw < 0.82 ? 0 : draw < 0.96 ? random.Next(1, 3) : random.Next(4, 10);
    }

    private sealed class Person(string id, string name, double quality, int plan, double[] strengths)
    {
        public double[] Strengths { get; } = strengths;

        public string Id { get; } = id;

        public string Name { get; } = name;

        public double Quality { get; } = quality;

        public int Plan { get; } = plan;

        public int LeaveMonthsLeft { get; set; }
    }
}

/// <summary>The shape of the generated assessments (docs/benchmarks.md).</summary>
internal enum GeneratorCase
{
    /// <summary>Every item scored on its own: mostly distinct assessments, as in real data (the default).</summary>
    Distinct,

    /// <summary>Every item of a month scored alike: a few thousand assessments repeat (the earlier benchmark input).</summary>
    Repetitive,
}
