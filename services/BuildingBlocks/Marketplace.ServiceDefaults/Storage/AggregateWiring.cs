using System.Collections;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Marketplace.ServiceDefaults.Storage;

/// <summary>
/// The fields of an aggregate that a collection indexes, each with how it is read off the
/// aggregate: one list gives both the index names ensured at start and the values written.
/// </summary>
public sealed class IndexFields<T> : IEnumerable<string>
{
    private readonly List<(string Name, Func<T, string> Read)> _fields = [];

    public IReadOnlyList<string> Names => _fields.Select(f => f.Name).ToList();

    /// <summary>For collection initialisers: <c>{ "status", l =&gt; WireCode.Of(l.Status) }</c>.</summary>
    public void Add(string name, Func<T, string> read)
    {
        if (_fields.Any(f => f.Name == name)) throw new ArgumentException($"Index field '{name}' is listed twice.", nameof(name));
        _fields.Add((name, read));
    }

    public IReadOnlyDictionary<string, string> Of(T aggregate) => _fields.ToDictionary(f => f.Name, f => f.Read(aggregate));

    public IEnumerator<string> GetEnumerator() => Names.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}

public static class AggregateWiring
{
    /// <summary>
    /// The one way a module stores an aggregate: registers <see cref="AggregateStore{T}"/> for
    /// <paramref name="collection"/> of the store <paramref name="storeKey"/> (adding that store if
    /// this process has none yet), ensures the collection's indexes at start, and — with
    /// <paramref name="outbox"/> — lets the dispatcher publish the events the aggregate raises.
    /// </summary>
    public static IHostApplicationBuilder AddAggregates<T>(this IHostApplicationBuilder builder, string storeKey, string collection,
        IndexFields<T> indexFields, bool outbox = true) where T : AggregateRoot
    {
        builder.AddDocumentStore(storeKey);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new AggregateStore<T>(
            sp.GetRequiredKeyedService<IDocumentStore>(storeKey), collection, indexFields.Of,
            sp.GetRequiredService<OutboxSignal>(), sp.GetRequiredService<TimeProvider>()));
        builder.EnsureIndexes(storeKey, collection, indexFields.Names);
        if (outbox) builder.Services.AddOutboxSource(storeKey, collection);
        return builder;
    }

    /// <summary>Ensures at start the indexes of a collection a module queries without an aggregate store (counters, leases).</summary>
    public static IHostApplicationBuilder EnsureIndexes(this IHostApplicationBuilder builder, string storeKey, string collection, IReadOnlyList<string> fields)
    {
        builder.AddDocumentStore(storeKey);
        builder.Services.AddHostedService(sp => new CollectionIndexes(sp.GetRequiredKeyedService<IDocumentStore>(storeKey), collection, fields));
        return builder;
    }

    /// <summary>Ensures one collection's indexes (and the store's own, such as pending outbox messages) before the host serves requests.</summary>
    private sealed class CollectionIndexes(IDocumentStore store, string collection, IReadOnlyList<string> fields) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => store.EnsureIndexesAsync(collection, fields, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
