using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Appraisal.Cli.Tests;

/// <summary>What one run of the real <c>appraisal</c> command produced.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Standard output exactly as written, for byte-for-byte comparisons.</summary>
    public byte[] StdoutBytes { get; init; } = [];

    /// <summary>The non-empty lines of standard error.</summary>
    public string[] StderrLines => Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Everything the run said, for assertion messages.</summary>
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>
/// Runs the built CLI (<c>appraisal.dll</c>, copied beside the tests by the project reference) as a
/// child process with <c>dotnet</c>, UTF-8 on all three streams and a timeout.
/// </summary>
internal static class CliRun
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // Strict: the CLI must write valid UTF-8 (the contract's output is UTF-8 JSON).
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "appraisal.dll");

    private static readonly string Host = FindDotnetHost();

    /// <summary>Runs <c>appraisal ARGS</c>; <paramref name="stdin"/> (UTF-8, no BOM) is written to standard input.</summary>
    public static CliResult Run(IEnumerable<string> args, string? stdin = null, string? workingDirectory = null) =>
        Run(args, stdin is null ? null : Utf8.GetBytes(stdin), workingDirectory);

    /// <summary>
    /// Runs <c>appraisal ARGS &lt; FILE</c>: standard input redirected from a file by the shell, as a user types it,
    /// which the command can seek (a pipe cannot).
    /// </summary>
    public static CliResult RunWithStdinFrom(string file, IEnumerable<string> args)
    {
        Assert.False(OperatingSystem.IsWindows(), "the redirection is made by /bin/sh");
        return Run(args, stdin: null, workingDirectory: null, viaShellFrom: file);
    }

    /// <summary>Runs <c>appraisal ARGS</c> with raw bytes on standard input (or an empty, closed one).</summary>
    public static CliResult Run(IEnumerable<string> args, byte[]? stdin, string? workingDirectory = null) =>
        Run(args, stdin, workingDirectory, viaShellFrom: null);

    private static CliResult Run(IEnumerable<string> args, byte[]? stdin, string? workingDirectory, string? viaShellFrom)
    {
        ArgumentNullException.ThrowIfNull(args);
        Assert.True(File.Exists(Dll), $"the built CLI is missing: {Dll}");
        var start = new ProcessStartInfo(viaShellFrom is null ? Host : "/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = Utf8,
            StandardOutputEncoding = Utf8,
            StandardErrorEncoding = Utf8,
            WorkingDirectory = workingDirectory ?? AppContext.BaseDirectory,
        };
        if (viaShellFrom is not null)
        {
            // sh -c 'f=$1; shift; exec "$@" < "$f"' sh FILE dotnet appraisal.dll ARGS…
            foreach (var arg in new[] { "-c", "f=$1; shift; exec \"$@\" < \"$f\"", "sh", viaShellFrom, Host })
            {
                start.ArgumentList.Add(arg);
            }
        }

        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";

        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start " + Host);
        using var stdout = new MemoryStream();
        var readOut = process.StandardOutput.BaseStream.CopyToAsync(stdout);
        var readErr = process.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null)
            {
                process.StandardInput.BaseStream.Write(stdin);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The command may exit without reading standard input (e.g. a usage error): not our concern here.
        }

        if (!process.WaitForExit(Timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"appraisal {string.Join(' ', args)} did not finish within {Timeout.TotalSeconds} s");
        }

        // The overload with a timeout does not wait for the redirected streams to drain; this one does.
        process.WaitForExit();
        Assert.True(Task.WaitAll([readOut, readErr], Timeout), "the output streams were not closed");
        var bytes = stdout.ToArray();
        return new CliResult(process.ExitCode, Utf8.GetString(bytes), readErr.Result) { StdoutBytes = bytes };
    }

    /// <summary>Runs <c>appraisal ARGS</c> given as one string split at spaces (for arguments without spaces).</summary>
    public static CliResult Run(string args, string? stdin = null, string? workingDirectory = null) =>
        Run(args.Split(' ', StringSplitOptions.RemoveEmptyEntries), stdin, workingDirectory);

    private static string FindDotnetHost()
    {
        // Set by the dotnet CLI for the processes it starts (dotnet test); otherwise derive it from this runtime.
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        var name = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        var root = Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        var candidate = Path.Combine(root, name);
        return File.Exists(candidate) ? candidate : name;
    }
}
