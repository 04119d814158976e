namespace Appraisal.Cli.Tests;

/// <summary>Help and usage errors of the command line.</summary>
public sealed class UsageTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("evaluate --help")]
    [InlineData("policy --help")]
    [InlineData("policy show --help")]
    [InlineData("policy validate --help")]
    public void Help_exits_0_with_chinese_and_english_text(string args)
    {
        var r = CliRun.Run(args);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(string.Empty, r.Stderr);
        Assert.True(Messages.IsBilingual(r.Stdout), r.ToString());
        Assert.Contains("appraisal", r.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_help_describes_the_input_and_the_policy_option()
    {
        var r = CliRun.Run("evaluate --help");

        Assert.Equal(0, r.ExitCode);
        Assert.Contains("INPUT", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("--policy", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("标准输入", r.Stdout, StringComparison.Ordinal);
        Assert.Contains("standard input", r.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("frobnicate")]
    [InlineData("evaluate")]
    [InlineData("evaluate a.json b.json")]
    [InlineData("evaluate --no-such-option x.json")]
    [InlineData("evaluate x.json --policy")]
    [InlineData("policy")]
    [InlineData("policy frobnicate")]
    [InlineData("policy validate")]
    [InlineData("policy show extra")]
    public void Bad_usage_exits_2_with_a_message_and_nothing_on_stdout(string args)
    {
        var r = CliRun.Run(args);

        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Equal(string.Empty, r.Stdout);
        Assert.NotEmpty(r.StderrLines);
        Assert.Contains("--help", r.Stderr, StringComparison.Ordinal);
        Assert.True(Messages.IsBilingual(r.Stderr), r.ToString());
        Assert.False(Messages.HasStackTrace(r.Stderr), r.Stderr);
    }
}
