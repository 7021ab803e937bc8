using System.Collections.Concurrent;
using System.Globalization;
using LiteDB;
using MassTransit;

namespace Marketplace.ServiceDefaults.Storage.Files;

/// <summary>
/// Embedded adapter: LiteDB's file storage (<c>FileStorage&lt;string&gt;</c>, collections <c>{bucket}_files</c>
/// and <c>{bucket}_chunks</c>) inside the service's own LiteDB file, through the document store's database and
/// lock (<see cref="LiteDbDocumentStore.WithDatabase{T}"/>); in shared mode that lock also keeps this process's
/// operations from interleaving inside one LiteDB transaction of the store.
/// </summary>
/// <remarks>
/// LiteDB writes a chunk document as soon as a chunk is full and the file document when the write stream is
/// disposed. An upload is therefore journalled first (<c>file_uploads</c>), its file document is written with
/// <c>metadata.complete = false</c>, verified, and only then marked complete, which is what every query asks
/// for. The adapter writes every chunk full but the last (<see cref="ChunkSize"/>), so a read can go straight to
/// the chunk an offset lies in instead of reading the chunks before it, as LiteDB's own stream does.
/// </remarks>
public sealed class LiteDbFileStore(LiteDbDocumentStore documents, TimeProvider? time = null) : IFileStore
{
    /// <summary>The bytes of every chunk but a file's last (LiteDB's own chunk size, as GridFS's).</summary>
    public const int ChunkSize = LiteFileStream<string>.MAX_CHUNK_SIZE;

    private const string Visible = "$.metadata.complete = true";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, bool> _indexed = new();

    public string Kind => "litedb";

    public async Task<StoredFile> UploadAsync(string bucket, FileUpload upload, Stream content, long maxBytes,
        Func<Stream, CancellationToken, Task>? verify = null, CancellationToken ct = default)
    {
        FileStoreParts.CheckBucket(bucket);
        var id = NewId.NextGuid();
        var key = Key(id);
        var name = FileNames.Display(upload.Name);
        var started = _time.GetUtcNow();
        var writer = documents.WithDatabase(db =>
        {
            EnsureIndexes(db, bucket);
            db.GetCollection(FileStoreParts.Journal).Insert(new BsonDocument
            {
                ["_id"] = key, ["bucket"] = bucket, ["started"] = IndexFormat.Time(started),
            });
            return Storage(db, bucket).OpenWrite(key, name);
        });
        try
        {
            var (size, sha256) = await FileStoreParts.CopyAsync(content, ChunkSize, maxBytes, (chunk, _) =>
            {
                documents.WithDatabase(_ => { writer.Write(chunk.Span); return 0; });
                return ValueTask.CompletedTask;
            }, ct);
            var stored = new StoredFile(id, bucket, upload.OwnerKey, upload.Kind, name, upload.ContentType, size, sha256, upload.UploadedBy, started);
            var metadata = Metadata(stored);
            documents.WithDatabase(_ =>
            {
                writer.FileInfo.Metadata = metadata;
                writer.Dispose(); // the last chunk, then the file document (still hidden)
                return 0;
            });
            if (verify is not null)
            {
                await using var check = new ChunkReadStream(documents, Chunks(bucket), key, size);
                await verify(check, ct);
            }
            ct.ThrowIfCancellationRequested();
            metadata["complete"] = true;
            documents.WithDatabase(db =>
            {
                // under the lock the sweep takes too: either it removed the upload already, or it cannot now
                if (!db.GetCollection(FileStoreParts.Journal).Exists("_id = @0", key)) throw FileStoreParts.Swept();
                Storage(db, bucket).SetMetadata(key, metadata);
                return db.GetCollection(FileStoreParts.Journal).Delete(key);
            });
            return stored;
        }
        catch
        {
            // the write stream is left undisposed on purpose: disposing it would write a file document
            CleanUp(bucket, key);
            throw;
        }
    }

    public Task<StoredFile?> FindAsync(string bucket, Guid id, CancellationToken ct = default) =>
        Task.FromResult(documents.WithDatabase(db => FindVisible(db, bucket, id) is { } file ? ToStored(bucket, file) : null));

