using System.Text;
using System.Text.Json.Nodes;
using Appraisal.Core.Results;
using Appraisal.Core.Results.Json;
using static Appraisal.Core.Tests.Build;

namespace Appraisal.Core.Tests.Results.Json;

/// <summary>
/// docs/evaluate.input.schema.json and docs/evaluate.output.schema.json say what the implementation does: every
/// property the schemas name is one the readers accept (both of them) and the writer writes, the required ones are
/// exactly those whose absence the reader reports, nothing else is accepted, and the flags are the engine's.
/// </summary>
public class SchemaTests
{
    private static readonly JsonObject Input = Load("evaluate.input.schema.json");
    private static readonly JsonObject Output = Load("evaluate.output.schema.json");

    // Chinese as UTF-8, as programs write it, so that the fast reader reads it too.
    private static readonly System.Text.Json.JsonSerializerOptions Plainly = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>A valid value for every property of an employee, HR's override included.</summary>
    private static readonly Dictionary<string, Func<JsonNode>> EmployeeValues = new()
    {
        ["id"] = () => "E001",
        ["name"] = () => "张三",
        ["self"] = () => JsonInput.Assessment(87),
        ["supervisor"] = () => JsonInput.Assessment(84),
        ["salesPlan"] = () => 100000,
        ["salesActual"] = () => 158000.50m,
        ["absentDays"] = () => 3,
        ["otherPay"] = () => -12.5m,
        ["eligibility"] = () => new JsonObject { ["eligible"] = true, ["reason"] = "产假按规定计入出勤" },
    };

    [Fact]
    public void Both_schemas_are_draft_2020_12_and_closed()
    {
        foreach (var schema in new[] { Input, Output })
        {
            Assert.Equal("https://json-schema.org/draft/2020-12/schema", (string?)schema["$schema"]);
            foreach (var definition in new[] { schema }.Concat(schema["$defs"]!.AsObject().Select(d => d.Value!.AsObject())))
            {
                Assert.Equal("object", (string?)definition["type"]);
                Assert.False((bool)definition["additionalProperties"]!);
            }
        }
    }

    [Fact]
    public void The_employee_properties_are_those_the_readers_accept_and_the_required_ones_those_they_require()
    {
        var employee = Definition(Input, "employee");
        Assert.Equal(Properties(employee).Order(StringComparer.Ordinal), EmployeeValues.Keys.Order(StringComparer.Ordinal));

        // All of them together: valid for both readers.
        var full = Document(EmployeeValues.ToDictionary(p => p.Key, p => p.Value()));
        AssertAccepted(full);

        foreach (var name in Properties(employee))
        {
            var without = Document(EmployeeValues.Where(p => p.Key != name).ToDictionary(p => p.Key, p => p.Value()));
            if (Required(employee).Contains(name))
            {
                var problem = Assert.Single(Rejected(without));
                Assert.EndsWith($"field {name}", problem.Where, StringComparison.Ordinal);
                Assert.Contains($"the required field {name} is missing", problem.En, StringComparison.Ordinal);
            }
            else
            {
                AssertAccepted(without);
            }
        }

        var extra = Document(EmployeeValues.ToDictionary(p => p.Key, p => p.Value()));
        extra.FirstEmployee()["salary"] = 1;
        Assert.Contains("unknown field \"salary\"", Assert.Single(Rejected(extra)).En, StringComparison.Ordinal);
    }

