using System.Text.Json;
using System.Text.Json.Nodes;
using static Appraisal.Core.Tests.JsonInput;

namespace Appraisal.Core.Tests.Results;

/// <summary>The output of the evaluate contract (docs/evaluate.md), parsed back and compared value by value.</summary>
public class OutputJsonTests
{
    // The contract's input example, verbatim.
    private const string ContractInput = """
        {
          "months": [
            {
              "month": "2026-10",
              "employees": [
                {
                  "id": "E001",
                  "name": "张三",
                  "self":       { "discipline": 5, "problemSolving": 9, "teamwork": 8, "passion": 4,
                                  "performance": 35, "complaints": 18, "promotion": 4, "summary": 4 },
                  "supervisor": { "discipline": 5, "problemSolving": 8, "teamwork": 9, "passion": 4,
                                  "performance": 34, "complaints": 17, "promotion": 3, "summary": 4 },
                  "salesPlan": 100000,
                  "salesActual": 158000.50,
                  "absentDays": 0,
                  "otherPay": 0
                }
              ]
            }
          ]
        }
        """;

    private static JsonElement Result(JsonDocument output, int month, int index) =>
        output.RootElement.GetProperty("months")[month].GetProperty("results")[index];

    [Fact]
    public void The_contract_example_is_reproduced_field_by_field()
    {
        using var output = JsonDocument.Parse(Evaluate(ContractInput));

        var months = output.RootElement.GetProperty("months");
        Assert.Equal(1, months.GetArrayLength());
        Assert.Equal("2026-10", months[0].GetProperty("month").GetString());
        var r = Result(output, 0, 0);
        string[] fields =
        [
            "id", "eligible", "selfTotal", "supervisorTotal", "score", "grade", "level", "positionSalary", "training", "promotion",
            "commissionRate", "commission", "bonus", "otherPay", "totalPay", "rank", "salesRank", "flags",
        ];
        Assert.Equal(fields, r.EnumerateObject().Select(p => p.Name));
        Assert.Equal("E001", r.GetProperty("id").GetString());
        Assert.True(r.GetProperty("eligible").GetBoolean());
        Assert.Equal(87, r.GetProperty("selfTotal").GetInt32());
        Assert.Equal(84, r.GetProperty("supervisorTotal").GetInt32());
        Assert.Equal(85.2m, r.GetProperty("score").GetDecimal());
        Assert.Equal("良", r.GetProperty("grade").GetString());
        Assert.Equal("二级客服", r.GetProperty("level").GetString());
        Assert.Equal(1500m, r.GetProperty("positionSalary").GetDecimal());
        Assert.Equal("一般", r.GetProperty("training").GetString());
        Assert.Equal("储备", r.GetProperty("promotion").GetString());
        Assert.Equal(0.012m, r.GetProperty("commissionRate").GetDecimal());
        Assert.Equal(1896.01m, r.GetProperty("commission").GetDecimal());
        Assert.Equal(0m, r.GetProperty("bonus").GetDecimal());
        Assert.Equal(0m, r.GetProperty("otherPay").GetDecimal());
        Assert.Equal(3396.01m, r.GetProperty("totalPay").GetDecimal());
        Assert.Equal(1, r.GetProperty("rank").GetInt32());
        Assert.Equal(1, r.GetProperty("salesRank").GetInt32());
        Assert.Equal(0, r.GetProperty("flags").GetArrayLength());
    }

