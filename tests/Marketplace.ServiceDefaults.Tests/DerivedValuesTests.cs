using Marketplace.ServiceDefaults.Storage;
using Marketplace.TestKit;

namespace Marketplace.ServiceDefaults.Tests;

/// <summary>Read models computed once and kept until their documents change: the change stamp moves in the write itself.</summary>
public sealed class DerivedValuesTests : IDisposable
{
    private const string C = "contracts";
    private static readonly string[] Fields = ["status", "at"];
    private static readonly IReadOnlyList<IndexShape> Shapes = [new(["status"], "at")];

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "derived-" + Guid.NewGuid().ToString("N"));
    private readonly TestClock _clock = new();

    private static StoredDocument Doc(string id, string status) => new()
    {
        Id = id, Body = "{}", Fields = new Dictionary<string, string> { ["status"] = status, ["at"] = IndexFormat.Time(DateTimeOffset.UnixEpoch) },
    };

    [Fact]
    public async Task A_value_is_computed_again_only_when_a_document_enters_or_leaves_its_set()
    {
        using var store = new LiteDbDocumentStore(Path.Combine(_directory, "store.db"), requireIndexedQueries: true);
        await store.EnsureIndexesAsync(C, Fields, Shapes);
        await store.InsertAsync(C, Doc("a", "registered"));
        var values = new DerivedValues<string, long>(store, C, [FieldFilter.Eq("status", "registered")], _clock, TimeSpan.FromSeconds(2));
        var computed = 0;
        async Task<long> Registered(CancellationToken ct)
        {
            Interlocked.Increment(ref computed);
            return (await store.QueryAsync(C, new DocumentQuery { Filters = [FieldFilter.Eq("status", "registered")], SortBy = "at" }, ct)).Total;
        }

        Assert.Equal(1, await values.GetAsync("all", Registered, default));
        Assert.Equal(1, await values.GetAsync("all", Registered, default));
        Assert.Equal(1, computed);

        // a draft written, and changed: not in the set, nothing to recompute
        await store.InsertAsync(C, Doc("b", "draft"));
        var draft = (await store.GetAsync(C, "b"))!;
        await store.ReplaceAsync(C, draft with { Body = "{\"x\":1}" }, draft.Version);
        Assert.Equal(1, await values.GetAsync("all", Registered, default));
        Assert.Equal(1, computed);

        // registered: it enters the set
        draft = (await store.GetAsync(C, "b"))!;
        await store.ReplaceAsync(C, Doc("b", "registered"), draft.Version);
        Assert.Equal(2, await values.GetAsync("all", Registered, default));
        Assert.Equal(2, computed);

        // revoked: it leaves it
        var registered = (await store.GetAsync(C, "a"))!;
        await store.ReplaceAsync(C, Doc("a", "revoked"), registered.Version);
        Assert.Equal(1, await values.GetAsync("all", Registered, default));
        await store.DeleteAsync(C, "b");
        Assert.Equal(0, await values.GetAsync("all", Registered, default));
        Assert.Equal(4, computed);

        // ten readers at once share one computation
        await store.InsertAsync(C, Doc("c", "registered"));
        var gate = new TaskCompletionSource();
        async Task<long> Slow(CancellationToken ct)
        {
            await gate.Task;
            return await Registered(ct);
        }
        var readers = Enumerable.Range(0, 10).Select(_ => values.GetAsync("all", Slow, default)).ToList();
        gate.SetResult();
        Assert.All(await Task.WhenAll(readers), n => Assert.Equal(1, n));
        Assert.Equal(5, computed);
    }

    [Fact]
    public async Task The_whole_collections_stamp_moves_at_every_write_and_survives_a_restart()
    {
        var path = Path.Combine(_directory, "whole.db");
        long? before;
        using (var store = new LiteDbDocumentStore(path))
        {
            await store.EnsureIndexesAsync(C, Fields, Shapes);
            var stamps = new List<long?> { await store.ChangeStampAsync(C, []) };
            await store.InsertAsync(C, Doc("a", "draft"));
            stamps.Add(await store.ChangeStampAsync(C, []));
            var a = (await store.GetAsync(C, "a"))!;
            await store.ReplaceAsync(C, a with { Body = "{\"y\":2}" }, a.Version);
            stamps.Add(await store.ChangeStampAsync(C, []));
            await store.DeleteAsync(C, "a");
            stamps.Add(await store.ChangeStampAsync(C, []));
            Assert.Equal(stamps.Count, stamps.Distinct().Count());
            Assert.Null(await store.ChangeStampAsync(C, [FieldFilter.Eq("at", "x")])); // no shape counts "at"
            before = stamps[^1];
        }
        using var reopened = new LiteDbDocumentStore(path);
        await reopened.EnsureIndexesAsync(C, Fields, Shapes);
        Assert.Equal(before, await reopened.ChangeStampAsync(C, []));
        await reopened.InsertAsync(C, Doc("b", "draft"));
        Assert.NotEqual(before, await reopened.ChangeStampAsync(C, []));
    }

    [Fact]
    public async Task Without_a_stamp_a_value_stands_for_its_lifetime()
    {
        var values = new DerivedValues<string, int>(new StamplessStore(), C, [], _clock, TimeSpan.FromSeconds(2));
        var computed = 0;
        Task<int> Compute(CancellationToken _) => Task.FromResult(Interlocked.Increment(ref computed));
        Assert.Equal(1, await values.GetAsync("k", Compute, default));
        _clock.Now += TimeSpan.FromSeconds(1);
        Assert.Equal(1, await values.GetAsync("k", Compute, default));
        _clock.Now += TimeSpan.FromSeconds(1.5);
        Assert.Equal(2, await values.GetAsync("k", Compute, default));
    }

    /// <summary>Stands for MongoDB, which keeps no stamp (its adapter answers null).</summary>
    private sealed class StamplessStore : IDocumentStore
    {
        public string Kind => "stampless";
        public Task<long?> ChangeStampAsync(string collection, IReadOnlyList<FieldFilter> equal, CancellationToken ct = default) => Task.FromResult<long?>(null);
        public Task<StoredDocument?> GetAsync(string collection, string id, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<StoredDocument> InsertAsync(string collection, StoredDocument document, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<StoredDocument> ReplaceAsync(string collection, StoredDocument document, long expectedVersion, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<DocumentPage> QueryAsync(string collection, DocumentQuery query, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<StoredDocument>> FindPendingOutboxAsync(string collection, int limit, CancellationToken ct = default) => throw new NotSupportedException();
        public Task ParkOutboxAsync(string collection, string id, Guid messageId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<int> ResumeParkedOutboxAsync(string collection, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<int> CountParkedOutboxAsync(string collection, CancellationToken ct = default) => throw new NotSupportedException();
        public Task MarkDispatchedAsync(string collection, string id, Guid messageId, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<bool> DeleteAsync(string collection, string id, CancellationToken ct = default) => throw new NotSupportedException();
        public Task EnsureIndexesAsync(string collection, IEnumerable<string> fields, IReadOnlyList<IndexShape> shapes, CancellationToken ct = default) => throw new NotSupportedException();
        public Task PingAsync(CancellationToken ct = default) => Task.CompletedTask;
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, true);
    }
}
