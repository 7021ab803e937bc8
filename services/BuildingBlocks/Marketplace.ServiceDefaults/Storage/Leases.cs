using System.Text.Json;
using Marketplace.ServiceDefaults.Json;

namespace Marketplace.ServiceDefaults.Storage;

/// <summary>
/// Time-limited leases in a document store, so that a job every replica runs (the outbox
/// dispatcher, a sweep) is done by one replica at a time. Taking or renewing a lease is one
/// versioned write; a replica that dies keeps its lease until it expires, then another takes over.
/// </summary>
public sealed class Leases(IDocumentStore store, TimeProvider time, string owner)
{
    public const string Collection = "leases";

    private sealed record Lease(string Owner, DateTimeOffset Until);

    public string Owner => owner;

    /// <summary>Takes the lease, or renews it when this owner holds it.</summary>
    /// <returns>whether this owner holds the lease for <paramref name="duration"/> from now.</returns>
    public async Task<bool> TryAcquireAsync(string name, TimeSpan duration, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        var body = JsonSerializer.Serialize(new Lease(owner, now + duration), MarketJson.Storage);
        var doc = await store.GetAsync(Collection, name, ct);
        try
        {
            if (doc is null)
            {
                await store.InsertAsync(Collection, new StoredDocument { Id = name, Body = body }, ct);
                return true;
            }
            var current = JsonSerializer.Deserialize<Lease>(doc.Body, MarketJson.Storage)!;
            if (current.Owner != owner && current.Until > now) return false;
            await store.ReplaceAsync(Collection, doc with { Body = body, Outbox = [] }, doc.Version, ct);
            return true;
        }
        catch (Exception e) when (e is DocumentExistsException or ConcurrencyConflictException)
        {
            return false; // another replica took or renewed it at the same moment
        }
    }

    /// <summary>Gives the lease up (on a clean stop), so another replica need not wait for it to expire.</summary>
    public async Task ReleaseAsync(string name, CancellationToken ct = default)
    {
        var doc = await store.GetAsync(Collection, name, ct);
        if (doc is null || JsonSerializer.Deserialize<Lease>(doc.Body, MarketJson.Storage)!.Owner != owner) return;
        try
        {
            var released = JsonSerializer.Serialize(new Lease(owner, DateTimeOffset.MinValue), MarketJson.Storage);
            await store.ReplaceAsync(Collection, doc with { Body = released, Outbox = [] }, doc.Version, ct);
        }
        catch (ConcurrencyConflictException)
        {
        }
    }
}
