using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Appraisal.Web.Tests.Telemetry;

/// <summary>One log entry as a provider receives it: the formatted line, its exception, its structured values and its scopes.</summary>
public sealed record CapturedLog(
    string Category,
    LogLevel Level,
    string Message,
    string? Exception,
    IReadOnlyList<KeyValuePair<string, object?>> Values,
    IReadOnlyList<string> Scopes,
    IReadOnlyList<KeyValuePair<string, object?>> ScopeValues)
{
    /// <summary>Everything of the entry a log sink could write, as text.</summary>
    public string AllText => string.Join(" | ", new[] { Message, Exception ?? string.Empty }
        .Concat(Values.Select(v => $"{v.Key}={v.Value}"))
        .Concat(Scopes)
        .Concat(ScopeValues.Select(v => $"{v.Key}={v.Value}")));
}

/// <summary>A logging provider that keeps every entry of every category, with the scopes around it (as the console's JSON format writes them).</summary>
public sealed class LogCapture : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public ConcurrentQueue<CapturedLog> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs ? pairs.ToList() : [];
            var scopeTexts = new List<string>();
            var scopeValues = new List<KeyValuePair<string, object?>>();
            owner.scopes.ForEachScope(
                (scope, _) =>
                {
                    scopeTexts.Add(scope?.ToString() ?? string.Empty);
                    if (scope is IEnumerable<KeyValuePair<string, object?>> kv)
                    {
                        scopeValues.AddRange(kv);
                    }
                },
                (object?)null);
            owner.Entries.Enqueue(new CapturedLog(category, logLevel, formatter(state, exception), exception?.ToString(), values, scopeTexts, scopeValues));
        }
    }
}
