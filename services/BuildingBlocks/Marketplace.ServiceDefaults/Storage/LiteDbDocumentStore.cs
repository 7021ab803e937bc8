using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using LiteDB;

namespace Marketplace.ServiceDefaults.Storage;

/// <summary>
/// Embedded adapter: one LiteDB file per service.
/// <para>
/// <b>Writes</b> are serialised by one process-wide lock, and each runs in one LiteDB transaction: the
/// version check, the document, and the counts of the collection's query shapes (<see cref="IndexShape"/>) commit
/// together or not at all. In direct mode (the default) the file is this process's alone, so the lock makes each
/// read-check-write atomic. In shared mode several processes (replicas on one machine) open the same file: the
/// transaction then holds LiteDB's named mutex from the read to the commit, so a version check in one process
/// cannot interleave with a write in another.
/// </para>
/// <para>
/// <b>Reads</b> take no lock in direct mode: LiteDB reads a snapshot while a write goes on. (Shared mode opens the
/// file for each operation under LiteDB's mutex, one thread at a time, so there they take the lock too.) A query
/// walks one index (<see cref="QueryPlanner"/>): a declared shape's compound index
/// <c>{ e0: $.f.a, e1: $.f.b, o: $.f.order, id: $._id }</c>, ranged on its equality values and read in its own
/// order, so the first page costs the same at ten thousand documents as at a million. Its total is the kept count,
/// not a count of documents.
/// </para>
/// </summary>
public sealed class LiteDbDocumentStore : IDocumentStore, IDisposable
{
    private readonly LiteDatabase _db;
    private readonly Lock _gate = new();
    private readonly bool _shared;
    private readonly bool _requireIndexedQueries;
    private readonly int _totalCap;
    private readonly ConcurrentDictionary<string, CollectionSchema> _schemas = new(StringComparer.Ordinal);
    private bool _disposed;

