using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Marketplace.TestKit;

/// <summary>
/// What one in-process host logged, kept for the test that started it: a flow that goes quiet (a
/// notice that never arrives) can then say what the host saw. The market's own categories are kept
/// from <paramref name="minimum"/> up, the framework's (<c>Microsoft.*</c>, <c>System.*</c>: a line per
/// request) from warnings up.
/// </summary>
public sealed class HostLog(LogLevel minimum = LogLevel.Warning, int keep = 200) : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    /// <summary>Everything kept, oldest first.</summary>
    public string Text => _lines.IsEmpty ? "(nothing was logged)" : string.Join("\n", _lines);

    public ILogger CreateLogger(string categoryName) => new Sink(this, categoryName);

    public void Dispose() { }

    private sealed class Sink(HostLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        private readonly LogLevel _from = category.StartsWith("Microsoft.", StringComparison.Ordinal) || category.StartsWith("System.", StringComparison.Ordinal)
            ? (LogLevel)Math.Max((int)log.Minimum, (int)LogLevel.Warning)
            : log.Minimum;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= _from && logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            log._lines.Enqueue($"{DateTimeOffset.UtcNow:HH:mm:ss.fff} {logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
            while (log._lines.Count > log.Keep) log._lines.TryDequeue(out _);
        }
    }

    private LogLevel Minimum => minimum;

    private int Keep => keep;
}
