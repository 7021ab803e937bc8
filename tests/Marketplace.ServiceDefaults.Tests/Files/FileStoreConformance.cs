using System.Security.Cryptography;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.ServiceDefaults.Storage.Files;
using Marketplace.TestKit;
using MongoDB.Bson;
using MongoDB.Driver;

namespace Marketplace.ServiceDefaults.Tests.Files;

/// <summary>One file-store adapter under test, with a look into the storage beneath it.</summary>
/// <param name="CountChunks">The chunk documents of a bucket, published or not.</param>
/// <param name="CountJournal">The journal's entries (uploads not yet finished).</param>
/// <param name="Journal">Writes a journal entry as an upload would, for a crash after publishing.</param>
internal sealed record FileSubject(IFileStore Store, TestClock Clock, Func<string, Task<long>> CountChunks,
    Func<Task<long>> CountJournal, Func<Guid, string, DateTimeOffset, Task> Journal);

/// <summary>The memory case measures this process's heap: nothing else may run beside it.</summary>
[CollectionDefinition(nameof(FileStoreConformance), DisableParallelization = true)]
public sealed class FileStoreConformanceCollection;

/// <summary>
/// What every file-store adapter must do, run against LiteDB (direct and shared connection) always and against
/// MongoDB GridFS when MARKETPLACE_TEST_MONGO is set, like <see cref="DocumentStoreConformance"/>.
/// </summary>
[Collection(nameof(FileStoreConformance))]
public sealed class FileStoreConformance : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "file-conformance-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Cases => new(FileConformance.All.Keys);

    [Theory, MemberData(nameof(Cases))]
    public Task LiteDb(string @case) => RunLiteDb(@case, shared: false);

    [Theory, MemberData(nameof(Cases))]
    public Task LiteDbShared(string @case) => RunLiteDb(@case, shared: true);

    private async Task RunLiteDb(string @case, bool shared)
    {
        // the service's one LiteDB file, which its document store opened
        using var documents = new LiteDbDocumentStore(Path.Combine(_directory, "service.db"), shared);
        var clock = new TestClock { Now = FileConformance.Start };
        await FileConformance.All[@case](new FileSubject(
            new LiteDbFileStore(documents, clock), clock,
            bucket => Task.FromResult(documents.WithDatabase(db => db.GetCollection(bucket + "_chunks").LongCount())),
            () => Task.FromResult(documents.WithDatabase(db => db.GetCollection("file_uploads").LongCount())),
            (id, bucket, started) =>
            {
                documents.WithDatabase(db => db.GetCollection("file_uploads").Insert(new LiteDB.BsonDocument
                {
                    ["_id"] = id.ToString("D"), ["bucket"] = bucket, ["started"] = IndexFormat.Time(started),
                }));
                return Task.CompletedTask;
            }));
    }

    [MongoTheory, MemberData(nameof(Cases))]
    public async Task MongoDb(string @case)
    {
        var client = new MongoClient(MongoFactAttribute.ConnectionString);
        var name = "file-conformance-" + Guid.NewGuid().ToString("N")[..12];
        var database = client.GetDatabase(name);
        var clock = new TestClock { Now = FileConformance.Start };
        try
        {
            await FileConformance.All[@case](new FileSubject(
                new MongoFileStore(database, clock), clock,
                bucket => database.GetCollection<BsonDocument>(bucket + ".chunks").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty),
                () => database.GetCollection<BsonDocument>("file_uploads").CountDocumentsAsync(FilterDefinition<BsonDocument>.Empty),
                (id, bucket, started) => database.GetCollection<BsonDocument>("file_uploads").InsertOneAsync(new BsonDocument
                {
                    ["_id"] = id.ToString("D"), ["bucket"] = bucket, ["started"] = IndexFormat.Time(started),
                })));
        }
        finally
        {
            await client.DropDatabaseAsync(name);
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}

internal static class FileConformance
{
    public static readonly DateTimeOffset Start = new DateTimeOffset(2026, 11, 28, 8, 30, 15, TimeSpan.Zero).AddTicks(1234567);

    private const string B = "attachments";
    private const int Chunk = 255 * 1024;
    private const long Unlimited = 100L * 1024 * 1024;

