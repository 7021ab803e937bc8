using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Marketplace.TestKit;

/// <summary>
/// The errors the in-process hosts logged (an unexpected exception behind a 500), kept so that a test that
/// meets a 500 can say what threw: the response itself carries no internals, by design.
/// </summary>
public sealed class ServerErrors : ILoggerProvider
{
    private static readonly ConcurrentQueue<string> Logged = new();

    /// <summary>The last few errors logged by any host of this test run, newest last.</summary>
    public static string Recent(int count = 3)
    {
        var all = Logged.ToArray();
        return all.Length == 0 ? "(no server error was logged)" : string.Join("\n---\n", all.Skip(Math.Max(0, all.Length - count)));
    }

    public ILogger CreateLogger(string categoryName) => new Sink(categoryName);

    public void Dispose() { }

    private sealed class Sink(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Error;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            Logged.Enqueue($"{category}: {formatter(state, exception)}\n{exception}");
            while (Logged.Count > 50) Logged.TryDequeue(out _);
        }
    }
}
