using System.Text;

namespace Appraisal.Cli.Tests;

/// <summary><c>evaluate</c> on good input: the contract example, standard input, several months, a BOM.</summary>
public sealed class EvaluateTests
{
    [Fact]
    public void Contract_example_from_a_file_gives_the_contract_output()
    {
        var r = Shared.ContractExample;

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(string.Empty, r.Stderr);
        JsonAssert.Equivalent(TestData.Text("contract-example.output.json"), r.Stdout);
        // Labels are written as readable Chinese, not \u escapes; one trailing newline.
        Assert.Contains("\"grade\": \"良\"", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"level\": \"二级客服\"", r.Stdout, StringComparison.Ordinal);
        Assert.EndsWith("}\n", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Money_is_written_with_two_decimals()
    {
        var r = Shared.ContractExample;

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("\"positionSalary\": 1500.00,", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"commission\": 1896.01,", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"totalPay\": 3396.01,", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"score\": 85.2,", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Dash_reads_standard_input_and_gives_the_same_output_as_the_file()
    {
        var input = TestData.Text("contract-example.input.json");
        var fromFile = Shared.ContractExample;
        var fromStdin = CliRun.Run(["evaluate", "-"], input);

        Assert.True(fromStdin.ExitCode == 0, fromStdin.ToString());
        Assert.Equal(string.Empty, fromStdin.Stderr);
        Assert.Equal(fromFile.StdoutBytes, fromStdin.StdoutBytes);
    }

    [Fact]
    public void Dash_reads_standard_input_redirected_from_a_file_with_the_same_output()
    {
        var fromFile = Shared.ContractExample;
        var redirected = CliRun.RunWithStdinFrom(TestData.PathOf("contract-example.input.json"), ["evaluate", "-"]);

        Assert.True(redirected.ExitCode == 0, redirected.ToString());
        Assert.Equal(string.Empty, redirected.Stderr);
        Assert.Equal(fromFile.StdoutBytes, redirected.StdoutBytes);
    }

    [Fact]
    public void A_relative_path_is_read_from_the_working_directory()
    {
        using var dir = new TempDir();
        dir.Write("input.json", TestData.Text("contract-example.input.json"));

        var r = CliRun.Run(["evaluate", "input.json"], stdin: (string?)null, workingDirectory: dir.Path);

        Assert.True(r.ExitCode == 0, r.ToString());
        JsonAssert.Equivalent(TestData.Text("contract-example.output.json"), r.Stdout);
    }

    [Fact]
    public void Months_out_of_order_come_out_chronologically_with_bonus_and_consecutive_fail()
    {
        // Hand-computed (multi-month.output.json), months given as 2026-04, 2026-02, 2026-01 and
        // employees as E2, E10, E1:
        // - output months 2026-01, 2026-02, 2026-04; employees in ordinal order E1, E10, E2;
        // - E2: score 0.4·100 + 0.6·98 = 98.8 (优), rank 1 in January and February → bonus 200 in
        //   February (D12); rank 1 again in April, but March is missing, so no bonus;
        // - E10: 不及格 in January and February → consecutiveFail in February, not in April (gap);
        //   lowest score and sales → lastInScoreAndSales in January and April;
        //   April commission 97 × 0.5 % = 0.485 → 0.49 (D9);
        // - E1: no self-assessment in February → score = supervisor total 77, flag selfMissing;
        //   otherPay −50.5 in January → totalPay 1400 + 800 − 50.50 = 2149.50;
        // - commission tiers: 150000 on plan 100000 → 1.2 %; 149999.99 → 1 % → 1500.00.
        var r = CliRun.Run(["evaluate", TestData.PathOf("multi-month.input.json")]);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(string.Empty, r.Stderr);
        JsonAssert.Equivalent(TestData.Text("multi-month.output.json"), r.Stdout);
    }

    [Fact]
    public void A_utf8_byte_order_mark_in_a_file_is_accepted()
    {
        using var dir = new TempDir();
        var plain = Encoding.UTF8.GetBytes(TestData.Text("contract-example.input.json"));
        var path = dir.Write("bom.json", [0xEF, 0xBB, 0xBF, .. plain]);

        var withBom = CliRun.Run(["evaluate", path]);
        var without = Shared.ContractExample;

        Assert.True(withBom.ExitCode == 0, withBom.ToString());
        Assert.Equal(string.Empty, withBom.Stderr);
        Assert.Equal(without.StdoutBytes, withBom.StdoutBytes);
    }

    [Fact]
    public void A_utf8_byte_order_mark_on_standard_input_is_accepted()
    {
        var plain = Encoding.UTF8.GetBytes(TestData.Text("contract-example.input.json"));

        var r = CliRun.Run(["evaluate", "-"], stdin: [0xEF, 0xBB, 0xBF, .. plain]);

        Assert.True(r.ExitCode == 0, r.ToString());
        JsonAssert.Equivalent(TestData.Text("contract-example.output.json"), r.Stdout);
    }

    [Fact]
    public void An_empty_month_list_gives_an_empty_result()
    {
        var r = CliRun.Run(["evaluate", "-"], "{\"months\": []}");

        Assert.True(r.ExitCode == 0, r.ToString());
        JsonAssert.Equivalent("{\"months\": []}", r.Stdout);
    }
}
