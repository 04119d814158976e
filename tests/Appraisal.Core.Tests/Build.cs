using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;
using Appraisal.Core.Results;
using Appraisal.Core.Results.Json;

namespace Appraisal.Core.Tests;

/// <summary>
/// Test data that reads like the business tables: employees from totals (items filled in sheet
/// order) or explicit item arrays, months from <c>YYYY-MM</c> text. The item table below is the
/// test's own copy of D1, not read from the policy, so a policy that drifted from D1 shows up.
/// </summary>
internal static class Build
{
    /// <summary>D1: item keys in sheet order.</summary>
    public static readonly string[] ItemKeys =
        ["discipline", "problemSolving", "teamwork", "passion", "performance", "complaints", "promotion", "summary"];

    /// <summary>D1: item maxima in sheet order (5+10+10+5 = 30, 40+20+5+5 = 70).</summary>
    public static readonly int[] ItemMax = [5, 10, 10, 5, 40, 20, 5, 5];

    public static PolicyDocument Seed => DefaultPolicy.Instance;

    /// <summary>Item scores adding up to <paramref name="total"/>, filling items in sheet order up to their maxima.</summary>
    public static int[] Items(int total)
    {
        if (total is < 0 or > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(total), total, "a total is 0..100");
        }

        var items = new int[ItemMax.Length];
        var left = total;
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = Math.Min(left, ItemMax[i]);
            left -= items[i];
        }

        return items;
    }

    public static ItemScores Scores(int total) => new(Items(total));

    public static ItemScores Scores(params int[] items) => new(items);

    /// <summary>An employee-month; <paramref name="self"/> null means no self-assessment (D5).</summary>
    public static EmployeeMonthInput Employee(
        string id,
        int? self,
        int supervisor,
        decimal plan = 0m,
        decimal actual = 0m,
        int absentDays = 0,
        decimal otherPay = 0m,
        bool? eligibilityOverride = null,
        string? name = null,
        string? reason = null) =>
        new(id, name, self is { } s ? Scores(s) : null, Scores(supervisor), plan, actual, absentDays, otherPay, eligibilityOverride,
            reason ?? (eligibilityOverride is null ? null : "人事决定"));

    public static MonthInput Month(string month, params EmployeeMonthInput[] employees) =>
        new(YearMonth.Parse(month), [.. employees]);

    public static EvaluationInput Input(params MonthInput[] months) => new([.. months]);

    public static EvaluationResult Evaluate(params MonthInput[] months) => Evaluator.Evaluate(Input(months), Seed);

    public static EvaluationResult Evaluate(PolicyDocument policy, params MonthInput[] months) => Evaluator.Evaluate(Input(months), policy);

    /// <summary>The result of employee <paramref name="id"/> in <paramref name="month"/>.</summary>
    public static EmployeeResult Of(this EvaluationResult result, string month, string id) =>
        result.Months.Single(m => m.Month == YearMonth.Parse(month)).Results.Single(r => r.Id == id);

    /// <summary>The result of employee <paramref name="id"/> in <paramref name="month"/>, or null when absent.</summary>
    public static EmployeeResult? Find(this EvaluationResult result, string month, string id) =>
        result.Months.SingleOrDefault(m => m.Month == YearMonth.Parse(month))?.Results.SingleOrDefault(r => r.Id == id);

    /// <summary>The employee's only result when the input has one month.</summary>
    public static EmployeeResult Of(this EvaluationResult result, string id) =>
        result.Months.Single().Results.Single(r => r.Id == id);

    public static decimal Dec(string text) => decimal.Parse(text, NumberStyles.Number, CultureInfo.InvariantCulture);

    /// <summary>Parses "1,1,3" or "" into integers.</summary>
    public static int[] Ints(string csv) =>
        csv.Length == 0 ? [] : [.. csv.Split(',').Select(s => int.Parse(s.Trim(), CultureInfo.InvariantCulture))];

    /// <summary>Parses "90, 80.5" into decimals.</summary>
    public static decimal[] Decs(string csv) =>
        csv.Length == 0 ? [] : [.. csv.Split(',').Select(s => Dec(s.Trim()))];

    /// <summary>The month <paramref name="offset"/> months after <paramref name="start"/>, as text.</summary>
    public static string MonthAfter(string start, int offset) => YearMonth.Parse(start).PlusMonths(offset).ToString();
}

/// <summary>
/// Input documents of the evaluate contract as JSON nodes, so that a valid document can be
/// broken in exactly one place per test.
/// </summary>
internal static class JsonInput
{
    /// <summary>An assessment object with the items filled in sheet order up to <paramref name="total"/>.</summary>
    public static JsonObject Assessment(int total) => Assessment(Build.Items(total));

    public static JsonObject Assessment(params int[] items)
    {
        var o = new JsonObject();
        for (var i = 0; i < items.Length; i++)
        {
            o[Build.ItemKeys[i]] = items[i];
        }

        return o;
    }

    public static JsonObject Employee(string id, int? self = 80, int supervisor = 80, decimal plan = 100000m, decimal actual = 100000m)
    {
        var e = new JsonObject { ["id"] = id };
        if (self is { } s)
        {
            e["self"] = Assessment(s);
        }

        e["supervisor"] = Assessment(supervisor);
        e["salesPlan"] = plan;
        e["salesActual"] = actual;
        return e;
    }

    public static JsonObject Month(string month, params JsonObject[] employees) =>
        new() { ["month"] = month, ["employees"] = new JsonArray([.. employees]) };

    public static JsonObject Document(params JsonObject[] months) => new() { ["months"] = new JsonArray([.. months]) };

    /// <summary>One month 2026-10 with one valid employee E001.</summary>
    public static JsonObject Valid() => Document(Month("2026-10", Employee("E001")));

    /// <summary>The first employee of the first month.</summary>
    public static JsonObject FirstEmployee(this JsonObject document) => document["months"]![0]!["employees"]![0]!.AsObject();

    public static JsonObject FirstMonth(this JsonObject document) => document["months"]![0]!.AsObject();

    public static EvaluationInput Read(string json) => EvaluationJson.ReadInput(Encoding.UTF8.GetBytes(json), Build.Seed).Input;

    public static EvaluationInput Read(JsonNode document) => Read(document.ToJsonString());

    /// <summary>Every problem reported for <paramref name="json"/>; fails when it is read without problems.</summary>
    public static IReadOnlyList<Problem> Problems(string json) =>
        Assert.Throws<ProblemsException>(() => Read(json)).Problems;

    public static IReadOnlyList<Problem> Problems(JsonNode document) => Problems(document.ToJsonString());

    /// <summary>Evaluates a JSON input text and returns the output text.</summary>
    public static string Evaluate(string json) => EvaluationJson.WriteOutput(Evaluator.Evaluate(EvaluationJson.ReadInput(Encoding.UTF8.GetBytes(json), Build.Seed)));
}