    /// <param name="requireIndexedQueries">refuse (<see cref="UnindexedQueryException"/>) a query no index answers, instead of sorting in memory (tests).</param>
    /// <param name="totalCap">how far totals are counted (<see cref="DocumentPage.TotalCap"/>).</param>
    public LiteDbDocumentStore(string path, bool shared = false, bool requireIndexedQueries = false, int totalCap = DocumentPage.TotalCap)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        _shared = shared;
        _requireIndexedQueries = requireIndexedQueries;
        _totalCap = totalCap;
        // direct mode: this process's only engine on the file (another one still closing it is waited for)
        _lease = shared ? null : ProcessFileLease.Acquire(path);
        try
        {
            _db = new LiteDatabase(new ConnectionString
            {
                Filename = path,
                Connection = shared ? ConnectionType.Shared : ConnectionType.Direct,
            });
        }
        catch
        {
            _lease?.Dispose();
            throw;
        }
    }

    private readonly ProcessFileLease? _lease;

    /// <summary>Runs a read-check-write atomically (one transaction) against every process that opens the file.</summary>
    private T Atomically<T>(Func<T> work)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
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

    /// <summary>A read: without a lock in direct mode (counted, so that closing waits for it), under it in shared mode.</summary>
    private T Read<T>(Func<T> work)
    {
        if (!_shared)
        {
            Interlocked.Increment(ref _reads);
            try
            {
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
                return work();
            }
            finally
            {
                Interlocked.Decrement(ref _reads);
            }
        }
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return work();
        }
    }

    public string Kind => "litedb";

    public Task<StoredDocument?> GetAsync(string collection, string id, CancellationToken ct = default) =>
        Task.FromResult(Read(() => Col(collection).FindById(id) is { } doc ? FromBson(doc) : null));

    public Task<StoredDocument> InsertAsync(string collection, StoredDocument document, CancellationToken ct = default)
    {
        var stored = document with { Version = 1 };
        return Task.FromResult(Atomically(() =>
        {
            var col = Col(collection);
            if (col.Exists("_id = @0", document.Id)) throw new DocumentExistsException(collection, document.Id);
            col.Insert(ToBson(stored));
            Recount(collection, null, stored.Fields);
            return stored;
        }));
    }

    /// <summary>
    /// Inserts many documents in one transaction, for loading a store at once (an import, a benchmark): all of them,
    /// or none when one id is there already or repeated (<see cref="DocumentExistsException"/>). Each is stored as
    /// <see cref="InsertAsync"/> stores it, and the kept counts move once for the batch instead of once a document.
    /// </summary>
    public Task<int> InsertManyAsync(string collection, IReadOnlyList<StoredDocument> documents, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return Task.FromResult(Atomically(() =>
        {
            var col = Col(collection);
            var ids = new HashSet<string>(StringComparer.Ordinal);
            foreach (var document in documents)
                if (!ids.Add(document.Id) || col.Exists("_id = @0", document.Id)) throw new DocumentExistsException(collection, document.Id);
            foreach (var document in documents) col.Insert(ToBson(document with { Version = 1 }));
            var counts = Counts(collection);
            foreach (var setKey in CountedSets(collection))
            {
                var set = SetFields(setKey);
                foreach (var group in documents.GroupBy(d => CountId(set, d.Fields.GetValueOrDefault), StringComparer.Ordinal))
                    Add(counts, group.Key, group.Count());
            }
            return documents.Count;
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
            var before = FromBson(current);
            var stored = document with { Version = expectedVersion + 1, Outbox = [.. before.Outbox, .. document.Outbox] };
            col.Update(ToBson(stored));
            Recount(collection, before.Fields, stored.Fields);
            return stored;
        }));
    }

    public Task<DocumentPage> QueryAsync(string collection, DocumentQuery query, CancellationToken ct = default)
    {
        var schema = Schema(collection);
        var plan = QueryPlanner.Plan(query, schema);
        if (plan is null || !plan.FullyIndexed)
        {
            if (_requireIndexedQueries) throw new UnindexedQueryException(collection, query);
            if (plan is null) return Task.FromResult(Read(() => Unplanned(collection, query)));
        }
        return Task.FromResult(Read(() => Planned(collection, query, plan)));
    }

    /// <summary>The walk of one index a plan chose: a range per combination of equality values, merged in index order.</summary>
    private DocumentPage Planned(string collection, DocumentQuery query, QueryPlan plan)
    {
        if (plan.MatchesNothing || query.Take <= 0 && !query.CountTotal) return new DocumentPage([], 0);
        var col = Col(collection);
        var key = KeyExpression(plan.Shape, plan.Declared);
        var wanted = query.Skip + query.Take;
        var combinations = plan.Combinations().ToList();
        var found = new List<BsonDocument>();
        foreach (var values in combinations)
        {
            var q = Walker(col, plan, values, key, query.Descending);
            found.AddRange(combinations.Count == 1 ? q.Skip(query.Skip).Limit(query.Take).ToList() : q.Limit(wanted).ToList());
        }
        if (combinations.Count > 1)
        {
            var byKey = Comparer<BsonDocument>.Create((a, b) => CompareKeys(plan.Shape, a, b));
            found = (query.Descending ? found.OrderDescending(byKey) : found.Order(byKey)).Skip(query.Skip).Take(query.Take).ToList();
        }
        var items = found.Select(FromBson).ToList();
        if (!query.CountTotal) return new DocumentPage(items, items.Count);
        var kept = plan.Declared && plan.Residual.Count == 0 && plan.Lower is null && plan.Upper is null && CountedSets(collection).Contains(SetKey(plan.Shape.Equal));
        var total = kept
            ? combinations.Sum(values => KeptCount(collection, plan.Shape.Equal, values))
            : combinations.Sum(values => Walk(col, plan, values, key));
        return Capped(items, total);
    }

    /// <summary>LiteDB's own account of how it runs a query (one plan per range walked), for diagnostics and tests; null without a plan.</summary>
    public IReadOnlyList<BsonDocument>? Explain(string collection, DocumentQuery query)
    {
        var plan = QueryPlanner.Plan(query, Schema(collection));
        if (plan is null) return null;
        var key = KeyExpression(plan.Shape, plan.Declared);
        return Read(() => plan.Combinations()
            .Select(values => Walker(Col(collection), plan, values, key, query.Descending).Limit(query.Skip + query.Take).GetPlan())
            .ToList());
    }

    /// <summary>Without a plan (and only where indexed queries are not required): filters, then orders in memory.</summary>
    private DocumentPage Unplanned(string collection, DocumentQuery query)
    {
        if (query.Filters.Any(f => f.Op == FilterOp.In && f.Values.Count == 0)) return new DocumentPage([], 0);
        ILiteQueryable<BsonDocument> Filtered()
        {
            var q = Col(collection).Query();
            foreach (var filter in query.Filters) q = q.Where(ToExpression(filter));
            return q;
        }
        var page = Filtered();
        if (query.SortBy is not null)
        {
            var sort = BsonExpression.Create($"$.f.{Quote(query.SortBy)}");
            page = query.Descending ? page.OrderByDescending(sort) : page.OrderBy(sort);
        }
        var items = page.Skip(query.Skip).Limit(query.Take).ToList().Select(FromBson).ToList();
        return query.CountTotal ? Capped(items, Filtered().Select("$._id").Limit(_totalCap + 1).ToEnumerable().LongCount()) : new DocumentPage(items, items.Count);
    }

    private DocumentPage Capped(IReadOnlyList<StoredDocument> items, long total) =>
        total > _totalCap ? new DocumentPage(items, _totalCap, TotalCapped: true) : new DocumentPage(items, total);

    /// <summary>Counts the documents of one range by reading them, up to just past the cap.</summary>
    private long Walk(ILiteCollection<BsonDocument> col, QueryPlan plan, IReadOnlyList<string> values, BsonExpression key) =>
        Walker(col, plan, values, key, descending: null).Select("$._id").Limit(_totalCap + 1).ToEnumerable().LongCount();

    /// <summary>One range of the plan's index, with what the index cannot check; in the index's order unless <paramref name="descending"/> is null.</summary>
    private static ILiteQueryable<BsonDocument> Walker(ILiteCollection<BsonDocument> col, QueryPlan plan, IReadOnlyList<string> values, BsonExpression key, bool? descending)
    {
        var q = col.Query();
        foreach (var where in Range(plan, values, key)) q = q.Where(where);
        foreach (var residual in plan.Residual) q = q.Where(ToExpression(residual));
        if (descending is { } desc && (plan.Shape.Order is not null || plan.Declared)) q = desc ? q.OrderByDescending(key) : q.OrderBy(key);
        return q;
    }

    /// <summary>The predicate that makes LiteDB read the plan's index from the first key of the range to the last.</summary>
    private static IEnumerable<BsonExpression> Range(QueryPlan plan, IReadOnlyList<string> values, BsonExpression key)
    {
        var shape = plan.Shape;
        if (plan.Declared)
        {
            BsonDocument Bound(BsonValue order, BsonValue id)
            {
                var bound = new BsonDocument();
                for (var i = 0; i < values.Count; i++) bound["e" + i] = values[i];
                if (shape.Order is not null) bound["o"] = order;
                bound["id"] = id;
                return bound;
            }
            yield return BsonExpression.Create($"{key.Source} BETWEEN @0 AND @1",
                Bound(plan.Lower is null ? BsonValue.MinValue : plan.Lower, BsonValue.MinValue),
                Bound(plan.Upper is null ? BsonValue.MaxValue : plan.Upper, BsonValue.MaxValue));
        }
        else if (shape.Equal.Count == 1)
        {
            yield return BsonExpression.Create($"{key.Source} = @0", values[0]);
        }
        else if (shape.Order is not null && (plan.Lower is not null || plan.Upper is not null))
        {
            yield return BsonExpression.Create($"{key.Source} BETWEEN @0 AND @1",
                plan.Lower is null ? BsonValue.MinValue : plan.Lower, plan.Upper is null ? BsonValue.MaxValue : plan.Upper);
        }
        // BETWEEN is inclusive: the end of a range is exclusive
        if (plan.Upper is not null) yield return BsonExpression.Create($"$.f.{Quote(shape.Order!)} < @0", plan.Upper);
    }

    /// <summary>The index a plan walks: a declared shape's compound key, or a single field's own index, or the id.</summary>
    private static BsonExpression KeyExpression(IndexShape shape, bool declared)
    {
        if (declared) return BsonExpression.Create(CompoundKey(shape));
        if (shape.Equal.Count == 1) return BsonExpression.Create($"$.f.{Quote(shape.Equal[0])}");
        return BsonExpression.Create(shape.Order is null ? "$._id" : $"$.f.{Quote(shape.Order)}");
    }

    private static string CompoundKey(IndexShape shape)
    {
        var parts = shape.Equal.Select((f, i) => $"e{i}:$.f.{Quote(f)}").ToList();
        if (shape.Order is not null) parts.Add($"o:$.f.{Quote(shape.Order)}");
        parts.Add("id:$._id");
        return "{" + string.Join(",", parts) + "}";
    }

    /// <summary>LiteDB allows index names of 32 word characters: the shape's name where it fits, else a digest of its key.</summary>
    private static string IndexName(IndexShape shape) =>
        shape.Name.Length <= 32 ? shape.Name : "q_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(CompoundKey(shape))))[..24];

    /// <summary>The order of two documents of one plan, as LiteDB's index orders them (its collation).</summary>
    private int CompareKeys(IndexShape shape, BsonDocument a, BsonDocument b)
    {
        if (shape.Order is not null)
        {
            var byOrder = _db.Collation.Compare(Field(a, shape.Order), Field(b, shape.Order));
            if (byOrder != 0) return byOrder;
        }
        return _db.Collation.Compare(a["_id"].AsString, b["_id"].AsString);
    }

    private static string Field(BsonDocument doc, string field) => doc["f"].AsDocument.TryGetValue(field, out var value) && value.IsString ? value.AsString : "";

    public Task<IReadOnlyList<StoredDocument>> FindPendingOutboxAsync(string collection, int limit, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<StoredDocument>>(Read(() =>
            Col(collection).Query().Where(PendingPredicate).Limit(limit).ToList().Select(FromBson).ToList()));

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

    public Task<int> CountParkedOutboxAsync(string collection, CancellationToken ct = default) =>
        Task.FromResult(Read(() => Col(collection).Count("$.parked != null")));

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

    public Task<bool> DeleteAsync(string collection, string id, CancellationToken ct = default) =>
        Task.FromResult(Atomically(() =>
        {
            var col = Col(collection);
            if (col.FindById(id) is not { } current) return false;
            col.Delete(id);
            Recount(collection, FromBson(current).Fields, null);
            return true;
        }));

    public Task EnsureIndexesAsync(string collection, IEnumerable<string> fields, IReadOnlyList<IndexShape> shapes, CancellationToken ct = default)
    {
        var schema = new CollectionSchema(fields.ToHashSet(StringComparer.Ordinal), shapes);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var col = Col(collection);
            foreach (var field in schema.Fields) col.EnsureIndex("f_" + field, $"$.f.{Quote(field)}");
            foreach (var shape in shapes) col.EnsureIndex(IndexName(shape), CompoundKey(shape));
            col.EnsureIndex("pending", "$.pending");
            col.EnsureIndex("parked", "$.parked");
        }
        foreach (var set in schema.CountedSets) Atomically(() => CountOnce(collection, set));
        _schemas[collection] = schema;
        return Task.CompletedTask;
    }

    /// <summary>Counts, once, the documents of every value of a new set of equality fields; from then on each write keeps the counts.</summary>
    private bool CountOnce(string collection, IReadOnlyList<string> set)
    {
        var setKey = SetKey(set);
        var counts = Counts(collection);
        var registry = counts.FindById(RegistryId) ?? new BsonDocument { ["_id"] = RegistryId, ["sets"] = new BsonArray() };
        if (registry["sets"].AsArray.Any(v => v.AsString == setKey)) return false;
        var tally = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var fields in Col(collection).Query().Select("{ f: $.f }").ToEnumerable())
        {
            var values = fields.AsDocument["f"].AsDocument;
            var id = CountId(set, f => values.TryGetValue(f, out var v) && v.IsString ? v.AsString : null);
            tally[id] = tally.GetValueOrDefault(id) + 1;
        }
        foreach (var (id, n) in tally) counts.Upsert(new BsonDocument { ["_id"] = id, ["n"] = n });
        registry["sets"].AsArray.Add(setKey);
        counts.Upsert(registry);
        _countedSets.TryRemove(collection, out _);
        return true;
    }

    /// <summary>Moves one document between the counts of every counted set whose values it changed (inside the write's transaction).</summary>
    private void Recount(string collection, IReadOnlyDictionary<string, string>? before, IReadOnlyDictionary<string, string>? after)
    {
        var sets = CountedSets(collection);
        if (sets.Count == 0) return;
        var counts = Counts(collection);
        foreach (var setKey in sets)
        {
            var set = SetFields(setKey);
            var from = before is null ? null : CountId(set, before.GetValueOrDefault);
            var to = after is null ? null : CountId(set, after.GetValueOrDefault);
            if (from == to)
            {
                // the whole collection's count notes every write, for read models of the whole collection
                if (set.Count == 0 && to is not null) Add(counts, to, 0);
                continue;
            }
            if (from is not null) Add(counts, from, -1);
            if (to is not null) Add(counts, to, +1);
        }
    }

    /// <summary>Moves a count, and its change number (never reset: a count at 0 stays, so a stamp never comes back).</summary>
    private static void Add(ILiteCollection<BsonDocument> counts, string id, long delta)
    {
        var current = counts.FindById(id);
        counts.Upsert(new BsonDocument
        {
            ["_id"] = id,
            ["n"] = (current?["n"].AsInt64 ?? 0) + delta,
            ["seq"] = (current is not null && current.TryGetValue("seq", out var seq) ? seq.AsInt64 : 0) + 1,
        });
    }

    public Task<long?> ChangeStampAsync(string collection, IReadOnlyList<FieldFilter> equal, CancellationToken ct = default)
    {
        if (equal.Any(f => f.Op != FilterOp.Eq)) throw new ArgumentException("A stamp is of equalities only.", nameof(equal));
        var fields = equal.Select(f => f.Field).ToList();
        if (fields.Distinct().Count() != fields.Count) throw new ArgumentException("A field is named twice.", nameof(equal));
        return Task.FromResult(Read(() =>
        {
            if (!CountedSets(collection).Contains(SetKey(fields))) return (long?)null;
            var id = CountId(fields, field => equal.First(f => f.Field == field).Values[0]);
            var doc = Counts(collection).FindById(id);
            return doc is not null && doc.TryGetValue("seq", out var seq) ? seq.AsInt64 : 0L;
        }));
    }

    private long KeptCount(string collection, IReadOnlyList<string> equal, IReadOnlyList<string> values) =>
        Counts(collection).FindById(CountId(equal, field => values[IndexOf(equal, field)]))?["n"].AsInt64 ?? 0;

    private static int IndexOf(IReadOnlyList<string> fields, string field)
    {
        for (var i = 0; i < fields.Count; i++)
            if (fields[i] == field) return i;
        throw new ArgumentException($"'{field}' is not one of the fields.", nameof(field));
    }

    /// <summary>
    /// The sets whose counts this collection keeps, as recorded in the file. Direct mode remembers them (only this
    /// process adds one, under the lock); shared mode reads them at every write, since another process may add one.
    /// </summary>
    private IReadOnlySet<string> CountedSets(string collection)
    {
        if (!_shared && _countedSets.TryGetValue(collection, out var known)) return known;
        var registry = Counts(collection).FindById(RegistryId);
        IReadOnlySet<string> sets = registry is null ? new HashSet<string>() : registry["sets"].AsArray.Select(v => v.AsString).ToHashSet(StringComparer.Ordinal);
        if (!_shared) _countedSets[collection] = sets;
        return sets;
    }

    private readonly ConcurrentDictionary<string, IReadOnlySet<string>> _countedSets = new(StringComparer.Ordinal);

    private const string RegistryId = "$sets";

    private ILiteCollection<BsonDocument> Counts(string collection) => Col(collection + "_counts");

    private static string SetKey(IEnumerable<string> set) => string.Join(",", set.Order(StringComparer.Ordinal));

    private static IReadOnlyList<string> SetFields(string setKey) => setKey.Length == 0 ? [] : setKey.Split(',');

    /// <summary>
    /// The count document of a set's values: the set's fields in order, then <paramref name="valueOf"/> each of them
    /// (null where a document lacks the field) as JSON. Every count is found by this one id, whoever asks.
    /// </summary>
    private static string CountId(IEnumerable<string> set, Func<string, string?> valueOf)
    {
        var ordered = set.Order(StringComparer.Ordinal).ToList();
        return string.Join(",", ordered) + "|" + System.Text.Json.JsonSerializer.Serialize(ordered.Select(valueOf));
    }

    private CollectionSchema Schema(string collection) => _schemas.GetValueOrDefault(collection) ?? CollectionSchema.None;

    public Task PingAsync(CancellationToken ct = default)
    {
        Read(() => _db.GetCollectionNames().Count());
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
    /// stops (a consumer, a sweep) finishes first, then the reads under way (direct mode reads take no lock), and
    /// whatever comes later is refused instead of reaching a database being closed, which can leave the file damaged.
    /// The write-ahead log is then merged into the file (a checkpoint) before it closes, so that the next start
    /// opens one file with no log to replay.
    /// </summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed) return;
            Volatile.Write(ref _disposed, true);
            var reads = new SpinWait();
            var deadline = Environment.TickCount64 + (long)ReadsDrainTime.TotalMilliseconds;
            while (Volatile.Read(ref _reads) > 0 && Environment.TickCount64 < deadline) reads.SpinOnce();
            try
            {
                if (!_shared && Volatile.Read(ref _reads) == 0) _db.Checkpoint();
            }
            finally
            {
                try
                {
                    _db.Dispose();
                }
                finally
                {
                    _lease?.Dispose();
                }
            }
        }
    }

    /// <summary>How long closing waits for the reads under way (one read is a page of a query: milliseconds).</summary>
    private static readonly TimeSpan ReadsDrainTime = TimeSpan.FromSeconds(10);

    private int _reads;

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
