using System.Collections.Concurrent;

namespace Marketplace.Gateway.Identity;

/// <summary>
/// Counts failed sign-ins for usernames that do not exist, by the same rules as real accounts
/// (<see cref="SignInFailures"/>: per-address locks, the slowdown), so that a 429 does not tell a
/// guesser which usernames are real. Held in memory and bounded: it only has to look like the
/// real thing for the lockout period.
/// </summary>
public sealed class UnknownUsernames(TimeProvider time)
{
    private const int Capacity = 100_000;
    private readonly ConcurrentDictionary<string, SignInFailures> _entries = new(StringComparer.Ordinal);

    /// <returns>how long this address must wait before it may try the name, or null.</returns>
    public TimeSpan? Refusal(string key, string address)
    {
        if (!_entries.TryGetValue(key, out var failures)) return null;
        lock (failures) return failures.Refusal(address, time.GetUtcNow());
    }

    /// <returns>how long this address must now wait, or null.</returns>
    public TimeSpan? Failed(string key, string address)
    {
        var now = time.GetUtcNow();
        if (_entries.Count >= Capacity) Prune(now);
        var failures = _entries.GetOrAdd(key, _ => new SignInFailures());
        lock (failures)
        {
            failures.Failed(address, now);
            return failures.Refusal(address, now);
        }
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, failures) in _entries)
            lock (failures)
                if (failures.IsQuiet(now)) _entries.TryRemove(key, out _);
        // still full (a flood of distinct names): forget the oldest half rather than grow without bound
        if (_entries.Count >= Capacity)
            foreach (var (key, _) in _entries.OrderBy(kv => kv.Value.LastFailureAt).Take(Capacity / 2).ToList())
                _entries.TryRemove(key, out _);
    }
}
