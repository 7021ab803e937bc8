using MongoDB.Bson;
using MongoDB.Driver;

namespace Marketplace.ServiceDefaults.Storage;

/// <summary>
/// Production adapter. Every write is a single-document operation: the version check is part
/// of the filter of ReplaceOne, and marking an outbox message sent is a $pull, so several
/// replicas can share one database without a replica set or transactions.
/// </summary>
public sealed class MongoDocumentStore(IMongoDatabase database) : IDocumentStore
{
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
        var filter = query.Filters.Aggregate(F.Empty, (acc, f) => acc & ToFilter(f));
        var find = Col(collection).Find(filter);
        var total = await find.CountDocumentsAsync(ct);
        if (query.SortBy is not null)
        {
            var field = "f." + query.SortBy;
            find = find.Sort(query.Descending ? Builders<BsonDocument>.Sort.Descending(field) : Builders<BsonDocument>.Sort.Ascending(field));
        }
        var docs = await find.Skip(query.Skip).Limit(query.Take).ToListAsync(ct);
        return new DocumentPage(docs.Select(FromBson).ToList(), total);
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

    public async Task EnsureIndexesAsync(string collection, IEnumerable<string> fields, CancellationToken ct = default)
    {
        var models = fields.Select(f => new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("f." + f))).ToList();
        models.Add(new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("outbox.id"),
            new CreateIndexOptions { Sparse = true }));
        models.Add(new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("pending")));
        models.Add(new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("parked"), new CreateIndexOptions { Sparse = true }));
        await Col(collection).Indexes.CreateManyAsync(models, ct);
        // documents written before the flag existed: their waiting events must be found
        await Col(collection).UpdateManyAsync(F.Exists("outbox.0") & F.Not(F.Exists("pending")),
            Builders<BsonDocument>.Update.Set("pending", true), cancellationToken: ct);
    }

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
