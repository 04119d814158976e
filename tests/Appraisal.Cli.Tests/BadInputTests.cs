namespace Appraisal.Cli.Tests;

/// <summary>
/// Bad input: exit 2, nothing on standard output, one bilingual line per problem on standard error
/// naming month, employee and field (evaluate contract).
/// </summary>
public sealed class BadInputTests
{
    /// <summary>
    /// Each expected line is given as fragments separated by '|'; every expected line must match
    /// exactly one line of standard error, and there must be no other lines.
    /// </summary>
    [Theory]
    [InlineData("malformed.json", "行 line 3, 列 column 26|not valid JSON")]
    [InlineData("not-an-object.json", "must be a JSON object")]
    [InlineData(
        "wrong-types.json",
        "月份 month 2026-10, 员工 employee E001, 字段 field supervisor.discipline|0 到 5|0 to 5|\"5\"",
        "月份 month 2026-10, 员工 employee E002, 字段 field salesPlan|expected a number|\"abc\"")]
    [InlineData(
        "unknown-fields.json",
        "字段 field extra|unknown",
        "月份 month 2026-10, 字段 field note|unknown",
        "月份 month 2026-10, 员工 employee E001, 字段 field age|unknown",
        "月份 month 2026-10, 员工 employee E002, 字段 field self.smile|unknown item")]
    [InlineData("duplicate-id.json", "月份 month 2026-10, 员工 employee E001, 字段 field id|more than once")]
    [InlineData("duplicate-month.json", "月份 month 2026-10, 字段 field month|more than once")]
    [InlineData("impossible-month.json", "月份 month 2026-13, 字段 field month|YYYY-MM")]
    [InlineData("absent-days-feb.json", "月份 month 2026-02, 员工 employee E001, 字段 field absentDays|0 到 28|0 to 28|got 29")]
    [InlineData("score-above-max.json", "月份 month 2026-10, 员工 employee E001, 字段 field supervisor.performance|「工作业绩」|0 到 40|0 to 40|got 41")]
    [InlineData("fractional-score.json", "月份 month 2026-10, 员工 employee E001, 字段 field self.passion|0 到 5|0 to 5|got 4.5")]
    [InlineData("missing-supervisor.json", "月份 month 2026-10, 员工 employee E001, 字段 field supervisor|supervisor")]
    [InlineData("huge-amount.json", "月份 month 2026-10, 员工 employee E001, 字段 field otherPay|out of range")]
    [InlineData(
        "several-problems.json",
        "月份 month 2026-10, 员工 employee E001, 字段 field supervisor.discipline|\"5\"",
        "月份 month 2026-10, 员工 employee E002, 字段 field supervisor.performance|0 to 40|got 41",
        "月份 month 2026-10, 员工 employee E003, 字段 field salesPlan|\"abc\"",
        "月份 month 2026-10, 员工 employee E003, 字段 field absentDays|0 to 31|got 40",
        "月份 month 2026-10, 员工 employee E004, 字段 field supervisor.problemSolving|0 to 10|got true",
        "月份 month 2026-10, 员工 employee E004, 字段 field supervisor.complaints|0 to 20|got 21",
        "月份 month 2026-02, 员工 employee E001, 字段 field absentDays|0 to 28|got 29")]
    public void Bad_input_file_is_rejected_with_one_line_per_problem(string file, params string[] expectedLines)
    {
        var r = CliRun.Run(["evaluate", TestData.PathOf(Path.Combine("bad", file))]);

        AssertRejected(r);
        AssertLines(r, expectedLines);
    }

    [Theory]
    // July's eligibility override (JSON) of EligibilityInput → the one line expected, as fragments
    [InlineData("""{"eligible": true}""", "月份 month 2026-07, 员工 employee E1, 字段 field eligibility.reason|缺少必填字段 reason|reason is missing")]
    [InlineData("""{"eligible": false, "reason": ""}""", "月份 month 2026-07, 员工 employee E1, 字段 field eligibility.reason|非空|non-blank")]
    [InlineData("""{"eligible": false, "reason": " \u3000 "}""", "月份 month 2026-07, 员工 employee E1, 字段 field eligibility.reason|non-blank")]
    [InlineData("""{"eligible": true, "reason": ["产假"]}""", "月份 month 2026-07, 员工 employee E1, 字段 field eligibility.reason|expected a string, got […]")]
    [InlineData("""{"eligible": "false", "reason": "产假"}""", "月份 month 2026-07, 员工 employee E1, 字段 field eligibility.eligible|true 或 false|expected true or false, got \"false\"")]
    [InlineData("""{"eligible": true, "reason": "产假", "until": "2026-08"}""", "月份 month 2026-07, 员工 employee E1, 字段 field eligibility.until|未知字段|unknown field \"until\"")]
    [InlineData("""{"reason": "产假"}""", "月份 month 2026-07, 员工 employee E1, 字段 field eligibility.eligible|eligible is missing")]
    [InlineData("false", "月份 month 2026-07, 员工 employee E1, 字段 field eligibility|expected an object")]
    public void A_bad_eligibility_override_is_rejected_naming_month_employee_and_field(string eligibility, string expectedLine)
    {
        using var dir = new TempDir();
        var path = dir.Write("input.json", EligibilityInput.TwoMonths(30, 31, eligibility));

        var r = CliRun.Run(["evaluate", path]);

        AssertRejected(r);
        AssertLines(r, [expectedLine]);
    }