    public static readonly IReadOnlyDictionary<string, Func<FileSubject, Task>> All = new Dictionary<string, Func<FileSubject, Task>>
    {
        ["an_upload_reads_back_byte_for_byte_with_its_sha256_and_size"] = ReadsBack,
        ["an_empty_file_is_kept_and_reads_back_empty"] = Empty,
        ["the_stored_name_is_sanitised"] = SanitisedName,
        ["files_are_listed_and_counted_per_owner_and_bucket"] = ListAndCount,
        ["unknown_files_and_owners_find_nothing"] = Unknown,
        ["a_file_of_exactly_the_limit_is_kept"] = ExactlyTheLimit,
        ["a_file_over_the_limit_is_refused_as_it_arrives_and_leaves_nothing"] = TooLarge,
        ["an_upload_that_breaks_half_way_leaves_nothing"] = BreaksHalfWay,
        ["a_cancelled_upload_leaves_nothing"] = Cancelled,
        ["an_abandoned_upload_is_invisible_and_the_sweep_removes_its_chunks"] = Abandoned,
        ["the_sweep_keeps_a_file_published_before_its_journal_entry_was_dropped"] = SweepKeepsPublished,
        ["an_upload_slower_than_the_sweeps_age_fails_rather_than_publish_missing_chunks"] = OvertakenBySweep,
        ["verification_reads_the_whole_hidden_file_and_its_refusal_leaves_nothing"] = VerifyRefuses,
        ["delete_removes_the_file_and_its_chunks"] = Delete,
        ["seeks_read_the_right_bytes"] = Ranges,
        ["two_concurrent_uploads_to_one_owner_both_land"] = Concurrent,
        ["a_15_MB_upload_streams_without_holding_the_file_in_memory"] = Large,
        ["a_bad_bucket_name_is_refused"] = BadBucket,
    };

    private static FileUpload Meta(string owner = "listing-1", string name = "证书.pdf", string kind = "patent_certificate") =>
        new() { OwnerKey = owner, Kind = kind, Name = name, UploadedBy = "user-7", ContentType = "application/pdf" };

    private static async Task<StoredFile> Upload(FileSubject s, long length, int seed = 1, string owner = "listing-1", string bucket = B)
    {
        using var content = new GeneratedContent(length, seed);
        return await s.Store.UploadAsync(bucket, Meta(owner), content, Unlimited);
    }

    private static async Task<byte[]> ReadAll(FileSubject s, Guid id, string bucket = B)
    {
        await using var stream = await s.Store.OpenReadAsync(bucket, id);
        Assert.NotNull(stream);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        return copy.ToArray();
    }

    /// <summary>Nothing of a refused upload shows, and nothing of it is left underneath.</summary>
    private static async Task AssertNothingLeft(FileSubject s, int filesBefore, long chunksBefore)
    {
        Assert.Equal(filesBefore, await s.Store.CountAsync(B, "listing-1"));
        Assert.Equal(filesBefore, (await s.Store.ListAsync(B, "listing-1")).Count);
        Assert.Equal(chunksBefore, await s.CountChunks(B));
        Assert.Equal(0, await s.CountJournal());
    }

    private static async Task ReadsBack(FileSubject s)
    {
        var length = 2 * Chunk + 12_345;
        var stored = await Upload(s, length, seed: 3);

        var bytes = GeneratedContent.Bytes(length, seed: 3);
        Assert.Equal(length, stored.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Sha256);
        Assert.Equal(new StoredFile(stored.Id, B, "listing-1", "patent_certificate", "证书.pdf", "application/pdf", length, stored.Sha256, "user-7", Start), stored);
        Assert.Equal(stored, await s.Store.FindAsync(B, stored.Id));
        Assert.Equal(bytes, await ReadAll(s, stored.Id));
        Assert.Equal(3, await s.CountChunks(B));
        Assert.Equal(0, await s.CountJournal());
    }

    private static async Task Empty(FileSubject s)
    {
        var stored = await Upload(s, 0);
        Assert.Equal(0, stored.Size);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", stored.Sha256);
        Assert.Empty(await ReadAll(s, stored.Id));
    }

    private static async Task SanitisedName(FileSubject s)
    {
        using var content = new GeneratedContent(100);
        var stored = await s.Store.UploadAsync(B, Meta(name: "C:\\Users\\张三\\..\\合同\u202Efdp.exe"), content, Unlimited);
        Assert.Equal("合同fdp.exe", stored.Name);
        Assert.Equal("合同fdp.exe", (await s.Store.FindAsync(B, stored.Id))!.Name);
    }

