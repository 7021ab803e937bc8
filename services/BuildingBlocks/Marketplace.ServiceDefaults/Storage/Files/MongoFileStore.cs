using System.Collections.Concurrent;
using System.Globalization;
using MassTransit;
using MongoDB.Bson;
using MongoDB.Driver;
using MongoDB.Driver.GridFS;

namespace Marketplace.ServiceDefaults.Storage.Files;

/// <summary>
/// Production adapter: one GridFS bucket per bucket (<c>{bucket}.files</c>, <c>{bucket}.chunks</c>) in the
/// service's database, so <c>mongodump</c> of that database carries its files beside its documents.
/// </summary>
/// <remarks>
/// The driver writes chunks as they fill and the files document when the upload stream is closed; an aborted
/// upload deletes its chunks, a crashed one leaves them. So an upload is journalled first (<c>file_uploads</c>),
/// closed with <c>metadata.complete = false</c>, verified, and only then marked complete, which is what every
/// query asks for. The driver batches 16 MB of chunks before it inserts them by default; uploads here send
/// <see cref="BatchChunks"/> chunks at a time, so a large file is never held in memory.
/// </remarks>
public sealed class MongoFileStore(IMongoDatabase database, TimeProvider? time = null) : IFileStore
{
    /// <summary>GridFS's default chunk size.</summary>
    public const int ChunkSize = 255 * 1024;

    /// <summary>Chunks sent to the server in one insert (about 1 MB).</summary>
    public const int BatchChunks = 4;

    private static readonly FilterDefinitionBuilder<BsonDocument> F = Builders<BsonDocument>.Filter;
    private static readonly FilterDefinition<BsonDocument> Visible = F.Eq("metadata.complete", true);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, GridFSBucket<string>> _buckets = new();
    private readonly ConcurrentDictionary<string, bool> _indexed = new();

    public string Kind => "mongodb";

    public async Task<StoredFile> UploadAsync(string bucket, FileUpload upload, Stream content, long maxBytes,
        Func<Stream, CancellationToken, Task>? verify = null, CancellationToken ct = default)
    {
        var gridfs = Bucket(bucket);
        await EnsureIndexesAsync(bucket, ct);
        var id = NewId.NextGuid();
        var key = Key(id);
        var name = FileNames.Display(upload.Name);
        var started = _time.GetUtcNow();
        await Journal.InsertOneAsync(new BsonDocument { ["_id"] = key, ["bucket"] = bucket, ["started"] = IndexFormat.Time(started) }, cancellationToken: ct);
        try
        {
            StoredFile stored;
            using (var writer = await gridfs.OpenUploadStreamAsync(key, name, new GridFSUploadOptions
            {
                ChunkSizeBytes = ChunkSize,
                BatchSize = BatchChunks,
                Metadata = new BsonDocument
                {
                    ["owner"] = upload.OwnerKey, ["kind"] = upload.Kind, ["contentType"] = upload.ContentType,
                    ["uploadedBy"] = upload.UploadedBy, ["uploadedAt"] = IndexFormat.Time(started), ["complete"] = false,
                },
            }, ct))
            {
                var closing = false;
                try
                {
                    var (size, sha256) = await FileStoreParts.CopyAsync(content, ChunkSize, maxBytes, writer.WriteAsync, ct);
                    stored = new StoredFile(id, bucket, upload.OwnerKey, upload.Kind, name, upload.ContentType, size, sha256, upload.UploadedBy, started);
                    closing = true;
                    await writer.CloseAsync(ct); // the last chunks, then the files document (still hidden)
                }
                catch when (!closing)
                {
                    // Disposing an upload stream closes it, which would write a files document: abort it first.
                    await AbortQuietlyAsync(writer);
                    throw;
                }
            }
            if (verify is not null)
            {
                await using var check = await gridfs.OpenDownloadStreamAsync(key, new GridFSDownloadOptions { Seekable = true }, ct);
                await verify(check, ct);
            }
            ct.ThrowIfCancellationRequested();
            // a sweep marks an entry before it removes the upload (it may die in between and sweep again)
            if (!await Journal.Find(F.Eq("_id", key) & F.Ne("abandoned", true)).AnyAsync(CancellationToken.None)) throw FileStoreParts.Swept();
            await FilesOf(bucket).UpdateOneAsync(F.Eq("_id", key),
                Builders<BsonDocument>.Update.Set("metadata.sha256", stored.Sha256).Set("metadata.complete", true), cancellationToken: CancellationToken.None);
            await Journal.DeleteOneAsync(F.Eq("_id", key), CancellationToken.None);
            return stored;
        }
        catch
        {
            await CleanUpAsync(bucket, key);
            throw;
        }
    }

    public async Task<StoredFile?> FindAsync(string bucket, Guid id, CancellationToken ct = default)
    {
        var doc = await FilesOf(bucket).Find(F.Eq("_id", Key(id)) & Visible).FirstOrDefaultAsync(ct);
        return doc is null ? null : ToStored(bucket, doc);
    }

