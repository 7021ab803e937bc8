namespace Marketplace.ServiceDefaults.Storage;

/// <summary>
/// One stored document: the aggregate's JSON body, the few fields queries filter and sort on,
/// and the integration events it raised that are not yet published (the outbox). All of it is
/// written in ONE document write, which is atomic on MongoDB without a replica set and on LiteDB.
/// </summary>
public sealed record StoredDocument
{
    public required string Id { get; init; }
    public long Version { get; init; }
    public required string Body { get; init; }

    /// <summary>Queryable fields. Values are strings; times use <see cref="IndexFormat.Time"/> so they sort.</summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<OutboxMessage> Outbox { get; init; } = [];
}

/// <summary>An integration event waiting to be published; its id becomes the message id.</summary>
public sealed record OutboxMessage(Guid Id, string Type, string Body, DateTimeOffset OccurredAt);

public enum FilterOp { Eq, Ne, Lt, Gte, In }

public sealed record FieldFilter(string Field, FilterOp Op, IReadOnlyList<string> Values)
{
    public static FieldFilter Eq(string field, string value) => new(field, FilterOp.Eq, [value]);
    public static FieldFilter Ne(string field, string value) => new(field, FilterOp.Ne, [value]);
    public static FieldFilter Lt(string field, string value) => new(field, FilterOp.Lt, [value]);
    public static FieldFilter Gte(string field, string value) => new(field, FilterOp.Gte, [value]);
    public static FieldFilter In(string field, IEnumerable<string> values) => new(field, FilterOp.In, values.ToArray());
}

public sealed record DocumentQuery
{
    public IReadOnlyList<FieldFilter> Filters { get; init; } = [];
    public string? SortBy { get; init; }
    public bool Descending { get; init; }
    public int Skip { get; init; }
    public int Take { get; init; } = 20;

    /// <summary>False where nobody reads <see cref="DocumentPage.Total"/> (sweeps, replays, batches): the store then counts nothing.</summary>
    public bool CountTotal { get; init; } = true;
}

/// <summary>
/// One page and how many documents match, counted up to <see cref="TotalCap"/>: beyond it the total is
/// <see cref="TotalCap"/> with <see cref="TotalCapped"/> set (the page shows "10,000+"; paging stops there too).
/// </summary>
public sealed record DocumentPage(IReadOnlyList<StoredDocument> Items, long Total, bool TotalCapped = false)
{
    public const int TotalCap = 10_000;
}

/// <summary>
/// A query a collection answers from one index, declared with the collection's fields: equality (or IN) on
/// every field of <see cref="Equal"/> and nothing else, ordered by (and ranged on) <see cref="Order"/>. Both
/// adapters build one compound index for it, ending with the document id so that equal orders page stably;
/// the embedded adapter also keeps the number of documents of every <see cref="Equal"/> value in the same write,
/// so that a page's total is read, not counted. A single indexed field needs no shape: equality on it, or an
/// order and a range on it, use its own index.
/// <para>
/// <see cref="Checked"/> lists fields a query may also ask equality on, checked document by document while the
/// index is walked instead of being part of it — for partitions known to be small (an organisation's own
/// listings), where one index per combination of optional filters would cost every write more than it saves.
/// Such a query's total is counted by reading, up to the cap.
/// </para>
/// </summary>
public sealed record IndexShape(IReadOnlyList<string> Equal, string? Order = null)
{
    public IReadOnlyList<string> Checked { get; init; } = [];

    public string Name => "q_" + string.Join("_", Equal) + (Order is null ? "" : "__" + Order);
}

/// <summary>A query that no index of its collection answers, refused where indexed queries are required (tests).</summary>
public sealed class UnindexedQueryException(string collection, DocumentQuery query)
    : InvalidOperationException($"No index of '{collection}' answers a query on [{string.Join(", ", query.Filters.Select(f => $"{f.Field} {f.Op}"))}] ordered by '{query.SortBy}': declare an IndexShape for it.");

/// <summary>The persistence port every service talks to. Two adapters: LiteDB and MongoDB.</summary>
public interface IDocumentStore
{
    /// <summary>Short name of the adapter, for logs and health ("litedb", "mongodb").</summary>
    string Kind { get; }

