using System.Text.Json.Nodes;
using static Appraisal.Core.Tests.JsonInput;

namespace Appraisal.Core.Tests.Results;

/// <summary>
/// D3 and the evaluate contract's input rules, through <see cref="Core.Results.EvaluationJson.ReadInput"/>:
/// every problem is reported (not only the first), each naming month, employee, field and what was expected.
/// </summary>
public class InputValidationTests
{
    private static string Text(Problem p) => p.ToString();

    private static void AssertMentions(Problem problem, params string[] parts)
    {
        var text = Text(problem);
        foreach (var part in parts)
        {
            Assert.Contains(part, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_valid_document_is_read()
    {
        var input = Read(Valid());

        var e = Assert.Single(Assert.Single(input.Months).Employees);
        Assert.Equal("2026-10", input.Months[0].Month.ToString());
        Assert.Equal("E001", e.Id);
        Assert.Equal(80, e.Supervisor.Total);
        Assert.Equal(80, e.Self?.Total);
    }

    [Theory]
    // assessor, item, the JSON value given, max of the item, how the value is quoted back
    [InlineData("self", "discipline", "4.5", 5, "4.5")] // a fraction
    [InlineData("self", "discipline", "-1", 5, "-1")] // negative
    [InlineData("supervisor", "discipline", "6", 5, "6")] // above max
    [InlineData("supervisor", "teamwork", "11", 10, "11")]
    [InlineData("self", "performance", "41", 40, "41")]
    [InlineData("supervisor", "complaints", "19.5", 20, "19.5")]
    [InlineData("self", "complaints", "\"18\"", 20, "\"18\"")] // a string
    [InlineData("supervisor", "summary", "null", 5, "null")]
    [InlineData("supervisor", "passion", "true", 5, "true")]
    [InlineData("self", "promotion", "[3]", 5, "[")]
    [InlineData("supervisor", "problemSolving", "-0.5", 10, "-0.5")]
    public void A_bad_item_score_names_month_employee_assessor_item_and_range(string assessor, string item, string value, int max, string quoted)
    {
        var doc = Valid();
        doc.FirstEmployee()[assessor]![item] = JsonNode.Parse(value);

        var problem = Assert.Single(Problems(doc));

        AssertMentions(problem, "2026-10", "E001", assessor, item, $"0 to {max}", $"0 到 {max}", $"got {quoted}");
    }

    [Theory]
    [InlineData("self", "summary", 5)]
    [InlineData("supervisor", "discipline", 5)]
    [InlineData("supervisor", "performance", 40)]
    public void A_missing_item_is_named_with_its_range(string assessor, string item, int max)
    {
        var doc = Valid();
        doc.FirstEmployee()[assessor]!.AsObject().Remove(item);

        var problem = Assert.Single(Problems(doc));

        AssertMentions(problem, "2026-10", "E001", assessor, item, "missing", $"0 to {max}");
    }

    [Theory]
    [InlineData("self")]
    [InlineData("supervisor")]
    public void An_unknown_item_is_rejected(string assessor)
    {
        var doc = Valid();
        doc.FirstEmployee()[assessor]!["attitude"] = 3;

        var problem = Assert.Single(Problems(doc));

        AssertMentions(problem, "2026-10", "E001", assessor, "attitude", "unknown item");
    }

    [Fact]
    public void A_repeated_item_is_rejected()
    {
        var json = Valid().ToJsonString();
        var at = json.IndexOf("\"discipline\":5", StringComparison.Ordinal); // the self-assessment's, which comes first
        json = json.Insert(at, "\"discipline\":4,");

        var problem = Assert.Single(Problems(json));

        AssertMentions(problem, "2026-10", "E001", "self.discipline", "twice");
    }

    [Fact]
    public void Every_problem_of_one_employee_is_reported()
    {
        var doc = Valid();
        var e = doc.FirstEmployee();
        e["self"]!["discipline"] = 4.5m; // a parse-level problem
        e["supervisor"]!["teamwork"] = 11; // a range problem
        e["supervisor"]!["performance"] = -2;
        e["absentDays"] = 40; // October has 31 days

        var problems = Problems(doc);

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => Text(p).Contains("self.discipline", StringComparison.Ordinal));
        Assert.Contains(problems, p => Text(p).Contains("supervisor.teamwork", StringComparison.Ordinal));
        Assert.Contains(problems, p => Text(p).Contains("supervisor.performance", StringComparison.Ordinal));
        Assert.Contains(problems, p => Text(p).Contains("absentDays", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_problem_across_employees_and_months_is_reported()
    {
        var e1 = Employee("E001");
        e1["self"]!["discipline"] = 6;
        var e2 = Employee("E002");
        e2.Remove("salesPlan");
        var e3 = Employee("E003");
        e3["supervisor"]!["complaints"] = 3.5m;
        var e4 = Employee("E004");
        e4["absentDays"] = 29;
        var doc = Document(Month("2026-10", e1, e2), Month("2026-02", e3, e4), Month("2026-13", Employee("E005")));

        var problems = Problems(doc);

        Assert.Equal(5, problems.Count);
        Assert.Contains(problems, p => Text(p).Contains("2026-10", StringComparison.Ordinal) && Text(p).Contains("E001", StringComparison.Ordinal) && Text(p).Contains("self.discipline", StringComparison.Ordinal));
        Assert.Contains(problems, p => Text(p).Contains("2026-10", StringComparison.Ordinal) && Text(p).Contains("E002", StringComparison.Ordinal) && Text(p).Contains("salesPlan", StringComparison.Ordinal));
        Assert.Contains(problems, p => Text(p).Contains("2026-02", StringComparison.Ordinal) && Text(p).Contains("E003", StringComparison.Ordinal) && Text(p).Contains("supervisor.complaints", StringComparison.Ordinal));
        Assert.Contains(problems, p => Text(p).Contains("2026-02", StringComparison.Ordinal) && Text(p).Contains("E004", StringComparison.Ordinal) && Text(p).Contains("absentDays", StringComparison.Ordinal));
        Assert.Contains(problems, p => Text(p).Contains("2026-13", StringComparison.Ordinal));
    }

    [Fact]
    public void A_month_level_problem_does_not_hide_the_problems_of_its_employees()
    {
        var e = Employee("E001");
        e["supervisor"]!["teamwork"] = 12;
        var month = Month("2026-10", e);
        month["note"] = "typo";

        var problems = Problems(Document(month));

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => Text(p).Contains("note", StringComparison.Ordinal));
        Assert.Contains(problems, p => Text(p).Contains("supervisor.teamwork", StringComparison.Ordinal));
    }

    [Fact]
    public void Duplicate_employee_id_in_a_month_is_rejected()
    {
        var problem = Assert.Single(Problems(Document(Month("2026-10", Employee("E001"), Employee("E002"), Employee("E001")))));

        AssertMentions(problem, "2026-10", "E001", "id", "more than once");
    }

    [Fact]
    public void The_same_employee_in_two_months_is_fine()
    {
        var input = Read(Document(Month("2026-10", Employee("E001")), Month("2026-11", Employee("E001"))));

        Assert.Equal(2, input.Months.Length);
    }

    [Fact]
    public void Duplicate_month_is_rejected()
    {
        var problem = Assert.Single(Problems(Document(Month("2026-10", Employee("E001")), Month("2026-11", Employee("E001")), Month("2026-10", Employee("E002")))));

        AssertMentions(problem, "2026-10", "month", "more than once");
    }

    [Theory]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("2026-1")]
    [InlineData("26-01")]
    [InlineData("2026/01")]
    [InlineData("2026-10-01")]
    [InlineData("October")]
    [InlineData("")]
    public void Impossible_month_is_rejected(string month)
    {
        var problem = Assert.Single(Problems(Document(Month(month, Employee("E001")))));

        AssertMentions(problem, "month", "YYYY-MM");
        if (month.Length > 0)
        {
            AssertMentions(problem, month);
        }
    }

    [Fact]
    public void A_month_that_is_not_a_string_is_rejected()
    {
        var doc = Valid();
        doc.FirstMonth()["month"] = 202610;

        AssertMentions(Assert.Single(Problems(doc)), "month", "YYYY-MM");
    }

    [Theory]
    [InlineData("2026-02", 28, true)]
    [InlineData("2026-02", 29, false)]
    [InlineData("2024-02", 29, true)]
    [InlineData("2024-02", 30, false)]
    [InlineData("2026-04", 30, true)]
    [InlineData("2026-04", 31, false)]
    [InlineData("2026-01", 31, true)]
    [InlineData("2026-01", 0, true)]
    [InlineData("2026-01", -1, false)]
    public void Absent_days_are_bounded_by_the_days_of_the_month(string month, int days, bool ok)
    {
        var e = Employee("E001");
        e["absentDays"] = days;
        var doc = Document(Month(month, e));

        if (ok)
        {
            Assert.Equal(days, Assert.Single(Read(doc).Months[0].Employees).AbsentDays);
        }
        else
        {
            AssertMentions(Assert.Single(Problems(doc)), month, "E001", "absentDays", $"got {days}");
        }
    }

    [Theory]
    [InlineData("absentDays", "1.5", "whole number")]
    [InlineData("absentDays", "\"3\"", "whole number")]
    [InlineData("salesPlan", "\"100000\"", "number")]
    [InlineData("salesActual", "null", "number")]
    [InlineData("salesActual", "true", "number")]
    [InlineData("otherPay", "\"-50\"", "number")]
    [InlineData("otherPay", "1.005", "decimals")] // money has at most two decimals
    [InlineData("salesPlan", "-1", "negative")]
    [InlineData("salesActual", "-0.01", "negative")]
    [InlineData("id", "5", "string")]
    [InlineData("name", "5", "string")]
    [InlineData("self", "[]", "object")]
    [InlineData("supervisor", "5", "object")]
    [InlineData("supervisor", "null", "object")]
    public void Wrong_types_and_values_of_employee_fields(string field, string value, string expected)
    {
        var doc = Valid();
        doc.FirstEmployee()[field] = JsonNode.Parse(value);

        var problem = Assert.Single(Problems(doc));

        AssertMentions(problem, "2026-10", field, expected);
    }

    [Theory]
    [InlineData("supervisor")]
    [InlineData("salesPlan")]
    [InlineData("salesActual")]
    [InlineData("id")]
    public void Missing_required_employee_field(string field)
    {
        var doc = Valid();
        doc.FirstEmployee().Remove(field);

        var problem = Assert.Single(Problems(doc));

        AssertMentions(problem, "2026-10", field, "missing");
    }

    [Fact]
    public void Optional_fields_take_their_defaults()
    {
        var doc = Document(Month("2026-10", new JsonObject
        {
            ["id"] = "E001",
            ["supervisor"] = Assessment(84),
            ["salesPlan"] = 100000,
            ["salesActual"] = 0,
        }));

        var e = Assert.Single(Read(doc).Months[0].Employees);

        Assert.Null(e.Name);
        Assert.Null(e.Self);
        Assert.Equal(0, e.AbsentDays);
        Assert.Equal(0m, e.OtherPay);
    }

    [Fact]
    public void Self_may_be_null()
    {
        var doc = Valid();
        doc.FirstEmployee()["self"] = null;

        Assert.Null(Assert.Single(Read(doc).Months[0].Employees).Self);
    }

    [Theory]
    [InlineData("top", "policy")]
    [InlineData("month", "note")]
    [InlineData("employee", "bonus")]
    [InlineData("employee", "eligible")]
    [InlineData("employee", "Id")] // property names are case-sensitive
    public void Unknown_properties_are_errors(string level, string property)
    {
        var doc = Valid();
        var target = level switch
        {
            "top" => doc,
            "month" => doc.FirstMonth(),
            _ => doc.FirstEmployee(),
        };
        target[property] = 1;

        var problem = Assert.Single(Problems(doc));

        AssertMentions(problem, property);
        if (level != "top")
        {
            AssertMentions(problem, "2026-10");
        }

        if (level == "employee")
        {
            AssertMentions(problem, "E001");
        }
    }

    [Theory]
    [InlineData("{}", "months")]
    [InlineData("{\"months\": {}}", "array")]
    [InlineData("[]", "object")]
    [InlineData("{\"months\": [5]}", "object")]
    [InlineData("{\"months\": [{\"employees\": []}]}", "month")]
    [InlineData("{\"months\": [{\"month\": \"2026-10\"}]}", "employees")]
    [InlineData("{\"months\": [{\"month\": \"2026-10\", \"employees\": {}}]}", "array")]
    [InlineData("{\"months\": [{\"month\": \"2026-10\", \"employees\": [\"E001\"]}]}", "object")]
    public void Wrong_document_shapes(string json, string expected) =>
        AssertMentions(Assert.Single(Problems(json)), expected);

    [Fact]
    public void An_empty_month_list_is_valid() => Assert.Empty(Read("{\"months\": []}").Months);

    [Theory]
    // malformed JSON text, line of the error (1-based)
    [InlineData("{\"months\": [],}", 1)]
    [InlineData("{\n  \"months\": [\n    {\"month\": \"2026-10\",, \"employees\": []}\n  ]\n}", 3)]
    [InlineData("{\n  \"months\": [\n    {\"month\": '2026-10', \"employees\": []}\n  ]\n}", 3)]
    [InlineData("{\"months\": [] } extra", 1)]
    [InlineData("{\n\"months\": [ // comment\n]}", 2)]
    [InlineData("{\"months\": [{\"month\": \"2026-10\", \"employees\": [{\"id\": \"E1\", \"salesPlan\": 1e}]}]}", 1)]
    public void Malformed_JSON_gives_one_problem_with_line_and_column(string json, int line)
    {
        var problem = Assert.Single(Problems(json));

        AssertMentions(problem, $"line {line}", "column", "not valid JSON");
    }

    [Theory]
    [InlineData("")]
    [InlineData("{\"months\": [")]
    [InlineData("{\"months\": [{\"month\": \"2026-10\", \"employees\": [{\"id\": \"E1\"")]
    public void Truncated_input_gives_one_problem(string json) =>
        AssertMentions(Assert.Single(Problems(json)), "not valid JSON");

    [Theory]
    [InlineData("158000.50", "158000.50")]
    [InlineData("0.1", "0.1")]
    [InlineData("0.3", "0.3")]
    [InlineData("100000.3", "100000.3")]
    [InlineData("123456789012.3456789012345678", "123456789012.3456789012345678")] // 28 digits: beyond double precision
    [InlineData("0.30000000000000004", "0.30000000000000004")]
    [InlineData("1E5", "100000")]
    public void Sales_are_read_exactly_as_decimals(string json, string expected)
    {
        var text = Valid().ToJsonString().Replace("\"salesActual\":100000", $"\"salesActual\":{json}", StringComparison.Ordinal);

        var e = Assert.Single(Read(text).Months[0].Employees);

        Assert.Equal(Build.Dec(expected), e.SalesActual);
    }

    [Fact]
    public void Sales_read_exactly_give_exact_commission()
    {
        // 0.1 + 0.2 style: plan 0.3 and actual 0.30 are equal as decimals, so Y = X → 1 %.
        // Actual 987654321098.76 (under the 1e12 input limit) × 1.2 % = 11851851853.18512 → 11851851853.19.
        var doc = Document(Month(
            "2026-10",
            Employee("E1", 80, 80, 0.3m, 0.30m),
            Employee("E2", 80, 80, 0m, 987654321098.76m)));

        var result = Core.Results.Evaluator.Evaluate(Read(doc), Build.Seed);

        Assert.Equal(0.01m, result.Of("E1").CommissionTier.Rate);
        Assert.Equal(11851851853.19m, result.Of("E2").Commission);
    }
}
