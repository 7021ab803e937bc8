using MongoDB.Bson;
using MongoDB.Driver;

namespace Marketplace.ServiceDefaults.Storage;

/// <summary>
/// Production adapter. Every write is a single-document operation: the version check is part
/// of the filter of ReplaceOne, and marking an outbox message sent is a $pull, so several
/// replicas can share one database without a replica set or transactions.
/// A query is answered from the one index <see cref="QueryPlanner"/> chooses (a declared shape's compound index
/// <c>{ f.a: 1, f.b: 1, f.order: 1, _id: 1 }</c>, passed as the hint), sorted by it, and its total is an index
/// count stopped just past the cap.
/// </summary>
/// <param name="requireIndexedQueries">refuse (<see cref="UnindexedQueryException"/>) a query no index answers (tests).</param>
/// <param name="totalCap">how far totals are counted (<see cref="DocumentPage.TotalCap"/>).</param>
public sealed class MongoDocumentStore(IMongoDatabase database, bool requireIndexedQueries = false, int totalCap = DocumentPage.TotalCap) : IDocumentStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, CollectionSchema> _schemas = new(StringComparer.Ordinal);

    public string Kind => "mongodb";

    private static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;

    public async Task<StoredDocument?> GetAsync(string collection, string id, CancellationToken ct = default)
    {
        var doc = await Col(collection).Find(F.Eq("_id", id)).FirstOrDefaultAsync(ct);
        return doc is null ? null : FromBson(doc);
    }

    public async Task<StoredDocument> InsertAsync(string collection, StoredDocument document, CancellationToken ct = default)
    {
        var stored = document with { Version = 1 };
        try
        {
            await Col(collection).InsertOneAsync(ToBson(stored), cancellationToken: ct);
        }
        catch (MongoWriteException e) when (e.WriteError.Category == ServerErrorCategory.DuplicateKey)
        {
            throw new DocumentExistsException(collection, document.Id);
        }
        return stored;
    }

    public async Task<StoredDocument> ReplaceAsync(string collection, StoredDocument document, long expectedVersion, CancellationToken ct = default)
    {
        var stored = document with { Version = expectedVersion + 1 };
        var bson = ToBson(stored);
        var update = Builders<BsonDocument>.Update
            .Set("v", stored.Version)
            .Set("body", stored.Body)
            .Set("f", bson["f"])
            .PushEach("outbox", bson["outbox"].AsBsonArray);
        // new events make the document pending (again: a parked outbox is looked at once more)
        if (document.Outbox.Count > 0) update = update.Set("pending", true).Unset("parked");
        var updated = await Col(collection).FindOneAndUpdateAsync(
            F.Eq("_id", document.Id) & F.Eq("v", expectedVersion), update,
            new FindOneAndUpdateOptions<BsonDocument> { ReturnDocument = ReturnDocument.After }, ct);
        return updated is null ? throw new ConcurrencyConflictException(collection, document.Id, expectedVersion) : FromBson(updated);
    }

    public async Task<DocumentPage> QueryAsync(string collection, DocumentQuery query, CancellationToken ct = default)
    {
        var plan = QueryPlanner.Plan(query, _schemas.GetValueOrDefault(collection) ?? CollectionSchema.None);
        if (requireIndexedQueries && (plan is null || !plan.FullyIndexed)) throw new UnindexedQueryException(collection, query);
        if (plan is { MatchesNothing: true }) return new DocumentPage([], 0);
        var filter = query.Filters.Aggregate(F.Empty, (acc, f) => acc & ToFilter(f));
        var hint = plan is null ? null : Hint(plan);
        var find = Col(collection).Find(filter, new FindOptions { Hint = hint });
        var order = plan?.Shape.Order ?? query.SortBy;
        if (order is not null || plan is { Declared: true })
        {
            var sort = Builders<BsonDocument>.Sort;
            var by = new List<SortDefinition<BsonDocument>>();
            if (order is not null) by.Add(query.Descending ? sort.Descending("f." + order) : sort.Ascending("f." + order));
            // the compound index ends with the id: equal orders page stably
            if (plan is { Declared: true }) by.Add(query.Descending ? sort.Descending("_id") : sort.Ascending("_id"));
            find = find.Sort(sort.Combine(by));
        }
        var docs = await find.Skip(query.Skip).Limit(query.Take).ToListAsync(ct);
        var items = docs.Select(FromBson).ToList();
        if (!query.CountTotal) return new DocumentPage(items, items.Count);
        var total = await Col(collection).CountDocumentsAsync(filter, new CountOptions { Limit = totalCap + 1L, Hint = hint }, ct);
        return total > totalCap ? new DocumentPage(items, totalCap, TotalCapped: true) : new DocumentPage(items, total);
    }

    /// <summary>The index a plan walks, by its keys.</summary>
    private static BsonDocument Hint(QueryPlan plan)
    {
        if (!plan.Declared)
        {
            if (plan.Shape.Equal.Count == 1) return new BsonDocument("f." + plan.Shape.Equal[0], 1);
            return plan.Shape.Order is null ? new BsonDocument("_id", 1) : new BsonDocument("f." + plan.Shape.Order, 1);
        }
        return CompoundKeys(plan.Shape);
    }

    private static BsonDocument CompoundKeys(IndexShape shape)
    {
        var keys = new BsonDocument();
        foreach (var field in shape.Equal) keys["f." + field] = 1;
        if (shape.Order is not null) keys["f." + shape.Order] = 1;
        keys["_id"] = 1;
        return keys;
    }

    public async Task<IReadOnlyList<StoredDocument>> FindPendingOutboxAsync(string collection, int limit, CancellationToken ct = default)
    {
        // "pending" is indexed; "outbox.0" exists is not answerable from an index (a scan at every poll)
        var docs = await Col(collection).Find(F.Eq("pending", true)).Limit(limit).ToListAsync(ct);
        var found = docs.Select(FromBson).ToList();
        // a crash between the $pull of the last message and clearing the flag leaves an empty pending document
        foreach (var empty in found.Where(d => d.Outbox.Count == 0)) await ClearPendingIfEmptyAsync(collection, empty.Id, ct);
        return found.Where(d => d.Outbox.Count > 0).ToList();
    }

    public async Task MarkDispatchedAsync(string collection, string id, Guid messageId, CancellationToken ct = default)
    {
        await Col(collection).UpdateOneAsync(
            F.Eq("_id", id),
            Builders<BsonDocument>.Update.PullFilter("outbox", Builders<BsonDocument>.Filter.Eq("id", messageId.ToString())),
            cancellationToken: ct);
        await ClearPendingIfEmptyAsync(collection, id, ct);
    }

    /// <summary>Clears the flag only while the outbox is empty: a write that appended an event meanwhile keeps it set.</summary>
    private Task ClearPendingIfEmptyAsync(string collection, string id, CancellationToken ct) =>
        Col(collection).UpdateOneAsync(F.Eq("_id", id) & F.Eq("pending", true) & F.Not(F.Exists("outbox.0")),
            Builders<BsonDocument>.Update.Set("pending", false), cancellationToken: ct);

    public Task ParkOutboxAsync(string collection, string id, Guid messageId, CancellationToken ct = default) =>
        Col(collection).UpdateOneAsync(F.Eq("_id", id) & F.Eq("outbox.id", messageId.ToString()),
            Builders<BsonDocument>.Update.Set("pending", false).Set("parked", messageId.ToString()), cancellationToken: ct);

    public async Task<int> ResumeParkedOutboxAsync(string collection, CancellationToken ct = default)
    {
        var result = await Col(collection).UpdateManyAsync(F.Exists("parked"),
            Builders<BsonDocument>.Update.Set("pending", true).Unset("parked"), cancellationToken: ct);
        return (int)result.ModifiedCount;
    }

    public async Task<int> CountParkedOutboxAsync(string collection, CancellationToken ct = default) =>
        (int)await Col(collection).CountDocumentsAsync(F.Exists("parked"), cancellationToken: ct);

    public async Task<bool> DeleteAsync(string collection, string id, CancellationToken ct = default) =>
        (await Col(collection).DeleteOneAsync(F.Eq("_id", id), ct)).DeletedCount > 0;

    public async Task EnsureIndexesAsync(string collection, IEnumerable<string> fields, IReadOnlyList<IndexShape> shapes, CancellationToken ct = default)
    {
        var schema = new CollectionSchema(fields.ToHashSet(StringComparer.Ordinal), shapes);
        var models = schema.Fields.Select(f => new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("f." + f))).ToList();
        models.AddRange(shapes.Select(shape => new CreateIndexModel<BsonDocument>(new BsonDocumentIndexKeysDefinition<BsonDocument>(CompoundKeys(shape)),
            new CreateIndexOptions { Name = shape.Name })));
        models.Add(new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("outbox.id"),
            new CreateIndexOptions { Sparse = true }));
        models.Add(new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("pending")));
        models.Add(new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("parked"), new CreateIndexOptions { Sparse = true }));
        await Col(collection).Indexes.CreateManyAsync(models, ct);
        // documents written before the flag existed: their waiting events must be found
        await Col(collection).UpdateManyAsync(F.Exists("outbox.0") & F.Not(F.Exists("pending")),
            Builders<BsonDocument>.Update.Set("pending", true), cancellationToken: ct);
        _schemas[collection] = schema;
    }

    /// <summary>No stamp: keeping one in step with the document would take a second write, and without transactions the two can part.</summary>
    public Task<long?> ChangeStampAsync(string collection, IReadOnlyList<FieldFilter> equal, CancellationToken ct = default) => Task.FromResult<long?>(null);

    public Task PingAsync(CancellationToken ct = default) =>
        database.RunCommandAsync((Command<BsonDocument>)"{ ping: 1 }", cancellationToken: ct);

    private IMongoCollection<BsonDocument> Col(string name) => database.GetCollection<BsonDocument>(name);

    private static FilterDefinition<BsonDocument> ToFilter(FieldFilter filter)
    {
        var field = "f." + filter.Field;
        return filter.Op switch
        {
            FilterOp.Eq => F.Eq(field, filter.Values[0]),
            FilterOp.Ne => F.Ne(field, filter.Values[0]),
            FilterOp.Lt => F.Lt(field, filter.Values[0]),
            FilterOp.Gte => F.Gte(field, filter.Values[0]),
            FilterOp.In => F.In(field, filter.Values),
            _ => throw new ArgumentOutOfRangeException(nameof(filter)),
        };
    }

    // Guids are kept as strings so the documents read the same from any driver or shell.
    private static BsonDocument ToBson(StoredDocument doc) => new()
    {
        ["_id"] = doc.Id,
        ["v"] = doc.Version,
        ["body"] = doc.Body,
        ["f"] = new BsonDocument(doc.Fields.Select(kv => new BsonElement(kv.Key, kv.Value))),
        ["outbox"] = new BsonArray(doc.Outbox.Select(m => new BsonDocument
        {
            ["id"] = m.Id.ToString(),
            ["type"] = m.Type,
            ["body"] = m.Body,
            ["at"] = IndexFormat.Time(m.OccurredAt),
        })),
        ["pending"] = doc.Outbox.Count > 0,
    };

    private static StoredDocument FromBson(BsonDocument doc) => new()
    {
        Id = doc["_id"].AsString,
        Version = doc["v"].ToInt64(),
        Body = doc["body"].AsString,
        Fields = doc["f"].AsBsonDocument.Elements.ToDictionary(e => e.Name, e => e.Value.AsString),
        Outbox = doc["outbox"].AsBsonArray.Select(v => v.AsBsonDocument).Select(m => new OutboxMessage(
            Guid.Parse(m["id"].AsString), m["type"].AsString, m["body"].AsString,
            DateTimeOffset.Parse(m["at"].AsString, System.Globalization.CultureInfo.InvariantCulture))).ToList(),
    };
}
