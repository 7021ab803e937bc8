namespace Marketplace.Portal.Api;

/// <summary>
/// Figures every anonymous visitor sees alike (the home page's published counts, brokers, this year's turnover),
/// kept for <see cref="MaxAge"/>: the home page is the market's most visited, and each view asked the API five
/// times, three of them searches. Only a complete set is kept (one with a failed figure is asked for again), and a
/// signed-in user's figures are never shared (what the API answers may depend on who asks).
/// </summary>
public sealed class SharedFigures<T>(TimeProvider time) where T : class
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private (T Value, DateTimeOffset At)? _kept;

    /// <summary>The figures kept, if younger than <see cref="MaxAge"/>.</summary>
    public T? Fresh => _kept is { } kept && time.GetUtcNow() - kept.At < MaxAge ? kept.Value : null;

    public void Keep(T value) => _kept = (value, time.GetUtcNow());
}
