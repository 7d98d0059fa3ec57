using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Reprise.Capture.Tests.Hosting;

/// <summary>Collects every log line (level, event id, formatted message) for assertions.</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<LogLine> _entries = new();

    public IReadOnlyList<string> Lines => [.. _entries.Select(e => e.Message)];

    public IReadOnlyList<LogLine> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new ListLogger(_entries);

    public void Dispose()
    {
    }

    internal sealed record LogLine(LogLevel Level, int EventId, string Message);

    private sealed class ListLogger(ConcurrentQueue<LogLine> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            entries.Enqueue(new LogLine(logLevel, eventId.Id, formatter(state, exception)));
    }
}
