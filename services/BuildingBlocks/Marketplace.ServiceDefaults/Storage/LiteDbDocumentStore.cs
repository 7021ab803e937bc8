using LiteDB;

namespace Marketplace.ServiceDefaults.Storage;

/// <summary>
/// Embedded adapter: one LiteDB file per service. A process-wide lock serialises the operations of
/// this process. In direct mode (the default) the file is this process's alone, so the lock makes
/// each read-check-write atomic. In shared mode several processes (replicas on one machine) open
/// the same file: every operation then takes LiteDB's named mutex, and each read-check-write runs
/// inside one LiteDB transaction, which holds that mutex from the read to the commit, so a version
/// check in one process cannot interleave with a write in another.
/// </summary>
public sealed class LiteDbDocumentStore : IDocumentStore, IDisposable
{
    private readonly LiteDatabase _db;
    private readonly Lock _gate = new();
    private readonly bool _shared;

    public LiteDbDocumentStore(string path, bool shared = false)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _shared = shared;
        _db = new LiteDatabase(new ConnectionString
        {
            Filename = path,
            Connection = shared ? ConnectionType.Shared : ConnectionType.Direct,
        });
    }

    /// <summary>Runs a read-check-write atomically against every process that opens the file.</summary>
    private T Atomically<T>(Func<T> work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_shared) return work();
            _db.BeginTrans();
            try
            {
                var result = work();
                _db.Commit();
                return result;
            }
            catch
            {
                _db.Rollback();
                throw;
            }
        }
    }

    public string Kind => "litedb";

    public Task<StoredDocument?> GetAsync(string collection, string id, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var doc = Col(collection).FindById(id);
            return Task.FromResult(doc is null ? null : FromBson(doc));
        }
    }

    public Task<StoredDocument> InsertAsync(string collection, StoredDocument document, CancellationToken ct = default)
    {
        var stored = document with { Version = 1 };
        return Task.FromResult(Atomically(() =>
        {
            var col = Col(collection);
            if (col.Exists(Query.EQ("_id", document.Id))) throw new DocumentExistsException(collection, document.Id);
            col.Insert(ToBson(stored));
            return stored;
        }));
    }

    public Task<StoredDocument> ReplaceAsync(string collection, StoredDocument document, long expectedVersion, CancellationToken ct = default)
    {
        return Task.FromResult(Atomically(() =>
        {
            var col = Col(collection);
            var current = col.FindById(document.Id);
            if (current is null || current["v"].AsInt64 != expectedVersion)
                throw new ConcurrencyConflictException(collection, document.Id, expectedVersion);
            var stored = document with { Version = expectedVersion + 1, Outbox = [.. FromBson(current).Outbox, .. document.Outbox] };
            col.Update(ToBson(stored));
            return stored;
        }));
    }

    public Task<DocumentPage> QueryAsync(string collection, DocumentQuery query, CancellationToken ct = default)
    {
        // "IN ()" matches nothing; LiteDB cannot take a constant predicate.
        if (query.Filters.Any(f => f.Op == FilterOp.In && f.Values.Count == 0))
            return Task.FromResult(new DocumentPage([], 0));
        lock (_gate)
        {
            var q = Col(collection).Query();
            foreach (var filter in query.Filters) q = q.Where(ToExpression(filter));
            if (query.SortBy is not null)
            {
                var sort = BsonExpression.Create($"$.f.{Quote(query.SortBy)}");
                q = query.Descending ? q.OrderByDescending(sort) : q.OrderBy(sort);
            }
            var total = q.Count();
            var items = q.Skip(query.Skip).Limit(query.Take).ToList().Select(FromBson).ToList();
            return Task.FromResult(new DocumentPage(items, total));
        }
    }

    public Task<IReadOnlyList<StoredDocument>> FindPendingOutboxAsync(string collection, int limit, CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyList<StoredDocument> docs = Col(collection).Query().Where(PendingPredicate).Limit(limit).ToList().Select(FromBson).ToList();
            return Task.FromResult(docs);
        }
    }

    /// <summary>What the dispatcher's poll asks for; the <c>pending</c> index answers it.</summary>
    public const string PendingPredicate = "$.pending = true";

    public Task ParkOutboxAsync(string collection, string id, Guid messageId, CancellationToken ct = default)
    {
        Atomically(() =>
        {
            var col = Col(collection);
            var current = col.FindById(id);
            if (current is null || FromBson(current).Outbox.All(m => m.Id != messageId)) return false;
            current["pending"] = false;
            current["parked"] = messageId;
            return col.Update(current);
        });
        return Task.CompletedTask;
    }

    public Task<int> ResumeParkedOutboxAsync(string collection, CancellationToken ct = default) =>
        Task.FromResult(Atomically(() =>
        {
            var col = Col(collection);
            var parked = col.Find("$.parked != null").ToList();
            foreach (var doc in parked)
            {
                doc.Remove("parked");
                doc["pending"] = doc["outbox"].AsArray.Count > 0;
                col.Update(doc);
            }
            return parked.Count;
        }));

    public Task<int> CountParkedOutboxAsync(string collection, CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult(Col(collection).Count("$.parked != null"));
    }

    public Task MarkDispatchedAsync(string collection, string id, Guid messageId, CancellationToken ct = default)
    {
        Atomically(() =>
        {
            var col = Col(collection);
            var current = col.FindById(id);
            if (current is null) return false;
            var doc = FromBson(current);
            var remaining = doc.Outbox.Where(m => m.Id != messageId).ToList();
            return remaining.Count != doc.Outbox.Count && col.Update(ToBson(doc with { Outbox = remaining }));
        });
        return Task.CompletedTask;
    }

    public Task<bool> DeleteAsync(string collection, string id, CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult(Col(collection).Delete(id));
    }

    public Task EnsureIndexesAsync(string collection, IEnumerable<string> fields, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var col = Col(collection);
            foreach (var field in fields) col.EnsureIndex("f_" + field, $"$.f.{Quote(field)}");
            col.EnsureIndex("pending", "$.pending");
            col.EnsureIndex("parked", "$.parked");
        }
        return Task.CompletedTask;
    }

    public Task PingAsync(CancellationToken ct = default)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _ = _db.GetCollectionNames().Count();
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on this store's database under its lock. The service's file store
    /// (<see cref="Files.LiteDbFileStore"/>) keeps its files in this same file, one LiteDB file per service: it
    /// shares the one <see cref="LiteDatabase"/> (a second could not open the file in direct mode) and takes the
    /// same lock, so this process enters the database one operation at a time, as the store itself does.
    /// </summary>
    public T WithDatabase<T>(Func<LiteDatabase, T> work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return work(_db);
        }
    }

    /// <summary>
    /// Closes the file once no operation of this process is inside it: a write still running when the host
    /// stops (a consumer, a sweep) finishes first, and whatever comes later is refused instead of reaching a
    /// database being closed, which can leave the file damaged.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            _db.Dispose();
        }
    }

    private bool _disposed;

    private ILiteCollection<BsonDocument> Col(string name)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _db.GetCollection(name);
    }

    private static string Quote(string field) =>
        field.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') ? field : throw new ArgumentException($"Bad field name '{field}'.", nameof(field));

    private static BsonExpression ToExpression(FieldFilter filter)
    {
        var path = $"$.f.{Quote(filter.Field)}";
        var args = new BsonDocument();
        for (var i = 0; i < filter.Values.Count; i++) args["p" + i] = filter.Values[i];
        var text = filter.Op switch
        {
            FilterOp.Eq => $"{path} = @p0",
            FilterOp.Ne => $"{path} != @p0",
            FilterOp.Lt => $"{path} < @p0",
            FilterOp.Gte => $"{path} >= @p0",
            FilterOp.In => "(" + string.Join(" OR ", filter.Values.Select((_, i) => $"{path} = @p{i}")) + ")",
            _ => throw new ArgumentOutOfRangeException(nameof(filter)),
        };
        return BsonExpression.Create(text, args);
    }

    private static BsonDocument ToBson(StoredDocument doc)
    {
        var fields = new BsonDocument();
        foreach (var (key, value) in doc.Fields) fields[key] = value;
        var outbox = new BsonArray(doc.Outbox.Select(m => (BsonValue)new BsonDocument
        {
            ["id"] = m.Id,
            ["type"] = m.Type,
            ["body"] = m.Body,
            ["at"] = IndexFormat.Time(m.OccurredAt),
        }));
        return new BsonDocument
        {
            ["_id"] = doc.Id,
            ["v"] = doc.Version,
            ["body"] = doc.Body,
            ["f"] = fields,
            ["outbox"] = outbox,
            ["pending"] = doc.Outbox.Count > 0,
        };
    }

    private static StoredDocument FromBson(BsonDocument doc)
    {
        var fields = doc["f"].AsDocument.ToDictionary(kv => kv.Key, kv => kv.Value.AsString);
        var outbox = doc["outbox"].AsArray.Select(v => v.AsDocument).Select(m => new OutboxMessage(
            m["id"].AsGuid, m["type"].AsString, m["body"].AsString,
            DateTimeOffset.Parse(m["at"].AsString, System.Globalization.CultureInfo.InvariantCulture))).ToList();
        return new StoredDocument
        {
            Id = doc["_id"].AsString,
            Version = doc["v"].AsInt64,
            Body = doc["body"].AsString,
            Fields = fields,
            Outbox = outbox,
        };
    }
}