    private static async Task ListAndCount(FileSubject s)
    {
        var first = await Upload(s, 1000, seed: 1);
        s.Clock.Now += TimeSpan.FromMinutes(1);
        var second = await Upload(s, 2000, seed: 2);
        var other = await Upload(s, 3000, seed: 3, owner: "listing-2");
        await Upload(s, 4000, seed: 4, bucket: "documents");

        Assert.Equal([first.Id, second.Id], (await s.Store.ListAsync(B, "listing-1")).Select(f => f.Id));
        Assert.Equal(2, await s.Store.CountAsync(B, "listing-1"));
        Assert.Equal(other, Assert.Single(await s.Store.ListAsync(B, "listing-2")));
        Assert.Equal(1, await s.Store.CountAsync("documents", "listing-1"));
        Assert.Null(await s.Store.FindAsync("documents", first.Id)); // a file is found in its own bucket only
    }

    private static async Task Unknown(FileSubject s)
    {
        await Upload(s, 1000);
        Assert.Null(await s.Store.FindAsync(B, Guid.NewGuid()));
        Assert.Null(await s.Store.OpenReadAsync(B, Guid.NewGuid()));
        Assert.False(await s.Store.DeleteAsync(B, Guid.NewGuid()));
        Assert.Empty(await s.Store.ListAsync(B, "nobody"));
        Assert.Equal(0, await s.Store.CountAsync(B, "nobody"));
        Assert.Empty(await s.Store.ListAsync("photos", "listing-1")); // a bucket never written to
    }

    private static async Task ExactlyTheLimit(FileSubject s)
    {
        using var content = new GeneratedContent(Chunk + 10);
        var stored = await s.Store.UploadAsync(B, Meta(), content, maxBytes: Chunk + 10);
        Assert.Equal(Chunk + 10, stored.Size);
    }

    private static async Task TooLarge(FileSubject s)
    {
        await Upload(s, 1000); // one file already there
        var chunks = await s.CountChunks(B);
        using var content = new GeneratedContent(5 * Chunk);

        var refused = await Assert.ThrowsAsync<FileTooLargeException>(() => s.Store.UploadAsync(B, Meta(), content, maxBytes: Chunk + 1));

        Assert.Contains("255 KB", refused.Message, StringComparison.Ordinal);
        Assert.True(content.Delivered <= Chunk + 1 + 12_000, $"read {content.Delivered} bytes of a file refused past {Chunk + 1}");
        await AssertNothingLeft(s, 1, chunks);
    }

    private static async Task BreaksHalfWay(FileSubject s)
    {
        await Upload(s, 1000);
        var chunks = await s.CountChunks(B);
        using var content = new GeneratedContent(3 * Chunk).BreaksAt(2 * Chunk + 100);

        await Assert.ThrowsAsync<IOException>(() => s.Store.UploadAsync(B, Meta(), content, Unlimited));

        await AssertNothingLeft(s, 1, chunks);
    }

    private static async Task Cancelled(FileSubject s)
    {
        using var cancel = new CancellationTokenSource();
        using var content = new GeneratedContent(3 * Chunk).At(Chunk + 500, cancel.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => s.Store.UploadAsync(B, Meta(), content, Unlimited, ct: cancel.Token));

        await AssertNothingLeft(s, 0, 0);
    }

    /// <summary>
    /// A client that stops sending, or a process killed mid-upload, leaves chunks behind and no file: nothing shows,
    /// and once the upload is old enough the sweep removes them.
    /// </summary>
    private static async Task Abandoned(FileSubject s)
    {
        var stalled = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        using var content = new GeneratedContent(8 * Chunk).At(6 * Chunk + 10, async () =>
        {
            stalled.SetResult();
            await release.Task;
        });
        var upload = s.Store.UploadAsync(B, Meta(), content, Unlimited);
        await stalled.Task.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.True(await s.CountChunks(B) >= 4, "the stalled upload wrote chunks");
        Assert.Equal(0, await s.Store.CountAsync(B, "listing-1"));
        Assert.Empty(await s.Store.ListAsync(B, "listing-1"));

        Assert.Equal(0, await s.Store.SweepPartialAsync(TimeSpan.FromHours(1))); // still young: it may be a slow upload
        Assert.True(await s.CountChunks(B) >= 4);

        s.Clock.Now += TimeSpan.FromHours(2);
        Assert.Equal(1, await s.Store.SweepPartialAsync(TimeSpan.FromHours(1)));
        Assert.Equal(0, await s.CountChunks(B));
        Assert.Equal(0, await s.CountJournal());

        // the client's connection finally drops
        release.SetException(new IOException("connection reset"));
        await Assert.ThrowsAsync<IOException>(() => upload);
        await AssertNothingLeft(s, 0, 0);
        Assert.Equal(0, await s.Store.SweepPartialAsync(TimeSpan.FromHours(1)));
    }