    public async Task<IReadOnlyList<StoredFile>> ListAsync(string bucket, string ownerKey, CancellationToken ct = default)
    {
        var docs = await FilesOf(bucket).Find(F.Eq("metadata.owner", ownerKey) & Visible)
            .Sort(Builders<BsonDocument>.Sort.Ascending("metadata.uploadedAt").Ascending("_id")).ToListAsync(ct);
        return docs.Select(d => ToStored(bucket, d)).ToList();
    }

    public async Task<int> CountAsync(string bucket, string ownerKey, CancellationToken ct = default) =>
        (int)await FilesOf(bucket).CountDocumentsAsync(F.Eq("metadata.owner", ownerKey) & Visible, cancellationToken: ct);

    public async Task<Stream?> OpenReadAsync(string bucket, Guid id, CancellationToken ct = default)
    {
        if (await FindAsync(bucket, id, ct) is null) return null;
        try
        {
            return await Bucket(bucket).OpenDownloadStreamAsync(Key(id), new GridFSDownloadOptions { Seekable = true }, ct);
        }
        catch (GridFSFileNotFoundException)
        {
            return null; // deleted in between
        }
    }

    public async Task<bool> DeleteAsync(string bucket, Guid id, CancellationToken ct = default)
    {
        try
        {
            await Bucket(bucket).DeleteAsync(Key(id), ct);
            return true;
        }
        catch (GridFSFileNotFoundException)
        {
            return false;
        }
    }

    public async Task<int> SweepPartialAsync(TimeSpan olderThan, CancellationToken ct = default)
    {
        var cutoff = IndexFormat.Time(_time.GetUtcNow() - olderThan);
        var abandoned = await Journal.Find(F.Lt("started", cutoff)).ToListAsync(ct);
        var removed = 0;
        foreach (var entry in abandoned)
        {
            var (key, bucket) = (entry["_id"].AsString, entry["bucket"].AsString);
            await Journal.UpdateOneAsync(F.Eq("_id", key), Builders<BsonDocument>.Update.Set("abandoned", true), cancellationToken: ct);
            // published, but the process died before it dropped the entry
            if (await FilesOf(bucket).Find(F.Eq("_id", key) & Visible).AnyAsync(ct))
                await Journal.DeleteOneAsync(F.Eq("_id", key), ct);
            else if (await RemoveAsync(bucket, key, ct)) removed++;
        }
        return removed;
    }

    private async Task CleanUpAsync(string bucket, string key)
    {
        try
        {
            await RemoveAsync(bucket, key, CancellationToken.None);
        }
        catch (MongoException)
        {
            // the sweep removes it; the caller hears of the upload's own failure, not of this one
        }
    }

    /// <summary>Removes the files document, every chunk and the journal entry of one upload.</summary>
    private async Task<bool> RemoveAsync(string bucket, string key, CancellationToken ct)
    {
        try
        {
            await Bucket(bucket).DeleteAsync(key, ct); // deletes the chunks also when there is no files document
        }
        catch (GridFSFileNotFoundException)
        {
        }
        return (await Journal.DeleteOneAsync(F.Eq("_id", key), ct)).DeletedCount > 0;
    }

    /// <summary>Aborting deletes the chunks written so far; should that fail, the removal after it tries again.</summary>
    private static async Task AbortQuietlyAsync(GridFSUploadStream<string> writer)
    {
        try
        {
            await writer.AbortAsync(CancellationToken.None);
        }
        catch (MongoException)
        {
        }
    }

    private async Task EnsureIndexesAsync(string bucket, CancellationToken ct)
    {
        if (_indexed.ContainsKey(bucket)) return;
        await FilesOf(bucket).Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("metadata.owner")), cancellationToken: ct);
        await Journal.Indexes.CreateOneAsync(new CreateIndexModel<BsonDocument>(Builders<BsonDocument>.IndexKeys.Ascending("started")), cancellationToken: ct);
        _indexed[bucket] = true;
    }

    private GridFSBucket<string> Bucket(string bucket) =>
        _buckets.GetOrAdd(FileStoreParts.CheckBucket(bucket), b => new GridFSBucket<string>(database, new GridFSBucketOptions { BucketName = b, ChunkSizeBytes = ChunkSize }));

    private IMongoCollection<BsonDocument> FilesOf(string bucket) => database.GetCollection<BsonDocument>(FileStoreParts.CheckBucket(bucket) + ".files");

    private IMongoCollection<BsonDocument> Journal => database.GetCollection<BsonDocument>(FileStoreParts.Journal);

    private static string Key(Guid id) => id.ToString("D");

    private static StoredFile ToStored(string bucket, BsonDocument doc)
    {
        var m = doc["metadata"].AsBsonDocument;
        return new StoredFile(Guid.Parse(doc["_id"].AsString), bucket, m["owner"].AsString, m["kind"].AsString, doc["filename"].AsString,
            m["contentType"].AsString, doc["length"].ToInt64(), m["sha256"].AsString, m["uploadedBy"].AsString,
            DateTimeOffset.Parse(m["uploadedAt"].AsString, CultureInfo.InvariantCulture));
    }
}