    Task<StoredDocument?> GetAsync(string collection, string id, CancellationToken ct = default);

    /// <summary>Inserts a new document at version 1.</summary>
    /// <exception cref="DocumentExistsException">a document with that id exists.</exception>
    Task<StoredDocument> InsertAsync(string collection, StoredDocument document, CancellationToken ct = default);

    /// <summary>
    /// Replaces body and fields if the document is still at <paramref name="expectedVersion"/>, and
    /// APPENDS <see cref="StoredDocument.Outbox"/> to the messages still waiting; the new version is
    /// expected + 1. Appending (rather than overwriting) keeps a message the dispatcher already
    /// removed from coming back.
    /// </summary>
    /// <exception cref="ConcurrencyConflictException">the stored version differs, or the document is gone.</exception>
    Task<StoredDocument> ReplaceAsync(string collection, StoredDocument document, long expectedVersion, CancellationToken ct = default);

    Task<DocumentPage> QueryAsync(string collection, DocumentQuery query, CancellationToken ct = default);

    /// <summary>Documents that still hold unpublished outbox messages, unless their outbox is parked (an index answers it).</summary>
    Task<IReadOnlyList<StoredDocument>> FindPendingOutboxAsync(string collection, int limit, CancellationToken ct = default);

    /// <summary>
    /// Parks a document's outbox at a message this build cannot read: the pending query skips the
    /// document until it is written again or <see cref="ResumeParkedOutboxAsync"/> runs. Nothing is removed.
    /// </summary>
    Task ParkOutboxAsync(string collection, string id, Guid messageId, CancellationToken ct = default);

    /// <summary>Every parked outbox of the collection is pending again (a new build may read what the old one could not).</summary>
    /// <returns>how many documents were parked.</returns>
    Task<int> ResumeParkedOutboxAsync(string collection, CancellationToken ct = default);

    /// <summary>How many documents of the collection have a parked outbox.</summary>
    Task<int> CountParkedOutboxAsync(string collection, CancellationToken ct = default);

    /// <summary>Removes one published message from a document's outbox without touching its version.</summary>
    Task MarkDispatchedAsync(string collection, string id, Guid messageId, CancellationToken ct = default);

    Task<bool> DeleteAsync(string collection, string id, CancellationToken ct = default);

    /// <summary>
    /// Creates the indexes for the queryable fields a collection uses and for its declared query shapes
    /// (and, in the embedded adapter, counts the documents of each shape's values when it is new).
    /// </summary>
    Task EnsureIndexesAsync(string collection, IEnumerable<string> fields, IReadOnlyList<IndexShape> shapes, CancellationToken ct = default);

    /// <summary>
    /// A number that changes, in the same write, whenever a document enters or leaves the documents with these
    /// field values (a declared shape's equality fields; none: the whole collection, which changes at every write).
    /// A read model derived from those documents is recomputed only when its stamp moved. Null where the adapter
    /// keeps no such number (MongoDB, which writes one document at a time without transactions, or a set of
    /// fields no shape declares): the caller then decides how long a derived value may stand.
    /// </summary>
    Task<long?> ChangeStampAsync(string collection, IReadOnlyList<FieldFilter> equal, CancellationToken ct = default);

    /// <summary>A cheap round trip, for readiness.</summary>
    Task PingAsync(CancellationToken ct = default);
}

public static class DocumentStoreExtensions
{
    /// <summary>Indexes for single fields only.</summary>
    public static Task EnsureIndexesAsync(this IDocumentStore store, string collection, IEnumerable<string> fields, CancellationToken ct = default) =>
        store.EnsureIndexesAsync(collection, fields, [], ct);
}

public sealed class DocumentExistsException(string collection, string id)
    : Exception($"A document '{id}' already exists in '{collection}'.");

public sealed class ConcurrencyConflictException(string collection, string id, long expectedVersion)
    : Exception($"Document '{id}' in '{collection}' is no longer at version {expectedVersion}.");

public static class IndexFormat
{
    /// <summary>Fixed-width UTC time, so that string order is time order.</summary>
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A time made unique by an id: ordered by the time, ties in id order, so paging by it is stable.</summary>
    public static string TimeKey(DateTimeOffset value, Guid id) => Time(value) + "|" + id.ToString("N");
}
