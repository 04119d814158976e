using System.Collections.Concurrent;
using Appraisal.Core.Months;
using Appraisal.Core.Policy;

namespace Appraisal.Core.Results.Json;

/// <summary>
/// Reading, computing and writing an evaluate run overlapped on two threads, so that the two cores of a small server
/// share the work instead of taking turns (docs/benchmarks.md). Only the order of the work changes, never its
/// outcome: months are still computed one after another in chronological order (D12, D14 carry history forward).
/// </summary>
internal static class Pipeline
{
    /// <summary>
    /// Reads plain input (<see cref="PlainInputReader"/>), handing each month to a second thread that computes it;
    /// null when the input is not plain, to be read again from the start by the general reader. Computed months are
    /// held until written, so a large run holds its results (docs/benchmarks.md), but not its input: a month handed
    /// over is dropped once computed. Input whose months are not in chronological order is read again from the start
    /// (the months handed over are gone) and computed afterwards, while it is written.
    /// </summary>
    public static EvaluationOutput? ReadWhileComputing(Stream utf8Json, PolicyDocument policy)
    {
        // Disposed by the thread that computes, which goes on after this method has returned.
        var read = new BlockingCollection<MonthInput>();
        var computed = new BlockingCollection<MonthResult>();
        var abandoned = false;
        var computing = Task.Run(() =>
        {
            try
            {
                var sequence = new Evaluator.MonthSequence(policy);
                foreach (var month in read.GetConsumingEnumerable())
                {
                    if (!Volatile.Read(ref abandoned))
                    {
                        computed.Add(sequence.Next(month));
                    }
                }
            }
            finally
            {
                computed.CompleteAdding();
                read.Dispose();
            }
        });

        // Months out of chronological order stop the handing over; they are computed after the reading, sorted.
        var start = utf8Json.Position;
        YearMonth? last = null;
        var inOrder = true;
        ValidatedInput? input;
        try
        {
            input = PlainInputReader.TryRead(utf8Json, policy, month =>
            {
                inOrder &= last is not { } previous || month.Month > previous;
                last = month.Month;
                if (inOrder)
                {
                    read.Add(month);
                }

                return inOrder;
            });
        }
        finally
        {
            read.CompleteAdding();
        }

        if (input is not null && inOrder)
        {
            return new EvaluationOutput(computed, computing);
        }

        Volatile.Write(ref abandoned, true);
        computing.GetAwaiter().GetResult();
        computed.Dispose();
        if (input is null)
        {
            return null;
        }

        // Plain and valid, but out of order: read again, this time keeping every month.
        utf8Json.Position = start;
        return PlainInputReader.TryRead(utf8Json, policy) is { } whole ? new EvaluationOutput(whole) : null;
    }

    /// <summary>
    /// The months of <paramref name="months"/>, each next one computed on another thread while the caller writes
    /// the current one: writing a month takes a fraction of the time computing one does (about a tenth), and on
    /// two cores the two overlap. Months are still computed one after another, in order; at most two are held at a time.
    /// </summary>
    public static IEnumerable<MonthResult> ComputeOneAhead(IEnumerable<MonthResult> months)
    {
        using var enumerator = months.GetEnumerator();
        var next = Task.Run(enumerator.MoveNext);
        try
        {
            // GetResult, not Result: a failure surfaces as itself, not wrapped in an AggregateException.
            while (next.GetAwaiter().GetResult())
            {
                var current = enumerator.Current;
                next = Task.Run(enumerator.MoveNext);
                yield return current;
            }
        }
        finally
        {
            // Should writing fail, the month in progress must finish before the enumerator is disposed under it;
            // its own outcome no longer matters.
            next.ContinueWith(static _ => { }, TaskScheduler.Default).Wait();
        }
    }
}