    [Fact]
    public void The_eligibility_properties_are_those_the_readers_accept_and_all_are_required()
    {
        var eligibility = Definition(Input, "eligibility");
        var values = new Dictionary<string, JsonNode> { ["eligible"] = false, ["reason"] = "停职调查期间" };
        Assert.Equal(Properties(eligibility).Order(StringComparer.Ordinal), values.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Properties(eligibility).Order(StringComparer.Ordinal), Required(eligibility).Order(StringComparer.Ordinal));
        Assert.Equal("boolean", (string?)eligibility["properties"]!["eligible"]!["type"]);
        Assert.Equal("string", (string?)eligibility["properties"]!["reason"]!["type"]);

        foreach (var name in Properties(eligibility))
        {
            var document = JsonInput.Valid();
            document.FirstEmployee()["eligibility"] = new JsonObject(values.Where(p => p.Key != name).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value.DeepClone())));
            var problem = Assert.Single(Rejected(document));
            Assert.EndsWith($"field eligibility.{name}", problem.Where, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_month_and_document_properties_are_those_the_readers_require()
    {
        Assert.Equal(["months"], Properties(Input));
        Assert.Equal(["months"], Required(Input));
        var month = Definition(Input, "month");
        Assert.Equal(["employees", "month"], Properties(month).Order(StringComparer.Ordinal));
        foreach (var name in Required(month))
        {
            var document = JsonInput.Valid();
            document.FirstMonth().Remove(name);
            Assert.Contains(Rejected(document), p => p.En.Contains($"the required field {name} is missing", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_assessment_is_the_default_policys_items_with_their_ranges()
    {
        var assessment = Definition(Input, "assessment");

        Assert.Equal(Seed.Items.Select(i => i.Key), Properties(assessment));
        Assert.Equal(Seed.Items.Select(i => i.Key), Required(assessment));
        foreach (var item in Seed.Items)
        {
            var property = assessment["properties"]![item.Key]!;
            Assert.Equal("integer", (string?)property["type"]);
            Assert.Equal(0, (int)property["minimum"]!);
            Assert.Equal(item.Max, (int)property["maximum"]!);
        }
    }

    [Fact]
    public void The_output_properties_are_those_the_writer_writes_in_its_order_all_required()
    {
        // An eligible employee with every flag a single month can give and an excluded one, so that nulls show too.
        var json = JsonInput.Document(JsonInput.Month(
            "2026-10",
            JsonInput.Employee("E001", self: null, supervisor: 50, plan: 100000m, actual: 10m),
            JsonInput.Employee("E002", supervisor: 90),
            JsonInput.Employee("E003", supervisor: 90)));
        json["months"]![0]!["employees"]![0]!["eligibility"] = new JsonObject { ["eligible"] = true, ["reason"] = "确认参评" };
        json["months"]![0]!["employees"]![2]!["eligibility"] = new JsonObject { ["eligible"] = false, ["reason"] = "停职" };
        var output = JsonNode.Parse(JsonInput.Evaluate(json.ToJsonString()))!.AsObject();

        Assert.Equal(Properties(Output), output.Select(p => p.Key));
        var month = output["months"]![0]!.AsObject();
        Assert.Equal(Properties(Definition(Output, "month")), month.Select(p => p.Key));
        var result = Definition(Output, "result");
        Assert.Equal(Properties(result), Required(result));
        var results = month["results"]!.AsArray().Select(r => r!.AsObject()).ToList();
        Assert.All(results, r => Assert.Equal(Properties(result), r.Select(p => p.Key)));

        // Nullable exactly where the writer writes null.
        var nulls = results.SelectMany(r => r.Where(p => p.Value is null).Select(p => p.Key)).ToHashSet();
        foreach (var name in Properties(result))
        {
            var type = result["properties"]![name]!["type"];
            var nullable = type is JsonArray types && types.Any(t => (string?)t == "null");
            Assert.True(nullable == nulls.Contains(name), $"{name}: nullable in the schema {nullable}, written as null {nulls.Contains(name)}");
        }

        Assert.Equal("eligibilityOverridden,lastInScoreAndSales,selfMissing", string.Join(',', results[0]["flags"]!.AsArray().Select(f => (string?)f)));
        Assert.Equal("eligibilityOverridden", string.Join(',', results[2]["flags"]!.AsArray().Select(f => (string?)f)));
    }

    [Fact]
    public void The_flags_are_the_engines_in_the_contracts_order()
    {
        var flags = Definition(Output, "result")["properties"]!["flags"]!;

        Assert.Equal(ResultFlagNames.All, flags["items"]!["enum"]!.AsArray().Select(f => (string?)f));
        Assert.Equal(ResultFlagNames.All.Order(StringComparer.Ordinal), ResultFlagNames.All);
        Assert.Equal(
            [ResultFlagNames.ConsecutiveFail, ResultFlagNames.EligibilityOverridden, ResultFlagNames.LastInScoreAndSales, ResultFlagNames.SelfMissing],
            ResultFlagNames.All);
    }

    private static JsonObject Definition(JsonObject schema, string name) => schema["$defs"]![name]!.AsObject();

    private static List<string> Properties(JsonObject schema) => [.. schema["properties"]!.AsObject().Select(p => p.Key)];

    private static List<string> Required(JsonObject schema) => [.. schema["required"]!.AsArray().Select(r => (string)r!)];

    private static JsonObject Document(Dictionary<string, JsonNode> employee) =>
        JsonInput.Document(JsonInput.Month("2026-10", new JsonObject(employee.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)))));

    private static void AssertAccepted(JsonObject document)
    {
        var bytes = Encoding.UTF8.GetBytes(document.ToJsonString(Plainly));
        var general = EvaluationJson.ReadInput(bytes.AsSpan(), Seed);
        var plain = PlainInputReader.TryRead(new MemoryStream(bytes), Seed);
        Assert.NotNull(plain);
        Assert.Equal(general.Input.Months.Single().Employees.Single(), plain.Input.Months.Single().Employees.Single());
    }

    private static IReadOnlyList<Problem> Rejected(JsonObject document)
    {
        var bytes = Encoding.UTF8.GetBytes(document.ToJsonString(Plainly));
        Assert.Null(PlainInputReader.TryRead(new MemoryStream(bytes), Seed));
        return Assert.Throws<ProblemsException>(() => EvaluationJson.ReadInput(bytes.AsSpan(), Seed)).Problems;
    }

    private static JsonObject Load(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "docs", name);
            if (File.Exists(Path.Combine(dir.FullName, "Appraisal.slnx")))
            {
                return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            }
        }

        throw new InvalidOperationException($"docs/{name} not found above {AppContext.BaseDirectory}");
    }
}
