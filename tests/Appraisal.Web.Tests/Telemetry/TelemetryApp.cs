using System.Diagnostics;
using Appraisal.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Appraisal.Web.Tests.Telemetry;

/// <summary>
/// The web application with telemetry on: an OTLP endpoint configured (a loopback <see cref="OtlpReceiver"/>,
/// OTLP over HTTP) exactly as an operator would set it, plus in-memory exporters beside the OTLP one, so that the
/// tests read the spans and metrics the application produced.
/// </summary>
public sealed class TelemetryApp : AppFactory
{
    public OtlpReceiver Collector { get; } = new();

    /// <summary>An SMTP server for the reminder e-mails, so that sending them is measured too.</summary>
    public netDumbster.smtp.SimpleSmtpServer Smtp { get; } = netDumbster.smtp.SimpleSmtpServer.Start(Reminders.MailApp.FreePort());

    public LockedCollection<Activity> Spans { get; } = new();

    public LockedCollection<MetricSnapshot> Metrics { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("OTEL_EXPORTER_OTLP_ENDPOINT", Collector.Endpoint);
        builder.UseSetting("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");
        builder.UseSetting("Smtp:Host", "127.0.0.1");
        builder.UseSetting("Smtp:Port", Smtp.Configuration.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.ConfigureTestServices(services =>
        {
            services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans));
            services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(Metrics));
        });
    }

    /// <summary>Exports what is pending now, to the in-memory exporters and to the collector.</summary>
    public void Flush()
    {
        Services.GetRequiredService<TracerProvider>().ForceFlush();
        Services.GetRequiredService<MeterProvider>().ForceFlush();
    }

    /// <summary>The latest cumulative figure of <paramref name="metric"/> (counter: its sum; histogram: its count), over the points whose tag <paramref name="tag"/> has <paramref name="value"/> (all points when null).</summary>
    public long Total(string metric, string? tag = null, string? value = null)
    {
        Flush();
        var snapshot = Metrics.Snapshot().LastOrDefault(m => m.Name == metric);
        if (snapshot is null)
        {
            return 0;
        }

        long total = 0;
        foreach (var point in snapshot.MetricPoints)
        {
            if (tag is not null && !HasTag(point, tag, value))
            {
                continue;
            }

            total += snapshot.MetricType == MetricType.Histogram ? point.GetHistogramCount() : point.GetSumLong();
        }

        return total;
    }

    /// <summary>Waits (at most 10 s) for a figure the server records just after answering to reach <paramref name="atLeast"/>.</summary>
    public async Task<bool> TotalReachesAsync(long atLeast, string metric, string? tag = null, string? value = null)
    {
        for (var i = 0; i < 200; i++)
        {
            if (Total(metric, tag, value) >= atLeast)
            {
                return true;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        return false;
    }

    /// <summary>The sum of a histogram's values, all points.</summary>
    public double HistogramSum(string metric)
    {
        Flush();
        var snapshot = Metrics.Snapshot().LastOrDefault(m => m.Name == metric);
        return snapshot is null ? 0 : snapshot.MetricPoints.Sum(p => p.GetHistogramSum());
    }

    /// <summary>Waits (at most 10 s) for a span the server ends just after answering.</summary>
    public async Task<Activity> SpanAsync(Func<Activity, bool> match)
    {
        for (var i = 0; i < 200; i++)
        {
            if (Spans.Snapshot().FirstOrDefault(match) is { } span)
            {
                return span;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new InvalidOperationException("no such span; spans: " + string.Join(", ", Spans.Snapshot().Select(s => $"{s.Source.Name}:{s.DisplayName}")));
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Collector.Dispose();
        Smtp.Dispose();
    }

    private static bool HasTag(MetricPoint point, string tag, string? value)
    {
        foreach (var t in point.Tags)
        {
            if (t.Key == tag && Equals(t.Value?.ToString(), value))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>A collection the exporters add to from their own threads while a test reads it.</summary>
public sealed class LockedCollection<T> : ICollection<T>
{
    private readonly List<T> items = [];

    public int Count
    {
        get
        {
            lock (items)
            {
                return items.Count;
            }
        }
    }

    public bool IsReadOnly => false;

    public List<T> Snapshot()
    {
        lock (items)
        {
            return [.. items];
        }
    }

    public void Add(T item)
    {
        lock (items)
        {
            items.Add(item);
        }
    }

    public void Clear()
    {
        lock (items)
        {
            items.Clear();
        }
    }

    public bool Contains(T item)
    {
        lock (items)
        {
            return items.Contains(item);
        }
    }

    public void CopyTo(T[] array, int arrayIndex)
    {
        lock (items)
        {
            items.CopyTo(array, arrayIndex);
        }
    }

    public bool Remove(T item)
    {
        lock (items)
        {
            return items.Remove(item);
        }
    }

    public IEnumerator<T> GetEnumerator() => Snapshot().GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
}