    private static async Task OvertakenBySweep(FileSubject s)
    {
        var stalled = new TaskCompletionSource();
        var resume = new TaskCompletionSource();
        using var content = new GeneratedContent(8 * Chunk).At(6 * Chunk + 10, async () =>
        {
            stalled.SetResult();
            await resume.Task;
        });
        var upload = s.Store.UploadAsync(B, Meta(), content, Unlimited);
        await stalled.Task.WaitAsync(TimeSpan.FromSeconds(30));
        s.Clock.Now += TimeSpan.FromHours(2);
        Assert.Equal(1, await s.Store.SweepPartialAsync(TimeSpan.FromHours(1)));

        resume.SetResult(); // the slow client sends the rest after all

        await Assert.ThrowsAsync<UploadAbandonedException>(() => upload);
        await AssertNothingLeft(s, 0, 0);
    }

    private static async Task SweepKeepsPublished(FileSubject s)
    {
        var stored = await Upload(s, Chunk + 1);
        await s.Journal(stored.Id, B, Start); // the process died right after publishing
        s.Clock.Now += TimeSpan.FromHours(2);

        Assert.Equal(0, await s.Store.SweepPartialAsync(TimeSpan.FromHours(1)));

        Assert.Equal(0, await s.CountJournal());
        Assert.Equal(stored, await s.Store.FindAsync(B, stored.Id));
        Assert.Equal(GeneratedContent.Bytes(Chunk + 1), await ReadAll(s, stored.Id));
    }

    private static async Task VerifyRefuses(FileSubject s)
    {
        using var content = new GeneratedContent(3 * Chunk + 7, seed: 5);
        string? seen = null;
        var visibleDuringCheck = -1;

        await Assert.ThrowsAsync<InvalidDataException>(() => s.Store.UploadAsync(B, Meta(), content, Unlimited, async (stored, ct) =>
        {
            Assert.True(stored.CanSeek);
            seen = Convert.ToHexStringLower(await SHA256.HashDataAsync(stored, ct));
            visibleDuringCheck = await s.Store.CountAsync(B, "listing-1");
            throw new InvalidDataException("not what it claims to be");
        }));

        Assert.Equal(content.ExpectedSha256, seen);
        Assert.Equal(0, visibleDuringCheck);
        await AssertNothingLeft(s, 0, 0);

        using var accepted = new GeneratedContent(1000);
        var kept = await s.Store.UploadAsync(B, Meta(), accepted, Unlimited, (_, _) => Task.CompletedTask);
        Assert.Equal(kept, await s.Store.FindAsync(B, kept.Id));
    }

    private static async Task Delete(FileSubject s)
    {
        var gone = await Upload(s, 2 * Chunk + 1, seed: 1);
        var stays = await Upload(s, Chunk - 1, seed: 2);

        Assert.True(await s.Store.DeleteAsync(B, gone.Id));

        Assert.Null(await s.Store.FindAsync(B, gone.Id));
        Assert.Null(await s.Store.OpenReadAsync(B, gone.Id));
        Assert.Equal(stays, Assert.Single(await s.Store.ListAsync(B, "listing-1")));
        Assert.Equal(1, await s.CountChunks(B));
        Assert.False(await s.Store.DeleteAsync(B, gone.Id));
        Assert.Equal(GeneratedContent.Bytes(Chunk - 1, seed: 2), await ReadAll(s, stays.Id));
    }