    [Fact]
    public void Numbers_are_written_as_the_contract_shows_them()
    {
        var text = Evaluate(ContractInput);

        // Score with at most one decimal; money with at most two; Chinese written as is, not \u escapes.
        Assert.Contains("\"score\": 85.2,", text, StringComparison.Ordinal);
        Assert.Contains("\"commission\": 1896.01,", text, StringComparison.Ordinal);
        Assert.Contains("\"totalPay\": 3396.01,", text, StringComparison.Ordinal);
        Assert.Contains("\"commissionRate\": 0.012,", text, StringComparison.Ordinal);
        Assert.Contains("\"grade\": \"良\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Months_come_out_chronologically_and_results_in_ordinal_id_order()
    {
        var doc = Document(
            Month("2026-10", Employee("e1"), Employee("E2"), Employee("E10"), Employee("E1")),
            Month("2025-12", Employee("B")),
            Month("2026-02", Employee("A")),
            Month("2026-01", Employee("C")));

        using var output = JsonDocument.Parse(Evaluate(doc.ToJsonString()));

        var months = output.RootElement.GetProperty("months").EnumerateArray().ToArray();
        Assert.Equal(["2025-12", "2026-01", "2026-02", "2026-10"], months.Select(m => m.GetProperty("month").GetString()));
        // Ordinal: upper case before lower case, "E10" before "E2".
        Assert.Equal(["E1", "E10", "E2", "e1"], months[3].GetProperty("results").EnumerateArray().Select(r => r.GetProperty("id").GetString()));
    }

    [Fact]
    public void An_excluded_employee_has_nulls_where_the_contract_says()
    {
        // E002 was absent 30 days in September and 31 in October: 61 > 60, excluded in October (D14).
        var e2Sept = Employee("E002", self: 90, supervisor: 90);
        e2Sept["absentDays"] = 30;
        var e2Oct = Employee("E002", self: null, supervisor: 70, plan: 100000m, actual: 97m);
        e2Oct["absentDays"] = 31;
        e2Oct["otherPay"] = -20.5m;
        var doc = Document(
            Month("2026-09", Employee("E001"), e2Sept),
            Month("2026-10", Employee("E001"), e2Oct));

        using var output = JsonDocument.Parse(Evaluate(doc.ToJsonString()));

        var september = Result(output, 0, 1);
        Assert.True(september.GetProperty("eligible").GetBoolean());
        var r = Result(output, 1, 1);
        Assert.Equal("E002", r.GetProperty("id").GetString());
        Assert.False(r.GetProperty("eligible").GetBoolean());
        foreach (var field in new[] { "selfTotal", "score", "grade", "training", "promotion", "rank", "salesRank" })
        {
            Assert.Equal(JsonValueKind.Null, r.GetProperty(field).ValueKind);
        }

        Assert.Equal(70, r.GetProperty("supervisorTotal").GetInt32());
        // D15: level and salary of September (90 → 良); commission from sales: 97 × 0.5 % = 0.485 → 0.49.
        Assert.Equal("二级客服", r.GetProperty("level").GetString());
        Assert.Equal(1500m, r.GetProperty("positionSalary").GetDecimal());
        Assert.Equal(0.005m, r.GetProperty("commissionRate").GetDecimal());
        Assert.Equal(0.49m, r.GetProperty("commission").GetDecimal());
        Assert.Equal(0m, r.GetProperty("bonus").GetDecimal());
        Assert.Equal(-20.5m, r.GetProperty("otherPay").GetDecimal());
        Assert.Equal(1479.99m, r.GetProperty("totalPay").GetDecimal()); // 1500 + 0.49 + 0 − 20.50
        Assert.Equal(0, r.GetProperty("flags").GetArrayLength());
        // E001 is alone among the eligible in October.
        Assert.Equal(1, Result(output, 1, 0).GetProperty("rank").GetInt32());
    }

    [Fact]
    public void Flags_are_a_sorted_array()
    {
        // E1: no self-assessment, fails twice, lowest score and sales in October → all three flags.
        var doc = Document(
            Month("2026-09", Employee("E1", self: null, supervisor: 50, actual: 10m), Employee("E2")),
            Month("2026-10", Employee("E1", self: null, supervisor: 50, actual: 10m), Employee("E2")));

        using var output = JsonDocument.Parse(Evaluate(doc.ToJsonString()));

        Assert.Equal(["lastInScoreAndSales", "selfMissing"], Result(output, 0, 0).GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal(["consecutiveFail", "lastInScoreAndSales", "selfMissing"], Result(output, 1, 0).GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public void Output_is_stable_text()
    {
        var doc = Document(Month("2026-10", Employee("E001"), Employee("E002", self: null, supervisor: 95, actual: 170000.42m)));
        var json = doc.ToJsonString();

        var first = Evaluate(json);

        Assert.Equal(first, Evaluate(json));
        Assert.DoesNotContain("\\u", first, StringComparison.Ordinal);
        using var parsed = JsonDocument.Parse(first);
        var e2 = Result(parsed, 0, 1);
        Assert.Equal(95m, e2.GetProperty("score").GetDecimal());
        Assert.Equal(JsonValueKind.Null, e2.GetProperty("selfTotal").ValueKind);
        Assert.Equal(2040.01m, e2.GetProperty("commission").GetDecimal()); // 170000.42 × 1.2 % = 2040.00504
        // E001 scores 80 → 好, where the seed shows a dash for promotion.
        Assert.Equal("好", Result(parsed, 0, 0).GetProperty("grade").GetString());
        Assert.Equal(JsonValueKind.Null, Result(parsed, 0, 0).GetProperty("promotion").ValueKind);
    }

    [Fact]
    public void Negative_otherPay_flows_into_totalPay()
    {
        var node = JsonNode.Parse(ContractInput)!;
        node["months"]![0]!["employees"]![0]!["otherPay"] = -96.01m;

        using var output = JsonDocument.Parse(Evaluate(node.ToJsonString()));

        Assert.Equal(3300m, Result(output, 0, 0).GetProperty("totalPay").GetDecimal()); // 1500 + 1896.01 − 96.01
    }
}
