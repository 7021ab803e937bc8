using System.Text.Json;
using System.Text.Json.Serialization;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Messaging;
using MassTransit;

namespace Marketplace.ServiceDefaults.Storage;

/// <summary>
/// Base for aggregates. Guarded methods call <see cref="Raise"/>; the events are written into
/// the same document as the aggregate when it is saved, and published later by the dispatcher.
/// </summary>
public abstract class AggregateRoot
{
    private readonly List<object> _pendingEvents = [];

    /// <summary>The stored version; set by the store, never by the aggregate.</summary>
    [JsonIgnore] public long Version { get; internal set; }

    [JsonIgnore] public abstract string StoreId { get; }

    [JsonIgnore] public IReadOnlyList<object> PendingEvents => _pendingEvents;

    /// <summary>
    /// Stored fields this release does not know — written by a newer release during a rolling
    /// update. They are kept and written back, so an older replica that changes the document does
    /// not erase what the newer one recorded.
    /// </summary>
    [JsonExtensionData] public Dictionary<string, System.Text.Json.JsonElement>? UnknownFields { get; internal set; }

    protected void Raise(object integrationEvent) => _pendingEvents.Add(integrationEvent);

    internal void ClearPendingEvents() => _pendingEvents.Clear();
}

/// <summary>Loads and saves one kind of aggregate in one collection of a document store.</summary>
public sealed class AggregateStore<T>(
    IDocumentStore store,
    string collection,
    Func<T, IReadOnlyDictionary<string, string>> indexFields,
    OutboxSignal signal,
    TimeProvider time) where T : AggregateRoot
{
    public string Collection => collection;

    public IDocumentStore Store => store;

    public async Task<T?> FindAsync(string id, CancellationToken ct = default)
    {
        var doc = await store.GetAsync(collection, id, ct);
        return doc is null ? null : Read(doc);
    }

    /// <exception cref="DocumentExistsException">an aggregate with that id exists.</exception>
    public async Task InsertAsync(T aggregate, CancellationToken ct = default)
    {
        var stored = await store.InsertAsync(collection, ToDocument(aggregate), ct);
        Saved(aggregate, stored.Version);
    }

    /// <summary>Saves an aggregate loaded at <see cref="AggregateRoot.Version"/>; fails if someone saved in between.</summary>
    /// <exception cref="ConcurrencyConflictException">the aggregate changed since it was loaded.</exception>
    public async Task SaveAsync(T aggregate, CancellationToken ct = default)
    {
        var stored = await store.ReplaceAsync(collection, ToDocument(aggregate), aggregate.Version, ct);
        Saved(aggregate, stored.Version);
    }

    /// <summary>
    /// Loads, checks who may act, checks the version the caller expects (If-Match), changes and
    /// saves. Without a version to match (no If-Match, or <c>*</c>) a save that lost a race is tried
    /// again on the fresh document (the change re-checks its rules there); with one, a race is the
    /// caller's 412 or 409.
    /// </summary>
    public async Task<T> ChangeAsync(Func<CancellationToken, Task<T>> load, IfMatch? ifMatch, Action<T> authorize, Func<T, Task> change, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var aggregate = await load(ct);
            authorize(aggregate);
            if (ifMatch is not null && !ifMatch.Matches(aggregate.Version))
                throw new PreconditionFailedException($"数据已被修改（当前版本 {aggregate.Version}），请刷新后重试 / It is at version {aggregate.Version}, not {ifMatch}; reload it.");
            await change(aggregate);
            try
            {
                await SaveAsync(aggregate, ct);
                return aggregate;
            }
            catch (ConcurrencyConflictException) when ((ifMatch is null || ifMatch.IsAny) && attempt < MaxChangeAttempts)
            {
                // spread the losers out so they do not collide again
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), ct);
            }
        }
    }

    /// <inheritdoc cref="ChangeAsync(Func{CancellationToken, Task{T}}, IfMatch?, Action{T}, Func{T, Task}, CancellationToken)"/>
    public Task<T> ChangeAsync(Func<CancellationToken, Task<T>> load, IfMatch? ifMatch, Action<T> authorize, Action<T> change, CancellationToken ct = default) =>
        ChangeAsync(load, ifMatch, authorize, aggregate =>
        {
            change(aggregate);
            return Task.CompletedTask;
        }, ct);

    private const int MaxChangeAttempts = 10;

    /// <summary>Every aggregate a query matches, page by page — for sets known to be small (a sub-market's brokers, a broker's deals); without <paramref name="sortBy"/>, in the index's order.</summary>
    public async Task<List<T>> QueryAllAsync(IReadOnlyList<FieldFilter> filters, string? sortBy, CancellationToken ct = default)
    {
        const int batch = 500;
        var all = new List<T>();
        while (true)
        {
            var (items, _) = await QueryAsync(new DocumentQuery { Filters = filters, SortBy = sortBy, Skip = all.Count, Take = batch, CountTotal = false }, ct);
            all.AddRange(items);
            if (items.Count < batch) return all;
        }
    }

    public async Task<(IReadOnlyList<T> Items, long Total)> QueryAsync(DocumentQuery query, CancellationToken ct = default)
    {
        var page = await PageAsync(query, ct);
        return (page.Items, page.Total);
    }

    /// <summary>One page, with whether its total stopped at the cap (<see cref="DocumentPage.TotalCapped"/>).</summary>
    public async Task<(IReadOnlyList<T> Items, long Total, bool TotalCapped)> PageAsync(DocumentQuery query, CancellationToken ct = default)
    {
        var page = await store.QueryAsync(collection, query, ct);
        return (page.Items.Select(Read).ToList(), page.Total, page.TotalCapped);
    }

    private void Saved(T aggregate, long version)
    {
        var raised = aggregate.PendingEvents.Count > 0;
        aggregate.Version = version;
        aggregate.ClearPendingEvents();
        if (raised) signal.Notify();
    }

    private StoredDocument ToDocument(T aggregate) => new()
    {
        Id = aggregate.StoreId,
        Body = JsonSerializer.Serialize(aggregate, MarketJson.Storage),
        Fields = indexFields(aggregate),
        Outbox = aggregate.PendingEvents.Select(e => new OutboxMessage(
            NewId.NextGuid(),
            EventTypes.NameOf(e.GetType()),
            JsonSerializer.Serialize(e, e.GetType(), MarketJson.Wire),
            time.GetUtcNow())).ToList(),
    };

    private static T Read(StoredDocument doc)
    {
        var aggregate = JsonSerializer.Deserialize<T>(doc.Body, MarketJson.Storage)
            ?? throw new InvalidOperationException($"Document '{doc.Id}' has an empty body.");
        aggregate.Version = doc.Version;
        return aggregate;
    }
}
