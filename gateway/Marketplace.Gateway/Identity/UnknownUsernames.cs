using System.Collections.Concurrent;

namespace Marketplace.Gateway.Identity;

/// <summary>
/// Counts failed sign-ins for usernames that do not exist, with the same lockout rule as real
/// accounts, so that a locked answer (429) does not tell a guesser which usernames are real.
/// Held in memory and bounded: it only has to look like the real thing for the lockout period.
/// </summary>
public sealed class UnknownUsernames(TimeProvider time)
{
    private const int Capacity = 100_000;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed record Entry(int Failed, DateTimeOffset? LockedUntil, DateTimeOffset LastFailure);

    /// <returns>how long the name stays locked, or null.</returns>
    public TimeSpan? LockedFor(string key)
    {
        var now = time.GetUtcNow();
        return _entries.TryGetValue(key, out var e) && e.LockedUntil is { } until && until > now ? until - now : null;
    }

    /// <returns>how long the name is now locked, or null.</returns>
    public TimeSpan? Failed(string key)
    {
        var now = time.GetUtcNow();
        if (_entries.Count >= Capacity) Prune(now);
        var entry = _entries.AddOrUpdate(key,
            _ => new Entry(1, null, now),
            (_, e) =>
            {
                var failed = e.LockedUntil is { } until && until <= now || now - e.LastFailure > Account.LockoutDuration ? 1 : e.Failed + 1;
                return failed >= Account.MaxFailedAttempts
                    ? new Entry(0, now + Account.LockoutDuration, now)
                    : new Entry(failed, null, now);
            });
        return entry.LockedUntil is { } locked && locked > now ? locked - now : null;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, e) in _entries)
            if (now - e.LastFailure > Account.LockoutDuration) _entries.TryRemove(key, out _);
        // still full (a flood of distinct names): forget the oldest half rather than grow without bound
        if (_entries.Count >= Capacity)
            foreach (var (key, _) in _entries.OrderBy(kv => kv.Value.LastFailure).Take(Capacity / 2).ToList())
                _entries.TryRemove(key, out _);
    }
}
