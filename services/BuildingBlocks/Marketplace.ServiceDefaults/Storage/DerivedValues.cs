using System.Collections.Concurrent;

namespace Marketplace.ServiceDefaults.Storage;

/// <summary>
/// Values computed from a set of documents (statistics, a directory's order), kept until the set changes: each read
/// asks the store for the set's change stamp (<see cref="IDocumentStore.ChangeStampAsync"/>, written in the same
/// write as the documents) and recomputes only when it moved. The stamp is read before the documents, so a write
/// landing during a computation leaves the value behind a stamp that has moved already: the next read recomputes.
/// Where the store keeps no stamp (MongoDB) a value stands for <paramref name="unstampedLifetime"/>.
/// Concurrent readers of a value being computed wait for the one computation.
/// </summary>
public sealed class DerivedValues<TKey, TValue>(
    IDocumentStore store,
    string collection,
    IReadOnlyList<FieldFilter> stampOf,
    TimeProvider time,
    TimeSpan unstampedLifetime,
    int capacity = 256) where TKey : notnull
{
    private sealed record Entry(long? Stamp, DateTimeOffset ComputedAt, Task<TValue> Value);

    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();

    public async Task<TValue> GetAsync(TKey key, Func<CancellationToken, Task<TValue>> compute, CancellationToken ct)
    {
        var stamp = await store.ChangeStampAsync(collection, stampOf, ct);
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var entry) && Fresh(entry, stamp, now) && !entry.Value.IsFaulted && !entry.Value.IsCanceled)
            return await entry.Value.WaitAsync(ct);
        if (_entries.Count >= capacity) _entries.Clear();
        // computed without the caller's cancellation: others may be waiting for it
        var fresh = new Entry(stamp, now, compute(CancellationToken.None));
        var winner = _entries.AddOrUpdate(key, fresh, (_, old) => Fresh(old, stamp, now) && !old.Value.IsFaulted ? old : fresh);
        return await winner.Value.WaitAsync(ct);
    }

    private bool Fresh(Entry entry, long? stamp, DateTimeOffset now) =>
        stamp is not null ? entry.Stamp == stamp : entry.Stamp is null && now - entry.ComputedAt < unstampedLifetime;
}