    [Fact]
    public void Bad_input_on_standard_input_is_rejected_the_same_way()
    {
        var path = TestData.PathOf(Path.Combine("bad", "several-problems.json"));
        var fromFile = CliRun.Run(["evaluate", path]);

        var fromStdin = CliRun.Run(["evaluate", "-"], File.ReadAllText(path));

        AssertRejected(fromStdin);
        Assert.Equal(fromFile.Stderr, fromStdin.Stderr);
    }

    [Fact]
    public void Bad_input_redirected_from_a_file_is_rejected_the_same_way()
    {
        // Standard input from a file can seek: the fast reader gives up and the general one reads it again from the start.
        var path = TestData.PathOf(Path.Combine("bad", "several-problems.json"));
        var fromFile = CliRun.Run(["evaluate", path]);

        var redirected = CliRun.RunWithStdinFrom(path, ["evaluate", "-"]);

        AssertRejected(redirected);
        Assert.Equal(fromFile.Stderr, redirected.Stderr);
    }

    [Fact]
    public void An_empty_file_is_rejected()
    {
        using var dir = new TempDir();
        var path = dir.Write("empty.json", string.Empty);

        var r = CliRun.Run(["evaluate", path]);

        AssertRejected(r);
        Assert.Single(r.StderrLines);
    }

    [Fact]
    public void Empty_standard_input_is_rejected()
    {
        var r = CliRun.Run(["evaluate", "-"], string.Empty);

        AssertRejected(r);
        Assert.Single(r.StderrLines);
    }

    [Fact]
    public void A_missing_file_is_reported_without_a_stack_trace()
    {
        using var dir = new TempDir();
        var path = Path.Combine(dir.Path, "no-such-input.json");

        var r = CliRun.Run(["evaluate", path]);

        AssertRejected(r);
        var line = Assert.Single(r.StderrLines);
        Assert.Contains("no-such-input.json", line, StringComparison.Ordinal);
        Assert.Contains("not found", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_in_a_missing_directory_is_reported()
    {
        using var dir = new TempDir();

        var r = CliRun.Run(["evaluate", Path.Combine(dir.Path, "nowhere", "input.json")]);

        AssertRejected(r);
        Assert.Single(r.StderrLines);
    }

    [Fact]
    public void A_directory_instead_of_a_file_is_reported()
    {
        using var dir = new TempDir();

        var r = CliRun.Run(["evaluate", dir.Path]);

        AssertRejected(r);
        var line = Assert.Single(r.StderrLines);
        Assert.Contains(dir.Path, line, StringComparison.Ordinal);
        Assert.Contains("directory", line, StringComparison.Ordinal);
    }

    private static void AssertRejected(CliResult r)
    {
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.True(r.Stdout.Length == 0, r.ToString());
        Assert.NotEmpty(r.StderrLines);
        Assert.False(Messages.HasStackTrace(r.Stderr), r.Stderr);
        // Positions are 1-based "line 3, column 26"; System.Text.Json's 0-based suffix would contradict them.
        Assert.DoesNotContain("LineNumber", r.Stderr, StringComparison.Ordinal);
        Assert.All(r.StderrLines, line => Assert.True(Messages.IsBilingual(line), $"not bilingual: {line}"));
    }

    private static void AssertLines(CliResult r, string[] expectedLines)
    {
        var lines = r.StderrLines;
        foreach (var expected in expectedLines)
        {
            var fragments = expected.Split('|');
            var matching = lines.Where(l => fragments.All(f => l.Contains(f, StringComparison.Ordinal))).ToList();
            Assert.True(matching.Count == 1, $"expected one line with [{string.Join("] [", fragments)}], found {matching.Count}\n{r}");
        }

        Assert.True(lines.Length == expectedLines.Length, $"expected {expectedLines.Length} lines, got {lines.Length}\n{r}");
    }
}
