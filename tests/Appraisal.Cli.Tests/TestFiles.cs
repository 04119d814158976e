using System.Text;
using System.Text.RegularExpressions;

namespace Appraisal.Cli.Tests;

/// <summary>A fresh temporary directory per test, removed afterwards, so tests can run in parallel.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Path = Directory.CreateTempSubdirectory("appraisal-cli-tests-").FullName;

    public string Path { get; }

    /// <summary>Writes <paramref name="text"/> as UTF-8 without a byte-order mark and returns the full path.</summary>
    public string Write(string name, string text) => Write(name, new UTF8Encoding(false).GetBytes(text));

    /// <summary>Writes raw bytes and returns the full path.</summary>
    public string Write(string name, byte[] bytes)
    {
        var path = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary directory must not fail a test.
        }
    }
}

/// <summary>The files under Data/, copied beside the tests.</summary>
internal static class TestData
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Data", name);

    public static string Text(string name) => File.ReadAllText(PathOf(name), Encoding.UTF8);
}

/// <summary>Checks shared by the tests of messages.</summary>
internal static partial class Messages
{
    [GeneratedRegex(@"\p{IsCJKUnifiedIdeographs}")]
    private static partial Regex Chinese();

    [GeneratedRegex(@"[A-Za-z]{3,}(\s+[A-Za-z]{2,})+")]
    private static partial Regex EnglishWords();

    /// <summary>True when the text has Chinese characters and at least a few English words in a row.</summary>
    public static bool IsBilingual(string text) => Chinese().IsMatch(text) && EnglishWords().IsMatch(text);

    /// <summary>A .NET stack trace line, which the CLI must never print.</summary>
    public static bool HasStackTrace(string text) =>
        text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Unhandled exception", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Runs whose output several tests compare against, made once per test run (each run is a process start).</summary>
internal static class Shared
{
    private static readonly Lazy<CliResult> PolicyShowRun = new(() => CliRun.Run("policy show"));

    private static readonly Lazy<CliResult> ContractExampleRun = new(() => CliRun.Run(["evaluate", TestData.PathOf("contract-example.input.json")]));

    /// <summary><c>appraisal policy show</c>.</summary>
    public static CliResult PolicyShow => PolicyShowRun.Value;

    /// <summary><c>appraisal evaluate Data/contract-example.input.json</c>.</summary>
    public static CliResult ContractExample => ContractExampleRun.Value;
}
