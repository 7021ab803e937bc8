using Marketplace.ServiceDefaults.Storage;
using Marketplace.TestKit;
using MongoDB.Driver;

namespace Marketplace.ServiceDefaults.Tests;

/// <summary>
/// What every document-store adapter must do, run against LiteDB always and against MongoDB
/// when MARKETPLACE_TEST_MONGO is set (no MongoDB server can be installed on the build machines).
/// </summary>
public sealed class DocumentStoreConformance : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "conformance-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Cases => new(Conformance.All.Keys);

    [Theory, MemberData(nameof(Cases))]
    public async Task LiteDb(string @case)
    {
        using var store = new LiteDbDocumentStore(Path.Combine(_directory, "store.db"));
        await Conformance.All[@case](store);
    }

    [Theory, MemberData(nameof(Cases))]
    public async Task LiteDbShared(string @case)
    {
        using var store = new LiteDbDocumentStore(Path.Combine(_directory, "shared.db"), shared: true);
        await Conformance.All[@case](store);
    }

    /// <summary>The dispatcher's poll asks for pending documents at every pass: an index answers it, not a scan of the collection.</summary>
    [Fact]
    public async Task The_pending_outbox_query_uses_an_index()
    {
        var path = Path.Combine(_directory, "plan.db");
        using (var store = new LiteDbDocumentStore(path))
        {
            await store.EnsureIndexesAsync("things", []);
            await store.InsertAsync("things", new StoredDocument { Id = "a", Body = "{}" });
        }
        using var db = new LiteDB.LiteDatabase(path);
        var plan = db.GetCollection("things").Query().Where(LiteDbDocumentStore.PendingPredicate).GetPlan();
        Assert.True(plan["index"]["name"].AsString == "pending", plan.ToString());
    }

    /// <summary>
    /// A host started in this process on a data folder another host is still closing (a test restarting the market:
    /// the first host's entry point disposes it after the test has moved on) waits for the file instead of opening a
    /// second engine on it; a restart failed with "ReadFull must read PAGE_SIZE bytes" while the first checkpointed.
    /// </summary>
    [Fact]
    public async Task A_second_store_on_a_file_this_process_has_open_waits_until_the_first_has_closed_it()
    {
        var path = Path.Combine(_directory, "twice.db");
        var first = new LiteDbDocumentStore(path);
        await first.InsertAsync("things", new StoredDocument { Id = "a", Body = "{}" });

        var opening = Task.Run(() => new LiteDbDocumentStore(path));
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.False(opening.IsCompleted, "the second store opened the file while the first had it open");
        first.Dispose();
        using var second = await opening.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.NotNull(await second.GetAsync("things", "a"));

        var refused = Assert.Throws<IOException>(() => ProcessFileLease.Acquire(path, TimeSpan.FromMilliseconds(50)));
        Assert.Contains("still open in this process", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// A host that stops while requests still read (direct mode reads take no lock) closes the file only after them,
    /// with its log merged: the next start opens one file with nothing to replay (a log left behind, half read at
    /// the next start, failed a restart with "ReadFull must read PAGE_SIZE bytes").
    /// </summary>
    [Fact]
    public async Task Closing_while_reads_run_waits_for_them_and_leaves_no_log_to_replay()
    {
        var path = Path.Combine(_directory, "closing.db");
        var store = new LiteDbDocumentStore(path);
        await store.EnsureIndexesAsync("things", ["n"]);
        for (var i = 0; i < 100; i++)
            await store.InsertAsync("things", new StoredDocument { Id = $"t{i:000}", Body = "{}", Fields = new Dictionary<string, string> { ["n"] = (i % 7).ToString(System.Globalization.CultureInfo.InvariantCulture) } });
        Assert.True(File.Exists(Path.Combine(_directory, "closing-log.db")), "the writes wait in the log until a checkpoint");

        using var reading = new CancellationTokenSource();
        var started = new TaskCompletionSource();
        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(async () =>
        {
            var unexpected = new List<Exception>();
            for (var n = 0; !reading.IsCancellationRequested; n++)
            {
                try
                {
                    await store.QueryAsync("things", new DocumentQuery { Filters = [FieldFilter.Eq("n", ((n + r) % 7).ToString(System.Globalization.CultureInfo.InvariantCulture))], Take = 50 });
                    started.TrySetResult();
                }
                catch (ObjectDisposedException)
                {
                    return unexpected;
                }
                catch (Exception e)
                {
                    unexpected.Add(e);
                    return unexpected;
                }
            }
            return unexpected;
        })).ToList();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        store.Dispose();
        var failures = (await Task.WhenAll(readers)).SelectMany(f => f).ToList();
        await reading.CancelAsync();

        Assert.Empty(failures); // a read after the close is refused as disposed, never fails inside the closing file
        Assert.False(File.Exists(Path.Combine(_directory, "closing-log.db")), "the log was merged into the file as it closed");
        using var reopened = new LiteDbDocumentStore(path);
        Assert.Equal(100, (await reopened.QueryAsync("things", new DocumentQuery { Take = 1 })).Total);
    }

    /// <summary>
    /// Two stores on one file in shared mode stand for two replicas on one machine: their version
    /// checks must not interleave, so counting up from both loses no increment and repeats none.
    /// </summary>
    [Fact]
    public async Task Two_shared_stores_on_one_file_never_lose_an_increment()
    {
        var path = Path.Combine(_directory, "replicas.db");
        using var first = new LiteDbDocumentStore(path, shared: true);
        using var second = new LiteDbDocumentStore(path, shared: true);
        using var third = new LiteDbDocumentStore(path, shared: true);
        using var fourth = new LiteDbDocumentStore(path, shared: true);
        await first.InsertAsync("counters", new StoredDocument { Id = "n", Body = "0" });

        var seen = new System.Collections.Concurrent.ConcurrentBag<int>();
        async Task Count(IDocumentStore store, int times)
        {
            for (var i = 0; i < times; i++)
            {
                while (true)
                {
                    var current = (await store.GetAsync("counters", "n"))!;
                    var next = int.Parse(current.Body, System.Globalization.CultureInfo.InvariantCulture) + 1;
                    try
                    {
                        await store.ReplaceAsync("counters", current with { Body = next.ToString(System.Globalization.CultureInfo.InvariantCulture), Outbox = [] }, current.Version);
                        seen.Add(next);
                        break;
                    }
                    catch (ConcurrencyConflictException) { }
                }
            }
        }

        await Task.WhenAll(
            Task.Run(() => Count(first, 60)), Task.Run(() => Count(second, 60)),
            Task.Run(() => Count(third, 60)), Task.Run(() => Count(fourth, 60)));

        Assert.Equal("240", (await second.GetAsync("counters", "n"))!.Body);
        Assert.Equal(Enumerable.Range(1, 240), seen.Order());
    }

    [MongoTheory, MemberData(nameof(Cases))]
    public async Task MongoDb(string @case)
    {
        var client = new MongoClient(MongoFactAttribute.ConnectionString);
        var name = "conformance-" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            await Conformance.All[@case](new MongoDocumentStore(client.GetDatabase(name)));
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

public sealed class MongoTheoryAttribute : TheoryAttribute
{
    public MongoTheoryAttribute()
    {
        if (MongoFactAttribute.ConnectionString is null) Skip = new MongoFactAttribute().Skip;
    }
}

internal static class Conformance
{
    private const string C = "things";

    public static readonly IReadOnlyDictionary<string, Func<IDocumentStore, Task>> All = new Dictionary<string, Func<IDocumentStore, Task>>
    {
        ["insert_then_get_round_trips_everything"] = InsertThenGet,
        ["insert_of_existing_id_is_refused"] = InsertExisting,
        ["get_of_missing_is_null"] = async s => Assert.Null(await s.GetAsync(C, "missing")),
        ["replace_at_current_version_moves_to_next"] = ReplaceCurrent,
        ["replace_at_stale_version_is_refused_and_changes_nothing"] = ReplaceStale,
        ["replace_of_missing_document_is_refused"] = ReplaceMissing,
        ["replace_appends_outbox_messages"] = ReplaceAppends,
        ["mark_dispatched_removes_only_that_message_and_keeps_version"] = MarkDispatched,
        ["pending_outbox_lists_only_documents_with_messages"] = PendingOutbox,
        ["a_parked_outbox_is_skipped_until_written_again_or_resumed"] = ParkedOutbox,
        ["query_filters_sorts_and_pages"] = Query,
        ["parallel_writers_at_one_version_exactly_one_wins"] = ParallelWriters,
        ["delete_removes_the_document"] = Delete,
        ["unicode_bodies_survive"] = Unicode,
    };

    private static StoredDocument Doc(string id, string body = "{\"a\":1}", Dictionary<string, string>? fields = null, params OutboxMessage[] outbox) =>
        new() { Id = id, Body = body, Fields = fields ?? new Dictionary<string, string>(), Outbox = outbox };

    private static OutboxMessage Message(string type = "T") =>
        new(Guid.NewGuid(), type, "{\"x\":1.10}", new DateTimeOffset(2026, 11, 28, 8, 0, 0, TimeSpan.Zero));

    private static async Task InsertThenGet(IDocumentStore s)
    {
        var m = Message();
        var inserted = await s.InsertAsync(C, Doc("a", "{\"amount\":1234567.89}", new() { ["status"] = "draft" }, m));
        Assert.Equal(1, inserted.Version);
        var read = await s.GetAsync(C, "a");
        Assert.NotNull(read);
        Assert.Equal(1, read.Version);
        Assert.Equal("{\"amount\":1234567.89}", read.Body);
        Assert.Equal("draft", read.Fields["status"]);
        var only = Assert.Single(read.Outbox);
        Assert.Equal(m, only);
    }

    private static async Task InsertExisting(IDocumentStore s)
    {
        await s.InsertAsync(C, Doc("a"));
        await Assert.ThrowsAsync<DocumentExistsException>(() => s.InsertAsync(C, Doc("a", "{\"b\":2}")));
        Assert.Equal("{\"a\":1}", (await s.GetAsync(C, "a"))!.Body);
    }

    private static async Task ReplaceCurrent(IDocumentStore s)
    {
        await s.InsertAsync(C, Doc("a"));
        var replaced = await s.ReplaceAsync(C, Doc("a", "{\"a\":2}", new() { ["status"] = "published" }), 1);
        Assert.Equal(2, replaced.Version);
        var read = (await s.GetAsync(C, "a"))!;
        Assert.Equal(2, read.Version);
        Assert.Equal("{\"a\":2}", read.Body);
        Assert.Equal("published", read.Fields["status"]);
    }

    private static async Task ReplaceStale(IDocumentStore s)
    {
        await s.InsertAsync(C, Doc("a"));
        await s.ReplaceAsync(C, Doc("a", "{\"a\":2}"), 1);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => s.ReplaceAsync(C, Doc("a", "{\"a\":3}", null, Message()), 1));
        var read = (await s.GetAsync(C, "a"))!;
        Assert.Equal(2, read.Version);
        Assert.Equal("{\"a\":2}", read.Body);
        Assert.Empty(read.Outbox);
    }

    private static async Task ReplaceMissing(IDocumentStore s) =>
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => s.ReplaceAsync(C, Doc("nope"), 1));

    private static async Task ReplaceAppends(IDocumentStore s)
    {
        var first = Message("first");
        var second = Message("second");
        await s.InsertAsync(C, Doc("a", outbox: first));
        await s.ReplaceAsync(C, Doc("a", outbox: second), 1);
        var read = (await s.GetAsync(C, "a"))!;
        Assert.Equal([first.Id, second.Id], read.Outbox.Select(m => m.Id));
    }

    private static async Task MarkDispatched(IDocumentStore s)
    {
        var first = Message();
        var second = Message();
        await s.InsertAsync(C, Doc("a", outbox: [first, second]));
        await s.MarkDispatchedAsync(C, "a", first.Id);
        await s.MarkDispatchedAsync(C, "a", first.Id); // twice is harmless
        var read = (await s.GetAsync(C, "a"))!;
        Assert.Equal(1, read.Version);
        Assert.Equal(second.Id, Assert.Single(read.Outbox).Id);
        // a writer that loaded version 1 can still save: marking sent is not a business change
        await s.ReplaceAsync(C, Doc("a", "{\"a\":2}"), 1);
    }

    private static async Task PendingOutbox(IDocumentStore s)
    {
        var m = Message();
        await s.InsertAsync(C, Doc("with", outbox: m));
        await s.InsertAsync(C, Doc("without"));
        var pending = await s.FindPendingOutboxAsync(C, 10);
        Assert.Equal("with", Assert.Single(pending).Id);
        await s.MarkDispatchedAsync(C, "with", m.Id);
        Assert.Empty(await s.FindPendingOutboxAsync(C, 10));
    }

    private static async Task ParkedOutbox(IDocumentStore s)
    {
        await s.EnsureIndexesAsync(C, []);
        var poison = Message("poison");
        var later = Message("later");
        await s.InsertAsync(C, Doc("parked", outbox: [poison, later]));
        await s.InsertAsync(C, Doc("healthy", outbox: Message()));
        await s.ParkOutboxAsync(C, "parked", poison.Id);
        await s.ParkOutboxAsync(C, "healthy", Guid.NewGuid()); // not one of its messages: nothing happens

        Assert.Equal(["healthy"], (await s.FindPendingOutboxAsync(C, 10)).Select(d => d.Id));
        Assert.Equal(1, await s.CountParkedOutboxAsync(C));
        var kept = (await s.GetAsync(C, "parked"))!;
        Assert.Equal([poison.Id, later.Id], kept.Outbox.Select(m => m.Id)); // nothing removed, version untouched
        Assert.Equal(1, kept.Version);

        // a new build resumes it
        Assert.Equal(1, await s.ResumeParkedOutboxAsync(C));
        Assert.Equal(["healthy", "parked"], (await s.FindPendingOutboxAsync(C, 10)).Select(d => d.Id).Order());
        Assert.Equal(0, await s.CountParkedOutboxAsync(C));

        // parked again, then a write with a new event makes it pending again
        await s.ParkOutboxAsync(C, "parked", poison.Id);
        await s.ReplaceAsync(C, Doc("parked", outbox: Message("newer")), 1);
        Assert.Contains("parked", (await s.FindPendingOutboxAsync(C, 10)).Select(d => d.Id));
    }

    private static async Task Query(IDocumentStore s)
    {
        await s.EnsureIndexesAsync(C, ["status", "at"]);
        for (var i = 0; i < 10; i++)
        {
            var at = IndexFormat.Time(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddDays(i));
            await s.InsertAsync(C, Doc($"d{i}", fields: new() { ["status"] = i % 2 == 0 ? "published" : "draft", ["at"] = at, ["org"] = $"o{i % 3}" }));
        }
        var published = await s.QueryAsync(C, new DocumentQuery
        {
            Filters = [FieldFilter.Eq("status", "published")], SortBy = "at", Descending = true, Skip = 1, Take = 2,
        });
        Assert.Equal(5, published.Total);
        Assert.Equal(["d6", "d4"], published.Items.Select(d => d.Id));

        var early = await s.QueryAsync(C, new DocumentQuery
        {
            Filters = [FieldFilter.Lt("at", IndexFormat.Time(new DateTimeOffset(2026, 1, 3, 0, 0, 0, TimeSpan.Zero)))], SortBy = "at", Take = 100,
        });
        Assert.Equal(["d0", "d1"], early.Items.Select(d => d.Id));

        var late = await s.QueryAsync(C, new DocumentQuery
        {
            Filters = [FieldFilter.Gte("at", IndexFormat.Time(new DateTimeOffset(2026, 1, 9, 0, 0, 0, TimeSpan.Zero))), FieldFilter.Ne("status", "published")], Take = 100,
        });
        Assert.Equal(["d9"], late.Items.Select(d => d.Id));

        var orgs = await s.QueryAsync(C, new DocumentQuery { Filters = [FieldFilter.In("org", ["o0", "o2"])], SortBy = "at", Take = 100 });
        Assert.Equal(["d0", "d2", "d3", "d5", "d6", "d8", "d9"], orgs.Items.Select(d => d.Id));

        var none = await s.QueryAsync(C, new DocumentQuery { Filters = [FieldFilter.In("org", [])], Take = 100 });
        Assert.Equal(0, none.Total);
    }

    private static async Task ParallelWriters(IDocumentStore s)
    {
        await s.InsertAsync(C, Doc("a"));
        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            try
            {
                await s.ReplaceAsync(C, Doc("a", $"{{\"writer\":{i}}}", null, Message()), 1);
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                return false;
            }
        })).ToList();
        var results = await Task.WhenAll(attempts);
        Assert.Equal(1, results.Count(r => r));
        var read = (await s.GetAsync(C, "a"))!;
        Assert.Equal(2, read.Version);
        Assert.Single(read.Outbox);
    }

    private static async Task Delete(IDocumentStore s)
    {
        await s.InsertAsync(C, Doc("a"));
        Assert.True(await s.DeleteAsync(C, "a"));
        Assert.False(await s.DeleteAsync(C, "a"));
        Assert.Null(await s.GetAsync(C, "a"));
    }

    private static async Task Unicode(IDocumentStore s)
    {
        const string body = "{\"title\":\"高镍三元锂电池正极材料 <script>&\\\"\"}";
        await s.InsertAsync(C, Doc("中文", body, new() { ["subMarket"] = "长沙" }));
        var read = (await s.GetAsync(C, "中文"))!;
        Assert.Equal(body, read.Body);
        Assert.Equal(1, (await s.QueryAsync(C, new DocumentQuery { Filters = [FieldFilter.Eq("subMarket", "长沙")] })).Total);
    }
}
