using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Appraisal.Web.Tests.Infrastructure;

namespace Appraisal.Web.Tests.Reliability;

/// <summary>
/// The real application as a process: <c>dotnet Appraisal.Web.dll</c> (the Release build <c>./test.sh</c>
/// makes, or the configuration these tests were built in), Production environment, configured by environment
/// variables, on a free port of 127.0.0.1; its output is kept line by line; <see cref="Kill"/> is SIGKILL.
/// </summary>
public sealed class AppProcess : IDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();
    private readonly SemaphoreSlim arrived = new(0);

    private AppProcess(Process process, Uri address)
    {
        this.process = process;
        Address = address;
    }

    public Uri Address { get; }

    public int Id => process.Id;

    public bool HasExited => process.HasExited;

    public int ExitCode => process.ExitCode;

    /// <summary>Everything written so far (standard output and error, interleaved as read).</summary>
    public string Output => string.Join('\n', lines);

    /// <summary>The built web application; a missing build is an error, never a skip.</summary>
    public static string WebDll()
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var dll = Path.Combine(AppFactory.RepositoryRoot(), "src", "Appraisal.Web", "bin", configuration, "net10.0", "Appraisal.Web.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"{dll} is missing: build the solution first (./test.sh does)");
    }

    /// <summary>Starts the web host with <paramref name="settings"/> (configuration keys, e.g. <c>Database:Provider</c>) as environment variables.</summary>
    public static AppProcess Start(IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var address = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = Prepare(settings, [.. arguments, "--urls", address.ToString().TrimEnd('/')]);
        var app = new AppProcess(new Process { StartInfo = start, EnableRaisingEvents = true }, address);
        app.process.OutputDataReceived += (_, e) => app.Add(e.Data);
        app.process.ErrorDataReceived += (_, e) => app.Add(e.Data);
        app.process.Start();
        app.process.BeginOutputReadLine();
        app.process.BeginErrorReadLine();
        return app;
    }

    /// <summary>Runs a verb of the web host (backup, restore) to its end: exit code and output.</summary>
    public static async Task<(int Code, string Output)> RunAsync(IReadOnlyDictionary<string, string> settings, params string[] arguments)
    {
        using var process = Process.Start(Prepare(settings, arguments))!;
        var error = process.StandardError.ReadToEndAsync();
        var output = await process.StandardOutput.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(deadline.Token);
        return (process.ExitCode, output + await error);
    }

    /// <summary>Waits until a line containing <paramref name="text"/> has been written; fails when the process ends first or after <paramref name="timeout"/>.</summary>
    public async Task<string> WaitForLineAsync(string text, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } line)
            {
                return line;
            }

            if (process.HasExited)
            {
                process.WaitForExit(); // the last lines are read
                if (lines.FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal)) is { } last)
                {
                    return last;
                }

                throw new InvalidOperationException($"the application ended (exit code {process.ExitCode}) before writing \"{text}\":\n{Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"no line \"{text}\" within {timeout.TotalSeconds:0} s:\n{Output}");
            }

            await arrived.WaitAsync(TimeSpan.FromMilliseconds(200));
        }
    }

    /// <summary>Waits until the sign-in page answers 200.</summary>
    public async Task WaitReadyAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (process.HasExited)
            {
                process.WaitForExit();
                throw new InvalidOperationException($"the application ended (exit code {process.ExitCode}) while starting:\n{Output}");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/Account/Login", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Busy starting.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the application did not answer within {timeout.TotalSeconds:0} s:\n{Output}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>SIGKILL (Process.Kill on Unix): no shutdown code runs, as in a power cut of the process.</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>Waits for the process to end by itself.</summary>
    public async Task<bool> WaitForExitAsync(TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
            process.WaitForExit();
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
        arrived.Dispose();
    }

    private static ProcessStartInfo Prepare(IReadOnlyDictionary<string, string> settings, string[] arguments)
    {
        var dll = WebDll();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment.Remove("ASPNETCORE_URLS");
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return start;
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
            arrived.Release();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
