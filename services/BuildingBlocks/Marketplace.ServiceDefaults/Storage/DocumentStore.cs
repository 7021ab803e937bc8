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
}

public sealed record DocumentPage(IReadOnlyList<StoredDocument> Items, long Total);

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

    /// <summary>Creates the indexes for the queryable fields a collection uses.</summary>
    Task EnsureIndexesAsync(string collection, IEnumerable<string> fields, CancellationToken ct = default);

    /// <summary>A cheap round trip, for readiness.</summary>
    Task PingAsync(CancellationToken ct = default);
}

public sealed class DocumentExistsException(string collection, string id)
    : Exception($"A document '{id}' already exists in '{collection}'.");

public sealed class ConcurrencyConflictException(string collection, string id, long expectedVersion)
    : Exception($"Document '{id}' in '{collection}' is no longer at version {expectedVersion}.");

public static class IndexFormat
{
    /// <summary>Fixed-width UTC time, so that string order is time order.</summary>
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
