using System.Text.Json;

namespace Appraisal.Cli.Tests;

/// <summary>
/// <c>evaluate</c> honours HR's override of eligibility (<c>"eligibility": {"eligible": …, "reason": …}</c>, D14): the
/// long-absence rule is not applied to that month and the result carries <c>eligibilityOverridden</c>; without it the
/// rule decides, 60 days over the window included, 61 excluded.
/// </summary>
public sealed class EligibilityTests
{
    [Theory]
    // June and July absence, July's override → E1 eligible in July, its flags, its rank
    [InlineData(30, 31, """{"eligible": true, "reason": "产假按规定计入出勤"}""", true, "eligibilityOverridden", 1)]
    [InlineData(0, 0, """{"eligible": false, "reason": "停职调查期间"}""", false, "eligibilityOverridden", null)]
    [InlineData(30, 30, null, true, "", 1)]
    [InlineData(30, 31, null, false, "", null)]
    public void The_override_decides_instead_of_the_absence_rule_and_is_flagged(int june, int july, string? eligibility, bool eligible, string flags, int? rank)
    {
        using var dir = new TempDir();
        var input = EligibilityInput.TwoMonths(june, july, eligibility);
        var path = dir.Write("input.json", input);

        var r = CliRun.Run(["evaluate", path]);
        var piped = CliRun.Run(["evaluate", "-"], input);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(string.Empty, r.Stderr);
        Assert.Equal(r.StdoutBytes, piped.StdoutBytes);
        using var output = JsonDocument.Parse(r.Stdout);
        var e1 = output.RootElement.GetProperty("months")[1].GetProperty("results")[0];
        Assert.Equal("E1", e1.GetProperty("id").GetString());
        Assert.Equal(eligible, e1.GetProperty("eligible").GetBoolean());
        Assert.Equal(flags, string.Join(',', e1.GetProperty("flags").EnumerateArray().Select(f => f.GetString())));
        Assert.Equal(rank, e1.GetProperty("rank").ValueKind == JsonValueKind.Null ? null : e1.GetProperty("rank").GetInt32());
        Assert.Equal(eligible ? JsonValueKind.Number : JsonValueKind.Null, e1.GetProperty("score").ValueKind);
        // D15: the level of the last appraised month (June, supervisor only: 84 → 好 → 一级客服) when excluded.
        Assert.Equal(eligible ? "二级客服" : "一级客服", e1.GetProperty("level").GetString());
    }
}

/// <summary>Inputs of two months for the eligibility tests.</summary>
internal static class EligibilityInput
{
    private const string Scores = """{"discipline": 5, "problemSolving": 8, "teamwork": 9, "passion": 4, "performance": 34, "complaints": 17, "promotion": 3, "summary": 4}""";

    private const string Higher = """{"discipline": 5, "problemSolving": 9, "teamwork": 8, "passion": 4, "performance": 35, "complaints": 18, "promotion": 4, "summary": 4}""";

    /// <summary>E1 absent <paramref name="june"/> then <paramref name="july"/> days, July with <paramref name="eligibility"/> when given, E2 beside.</summary>
    public static string TwoMonths(int june, int july, string? eligibility)
    {
        var extra = eligibility is null ? string.Empty : ", \"eligibility\": " + eligibility;
        return $$"""
            {"months": [
              {"month": "2026-06", "employees": [{"id": "E1", "supervisor": {{Scores}}, "salesPlan": 100, "salesActual": 100, "absentDays": {{june}}}]},
              {"month": "2026-07", "employees": [
                {"id": "E1", "self": {{Higher}}, "supervisor": {{Higher}}, "salesPlan": 100, "salesActual": 200, "absentDays": {{july}}{{extra}}},
                {"id": "E2", "supervisor": {{Scores}}, "salesPlan": 100, "salesActual": 100}]}
            ]}
            """;
    }
}