    private static async Task Ranges(FileSubject s)
    {
        var length = 3 * Chunk + 1000;
        var bytes = GeneratedContent.Bytes(length, seed: 9);
        var stored = await Upload(s, length, seed: 9);
        await using var stream = (await s.Store.OpenReadAsync(B, stored.Id))!;
        Assert.True(stream.CanSeek);
        Assert.Equal(length, stream.Length);

        // the end first, as a PDF viewer asks for the cross-reference table; then across chunk boundaries
        foreach (var (offset, count) in new (long, int)[]
        {
            (length - 1024, 1024), (0, 1), (Chunk - 1, 2), (Chunk, 100), (2 * Chunk - 10, Chunk + 20), (10, 3 * Chunk), (length - 1, 1),
        })
        {
            stream.Seek(offset, SeekOrigin.Begin);
            var read = new byte[count];
            await stream.ReadExactlyAsync(read);
            Assert.True(bytes.AsSpan((int)offset, count).SequenceEqual(read), $"bytes {offset}–{offset + count - 1}");
            Assert.Equal(offset + count, stream.Position);
        }

        stream.Seek(-10, SeekOrigin.End);
        var tail = new byte[64];
        Assert.Equal(10, await stream.ReadAtLeastAsync(tail, 64, throwOnEndOfStream: false));
        Assert.True(bytes.AsSpan(length - 10).SequenceEqual(tail.AsSpan(0, 10)));
        stream.Position = length + 5;
        Assert.Equal(0, await stream.ReadAsync(tail));
    }

    private static async Task Concurrent(FileSubject s)
    {
        using var one = new GeneratedContent(3 * Chunk + 1, seed: 11);
        using var two = new GeneratedContent(2 * Chunk + 2, seed: 12);

        var stored = await Task.WhenAll(
            Task.Run(() => s.Store.UploadAsync(B, Meta(name: "one.pdf"), one, Unlimited)),
            Task.Run(() => s.Store.UploadAsync(B, Meta(name: "two.pdf"), two, Unlimited)));

        Assert.Equal(2, await s.Store.CountAsync(B, "listing-1"));
        Assert.Equal(GeneratedContent.Bytes(3 * Chunk + 1, seed: 11), await ReadAll(s, stored[0].Id));
        Assert.Equal(GeneratedContent.Bytes(2 * Chunk + 2, seed: 12), await ReadAll(s, stored[1].Id));
        Assert.Equal(one.ExpectedSha256, stored[0].Sha256);
        Assert.Equal(two.ExpectedSha256, stored[1].Sha256);
    }

    /// <summary>
    /// The live heap is sampled (after a full collection) while the upload is half and nine tenths through: an
    /// adapter that gathered the file before writing it would hold megabytes of it by then. A first upload of the
    /// same size warms the database's own page cache (LiteDB's grows to about 13 MB whatever is written, then
    /// reuses its pages), so what is measured is the upload's.
    /// </summary>
    private static async Task Large(FileSubject s)
    {
        const long length = 15L * 1024 * 1024;
        using (var warmUp = new GeneratedContent(length, seed: 14)) await s.Store.UploadAsync(B, Meta(), warmUp, maxBytes: 20L * 1024 * 1024);
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        var samples = new List<long>();
        using var content = new GeneratedContent(length, seed: 15)
            .At(length / 2, () => samples.Add(GC.GetTotalMemory(forceFullCollection: true)))
            .At(length * 9 / 10, () => samples.Add(GC.GetTotalMemory(forceFullCollection: true)));

        var stored = await s.Store.UploadAsync(B, Meta(), content, maxBytes: 20L * 1024 * 1024);

        Assert.Equal(2, samples.Count);
        var growth = samples.Max() - baseline;
        Assert.True(growth < 4L * 1024 * 1024, $"the heap grew by {growth / 1024} KB while 15 MB went through");
        Assert.Equal(length, stored.Size);
        Assert.Equal(content.ExpectedSha256, stored.Sha256);
        await using var read = (await s.Store.OpenReadAsync(B, stored.Id))!;
        Assert.Equal(stored.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(read)));
    }

    private static async Task BadBucket(FileSubject s)
    {
        foreach (var bucket in new[] { "Attachments", "../x", "a.files", "", "9lives" })
        {
            using var content = new GeneratedContent(10);
            await Assert.ThrowsAsync<ArgumentException>(() => s.Store.UploadAsync(bucket, Meta(), content, Unlimited));
            await Assert.ThrowsAsync<ArgumentException>(() => s.Store.CountAsync(bucket, "listing-1"));
        }
    }
}
