using System.Collections;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Marketplace.ServiceDefaults.Storage;

/// <summary>
/// The fields of an aggregate that a collection indexes, each with how it is read off the
/// aggregate: one list gives both the index names ensured at start and the values written;
/// and the query shapes (<see cref="IndexShape"/>) the collection's queries need, each one index.
/// </summary>
public sealed class IndexFields<T> : IEnumerable<string>
{
    private readonly List<(string Name, Func<T, string> Read)> _fields = [];
    private readonly List<IndexShape> _shapes = [];

    public IReadOnlyList<string> Names => _fields.Select(f => f.Name).ToList();

    public IReadOnlyList<IndexShape> Shapes => _shapes;

    /// <summary>For collection initialisers: <c>{ new IndexShape(["status", "kind"], "updatedAt") }</c>; its fields must be listed too.</summary>
    public void Add(IndexShape shape)
    {
        var unknown = shape.Equal.Append(shape.Order).Concat(shape.Checked).OfType<string>().Where(f => _fields.All(x => x.Name != f)).ToList();
        if (unknown.Count > 0) throw new ArgumentException($"Index shape {shape.Name} uses fields not listed: {string.Join(", ", unknown)}.", nameof(shape));
        if (shape.Equal.Distinct().Count() != shape.Equal.Count) throw new ArgumentException($"Index shape {shape.Name} lists a field twice.", nameof(shape));
        if (_shapes.Any(s => s.Name == shape.Name)) throw new ArgumentException($"Index shape {shape.Name} is listed twice.", nameof(shape));
        _shapes.Add(shape);
    }

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
        builder.EnsureIndexes(storeKey, collection, indexFields.Names, indexFields.Shapes);
        if (outbox) builder.Services.AddOutboxSource(storeKey, collection);
        return builder;
    }

    /// <summary>Ensures at start the indexes of a collection a module queries without an aggregate store (counters, leases).</summary>
    public static IHostApplicationBuilder EnsureIndexes(this IHostApplicationBuilder builder, string storeKey, string collection, IReadOnlyList<string> fields,
        IReadOnlyList<IndexShape>? shapes = null)
    {
        builder.AddDocumentStore(storeKey);
        builder.Services.AddCollectionIndexes(storeKey, collection, fields, shapes);
        return builder;
    }

    /// <summary>Ensures at start the indexes of a collection of the (already added) store <paramref name="storeKey"/>.</summary>
    public static IServiceCollection AddCollectionIndexes(this IServiceCollection services, string storeKey, string collection, IReadOnlyList<string> fields,
        IReadOnlyList<IndexShape>? shapes = null)
    {
        // not AddHostedService: it adds one service of a type, so every collection after a host's first went without its indexes
        services.AddSingleton<IHostedService>(sp => new CollectionIndexes(sp.GetRequiredKeyedService<IDocumentStore>(storeKey), collection, fields, shapes ?? []));
        return services;
    }

    /// <summary>Ensures one collection's indexes (and the store's own, such as pending outbox messages) before the host serves requests.</summary>
    private sealed class CollectionIndexes(IDocumentStore store, string collection, IReadOnlyList<string> fields, IReadOnlyList<IndexShape> shapes) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => store.EnsureIndexesAsync(collection, fields, shapes, cancellationToken);

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
