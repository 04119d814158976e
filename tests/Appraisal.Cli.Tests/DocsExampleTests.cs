namespace Appraisal.Cli.Tests;

/// <summary>
/// docs/evaluate.md shows what <c>evaluate</c> does: its example input, run through the command, gives its example
/// output.
/// </summary>
public sealed class DocsExampleTests
{
    [Fact]
    public void The_example_of_docs_evaluate_md_gives_its_output()
    {
        var (input, output) = Examples(File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "evaluate.md")));
        using var dir = new TempDir();

        var r = CliRun.Run(["evaluate", dir.Write("example.json", input)]);

        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal(string.Empty, r.Stderr);
        JsonAssert.Equivalent(output, r.Stdout);
        // The example shows the override (D14) and its flag.
        Assert.Contains("\"eligibility\"", input, StringComparison.Ordinal);
        Assert.Contains("\"eligibilityOverridden\"", r.Stdout, StringComparison.Ordinal);
    }

    /// <summary>The two JSON blocks under the "## Example" heading: the input, then the output.</summary>
    private static (string Input, string Output) Examples(string markdown)
    {
        var section = markdown[markdown.IndexOf("\n## Example", StringComparison.Ordinal)..];
        var blocks = new List<string>();
        var at = 0;
        while (blocks.Count < 2 && section.IndexOf("```json\n", at, StringComparison.Ordinal) is var start and >= 0)
        {
            start += "```json\n".Length;
            var end = section.IndexOf("\n```", start, StringComparison.Ordinal);
            blocks.Add(section[start..end]);
            at = end + 4;
        }

        Assert.Equal(2, blocks.Count);
        return (blocks[0], blocks[1]);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Appraisal.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("the repository root (Appraisal.slnx) is not above " + AppContext.BaseDirectory);
    }
}