    public Task<IReadOnlyList<StoredFile>> ListAsync(string bucket, string ownerKey, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<StoredFile>>(documents.WithDatabase(db =>
            Storage(db, FileStoreParts.CheckBucket(bucket)).Find($"{Visible} AND $.metadata.owner = @0", ownerKey)
                .Select(f => ToStored(bucket, f)).OrderBy(f => f.UploadedAt).ThenBy(f => f.Id).ToList()));

    public Task<int> CountAsync(string bucket, string ownerKey, CancellationToken ct = default) =>
        Task.FromResult(documents.WithDatabase(db =>
            db.GetCollection(Files(FileStoreParts.CheckBucket(bucket))).Count($"{Visible} AND $.metadata.owner = @0", ownerKey)));

    public Task<Stream?> OpenReadAsync(string bucket, Guid id, CancellationToken ct = default) =>
        Task.FromResult(documents.WithDatabase(db => FindVisible(db, bucket, id) is { } file
            ? (Stream)new ChunkReadStream(documents, Chunks(bucket), file.Id, file.Length)
            : null));

    public Task<bool> DeleteAsync(string bucket, Guid id, CancellationToken ct = default) =>
        Task.FromResult(documents.WithDatabase(db => Storage(db, FileStoreParts.CheckBucket(bucket)).Delete(Key(id))));

    public Task<int> SweepPartialAsync(TimeSpan olderThan, CancellationToken ct = default) =>
        Task.FromResult(documents.WithDatabase(db =>
        {
            var journal = db.GetCollection(FileStoreParts.Journal);
            var abandoned = journal.Find(BsonExpression.Create("started < @0", new BsonValue(IndexFormat.Time(_time.GetUtcNow() - olderThan)))).ToList();
            var removed = 0;
            foreach (var entry in abandoned)
            {
                var (key, bucket) = (entry["_id"].AsString, entry["bucket"].AsString);
                // published, but the process died before it dropped the entry
                if (db.GetCollection(Files(bucket)).Exists($"$._id = @0 AND {Visible}", key)) journal.Delete(key);
                else if (Remove(db, bucket, key)) removed++;
            }
            return removed;
        }));

    /// <summary>Removes a failed upload at once; should that fail too, its journal entry is left for the sweep.</summary>
    private void CleanUp(string bucket, string key)
    {
        try
        {
            documents.WithDatabase(db => Remove(db, bucket, key));
        }
        catch (LiteException)
        {
            // the sweep removes it; the caller hears of the upload's own failure, not of this one
        }
    }

    /// <summary>Removes the file document, every chunk and the journal entry of one upload.</summary>
    private static bool Remove(LiteDatabase db, string bucket, string key)
    {
        Storage(db, bucket).Delete(key);
        // chunks without a file document (the file's own Delete only looks for chunks of a file it found)
        db.GetCollection(Chunks(bucket)).DeleteMany("_id BETWEEN { f: @0, n: 0 } AND { f: @0, n: @1 }", key, int.MaxValue);
        return db.GetCollection(FileStoreParts.Journal).Delete(key);
    }

    private LiteFileInfo<string>? FindVisible(LiteDatabase db, string bucket, Guid id) =>
        Storage(db, FileStoreParts.CheckBucket(bucket)).FindById(Key(id)) is { } file && file.Metadata["complete"] == true ? file : null;

    private void EnsureIndexes(LiteDatabase db, string bucket)
    {
        if (_indexed.ContainsKey(bucket)) return;
        db.GetCollection(Files(bucket)).EnsureIndex("owner", "$.metadata.owner");
        db.GetCollection(FileStoreParts.Journal).EnsureIndex("started", "$.started");
        _indexed[bucket] = true;
    }

    private static ILiteStorage<string> Storage(LiteDatabase db, string bucket) => db.GetStorage<string>(Files(bucket), Chunks(bucket));

    private static string Files(string bucket) => bucket + "_files";

    private static string Chunks(string bucket) => bucket + "_chunks";

    private static string Key(Guid id) => id.ToString("D");

    private static BsonDocument Metadata(StoredFile file) => new()
    {
        ["owner"] = file.OwnerKey,
        ["kind"] = file.Kind,
        ["contentType"] = file.ContentType,
        ["sha256"] = file.Sha256,
        ["uploadedBy"] = file.UploadedBy,
        ["uploadedAt"] = IndexFormat.Time(file.UploadedAt),
        ["complete"] = false,
    };

    private static StoredFile ToStored(string bucket, LiteFileInfo<string> file)
    {
        var m = file.Metadata;
        return new StoredFile(Guid.Parse(file.Id), bucket, m["owner"].AsString, m["kind"].AsString, file.Filename,
            m["contentType"].AsString, file.Length, m["sha256"].AsString, m["uploadedBy"].AsString,
            DateTimeOffset.Parse(m["uploadedAt"].AsString, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// A seekable read of one file's chunks: an offset maps to its chunk directly (every chunk but the last holds
    /// <see cref="ChunkSize"/> bytes), and one chunk is held at a time.
    /// </summary>
    private sealed class ChunkReadStream(LiteDbDocumentStore documents, string chunks, string key, long length) : Stream
    {
        private long _position;
        private int _loadedIndex = -1;
        private byte[] _loaded = [];

        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => length;

        public override long Position
        {
            get => _position;
            set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position >= length || buffer.Length == 0) return 0;
            var index = (int)(_position / ChunkSize);
            if (index != _loadedIndex) Load(index);
            var inChunk = (int)(_position % ChunkSize);
            var count = Math.Min(buffer.Length, _loaded.Length - inChunk);
            _loaded.AsSpan(inChunk, count).CopyTo(buffer);
            _position += count;
            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        private void Load(int index)
        {
            var data = documents.WithDatabase(db =>
                db.GetCollection(chunks).FindOne("_id = { f: @0, n: @1 }", key, index)?["data"].AsBinary);
            var expected = (int)Math.Min(ChunkSize, length - (long)index * ChunkSize);
            if (data is null || data.Length != expected)
                throw new IOException($"File {key}: chunk {index} is {(data is null ? "missing" : $"{data.Length} bytes, not {expected}")}.");
            (_loaded, _loadedIndex) = (data, index);
        }

        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };

        public override void Flush() { }
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
