using System.Diagnostics;

namespace Appraisal.Cli.Batch;

/// <summary>
/// A progress bar on standard error for a batch job: nothing for a job done within a second, then one line
/// redrawn at most ten times a second (<c>导入 import [#########-----------]  45%  22 500/50 000</c>), ended by a
/// newline. Drawn only on a terminal, or always with <c>APPRAISAL_PROGRESS=always</c>; never on standard output,
/// which may be the file being written.
/// </summary>
internal sealed class ConsoleProgress : IProgress<(long Done, long Total)>, IDisposable
{
    private const int Width = 30;
    private readonly TextWriter stderr;
    private readonly string label;
    private readonly bool enabled;
    private readonly Stopwatch clock = Stopwatch.StartNew();
    private readonly Lock gate = new();
    private long lastDrawn = -1;
    private bool drawn;

    public ConsoleProgress(TextWriter stderr, string label)
    {
        this.stderr = stderr;
        this.label = label;
        enabled = Environment.GetEnvironmentVariable("APPRAISAL_PROGRESS") switch
        {
            "always" => true,
            "never" => false,
            _ => !Console.IsErrorRedirected,
        };
    }

    /// <summary>Shown after this long only, so that quick jobs stay quiet.</summary>
    public static TimeSpan Delay { get; } = TimeSpan.FromSeconds(1);

    public void Report((long Done, long Total) value)
    {
        if (!enabled || clock.Elapsed < Delay)
        {
            return;
        }

        lock (gate)
        {
            var now = clock.ElapsedMilliseconds;
            if (drawn && now - lastDrawn < 100 && value.Done < value.Total)
            {
                return;
            }

            lastDrawn = now;
            drawn = true;
            var share = value.Total <= 0 ? 0 : Math.Clamp((double)value.Done / value.Total, 0, 1);
            var filled = (int)Math.Round(share * Width);
            stderr.Write($"\r{label} [{new string('#', filled)}{new string('-', Width - filled)}] {share,4:P0}  {value.Done:N0}/{value.Total:N0}  ");
            stderr.Flush();
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            if (drawn)
            {
                stderr.WriteLine();
            }
        }
    }
}
