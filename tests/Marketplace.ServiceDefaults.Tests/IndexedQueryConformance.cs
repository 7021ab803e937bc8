using Marketplace.ServiceDefaults.Storage;
using Marketplace.TestKit;
using MongoDB.Driver;

namespace Marketplace.ServiceDefaults.Tests;

/// <summary>
/// Queries answered from one index (issue 16): every adapter pages a declared shape in its index's order, stably,
/// refuses (where required) a query no index answers, and counts totals up to the cap — kept in the same write on
/// LiteDB, an index count on MongoDB. Stores here require indexed queries and cap totals at <see cref="Cap"/>.
/// </summary>
public sealed class IndexedQueryConformance : IDisposable
{
    public const int Cap = 5;

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "indexed-" + Guid.NewGuid().ToString("N"));

    public static TheoryData<string> Cases => new(IndexedQueries.All.Keys);

    [Theory, MemberData(nameof(Cases))]
    public async Task LiteDb(string @case) =>
        await IndexedQueries.All[@case](() => new LiteDbDocumentStore(Path.Combine(_directory, "store.db"), requireIndexedQueries: true, totalCap: Cap));

    [Theory, MemberData(nameof(Cases))]
    public async Task LiteDbShared(string @case) =>
        await IndexedQueries.All[@case](() => new LiteDbDocumentStore(Path.Combine(_directory, "shared.db"), shared: true, requireIndexedQueries: true, totalCap: Cap));

    [MongoTheory, MemberData(nameof(Cases))]
    public async Task MongoDb(string @case)
    {
        var client = new MongoClient(MongoFactAttribute.ConnectionString);
        var name = "indexed-" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            await IndexedQueries.All[@case](() => new MongoDocumentStore(client.GetDatabase(name), requireIndexedQueries: true, totalCap: Cap));
        }
        finally
        {
            await client.DropDatabaseAsync(name);
        }
    }

    /// <summary>LiteDB reads the listing query from the shape's compound index, in its order: no sort of the matches in memory.</summary>
    [Fact]
    public async Task The_embedded_adapter_walks_the_shape_index_in_its_order()
    {
        using var store = new LiteDbDocumentStore(Path.Combine(_directory, "plan.db"), requireIndexedQueries: true);
        await store.EnsureIndexesAsync(IndexedQueries.C, IndexedQueries.Fields, IndexedQueries.Shapes);
        await IndexedQueries.Seed(store);

        var plans = store.Explain(IndexedQueries.C, new DocumentQuery
        {
            Filters = [FieldFilter.Eq("status", "published"), FieldFilter.Eq("kind", "a")], SortBy = "at", Descending = true, Take = 3,
        });

        var plan = Assert.Single(plans!);
        Assert.StartsWith("INDEX RANGE SCAN(q_status_kind__at", plan["index"]["mode"].AsString);
        Assert.Equal(-1, plan["index"]["order"].AsInt32);
        Assert.False(plan.ContainsKey("orderBy"), plan.ToString());
    }

    /// <summary>The counts are written with the documents: they hold after the file is closed and opened again, and are made once for documents written before a shape existed.</summary>
    [Fact]
    public async Task Kept_counts_survive_a_restart_and_are_made_for_earlier_documents()
    {
        var path = Path.Combine(_directory, "counts.db");
        using (var before = new LiteDbDocumentStore(path))
        {
            await before.EnsureIndexesAsync(IndexedQueries.C, IndexedQueries.Fields);
            await IndexedQueries.Seed(before);
        }
        using (var upgraded = new LiteDbDocumentStore(path, requireIndexedQueries: true, totalCap: 100))
        {
            await upgraded.EnsureIndexesAsync(IndexedQueries.C, IndexedQueries.Fields, IndexedQueries.Shapes);
            Assert.Equal(IndexedQueries.Expected("published", "a").Count, (await upgraded.QueryAsync(IndexedQueries.C, IndexedQueries.PublishedA())).Total);
            await upgraded.DeleteAsync(IndexedQueries.C, IndexedQueries.Expected("published", "a")[0]);
        }
        using var reopened = new LiteDbDocumentStore(path, requireIndexedQueries: true, totalCap: 100);
        await reopened.EnsureIndexesAsync(IndexedQueries.C, IndexedQueries.Fields, IndexedQueries.Shapes);
        Assert.Equal(IndexedQueries.Expected("published", "a").Count - 1, (await reopened.QueryAsync(IndexedQueries.C, IndexedQueries.PublishedA())).Total);
    }

    /// <summary>A write that fails (a stale version) changes no count.</summary>
    [Fact]
    public async Task A_refused_write_moves_no_count()
    {
        using var store = new LiteDbDocumentStore(Path.Combine(_directory, "refused.db"), requireIndexedQueries: true, totalCap: 100);
        await store.EnsureIndexesAsync(IndexedQueries.C, IndexedQueries.Fields, IndexedQueries.Shapes);
        await IndexedQueries.Seed(store);
        var id = IndexedQueries.Expected("published", "a")[0];
        var current = (await store.GetAsync(IndexedQueries.C, id))!;
        await store.ReplaceAsync(IndexedQueries.C, current with { Outbox = [] }, current.Version);
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.ReplaceAsync(IndexedQueries.C,
            current with { Fields = new Dictionary<string, string>(current.Fields) { ["status"] = "draft" }, Outbox = [] }, current.Version));
        Assert.Equal(IndexedQueries.Expected("published", "a").Count, (await store.QueryAsync(IndexedQueries.C, IndexedQueries.PublishedA())).Total);
    }

    /// <summary>A bulk load stores what inserting one by one stores: the same pages, the same kept totals, a moved stamp.</summary>
    [Fact]
    public async Task A_bulk_load_keeps_the_counts_as_single_inserts_do()
    {
        using var single = new LiteDbDocumentStore(Path.Combine(_directory, "single.db"), requireIndexedQueries: true, totalCap: 100);
        await single.EnsureIndexesAsync(IndexedQueries.C, IndexedQueries.Fields, IndexedQueries.Shapes);
        await IndexedQueries.Seed(single);
        using var bulk = new LiteDbDocumentStore(Path.Combine(_directory, "bulk.db"), requireIndexedQueries: true, totalCap: 100);
        await bulk.EnsureIndexesAsync(IndexedQueries.C, IndexedQueries.Fields, IndexedQueries.Shapes);
        var stamp = await bulk.ChangeStampAsync(IndexedQueries.C, []);
        var documents = IndexedQueries.Documents.Select(IndexedQueries.Stored).ToList();

        Assert.Equal(12, await bulk.InsertManyAsync(IndexedQueries.C, documents[..12]));
        Assert.Equal(12, await bulk.InsertManyAsync(IndexedQueries.C, documents[12..]));

        Assert.NotEqual(stamp, await bulk.ChangeStampAsync(IndexedQueries.C, []));
        foreach (var query in new[]
        {
            IndexedQueries.PublishedA(),
            new DocumentQuery { Filters = [FieldFilter.Eq("status", "draft")], SortBy = "at", Take = 100 },
            new DocumentQuery { Filters = [FieldFilter.Eq("owner", "o1"), FieldFilter.Eq("status", "published")], Take = 100 },
            new DocumentQuery { Take = 100 },
        })
        {
            var (expected, actual) = (await single.QueryAsync(IndexedQueries.C, query), await bulk.QueryAsync(IndexedQueries.C, query));
            Assert.Equal(expected.Total, actual.Total);
            Assert.Equal(expected.Items.Select(d => d.Id), actual.Items.Select(d => d.Id));
            Assert.All(actual.Items, d => Assert.Equal(1, d.Version));
        }
    }

    /// <summary>A batch holding an id the store has, or one id twice, is refused whole: nothing of it is stored or counted.</summary>
    [Fact]
    public async Task A_bulk_load_with_a_known_or_repeated_id_stores_nothing()
    {
        using var store = new LiteDbDocumentStore(Path.Combine(_directory, "bulk-refused.db"), requireIndexedQueries: true, totalCap: 100);
        await store.EnsureIndexesAsync(IndexedQueries.C, IndexedQueries.Fields, IndexedQueries.Shapes);
        var documents = IndexedQueries.Documents.Select(IndexedQueries.Stored).ToList();
        await store.InsertManyAsync(IndexedQueries.C, documents[..4]);

        var known = await Assert.ThrowsAsync<DocumentExistsException>(() => store.InsertManyAsync(IndexedQueries.C, [documents[5], documents[6], documents[2]]));
        Assert.Contains(documents[2].Id, known.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<DocumentExistsException>(() => store.InsertManyAsync(IndexedQueries.C, [documents[7], documents[8], documents[7]]));

        Assert.Null(await store.GetAsync(IndexedQueries.C, documents[5].Id));
        Assert.Null(await store.GetAsync(IndexedQueries.C, documents[7].Id));
        Assert.Equal(4, (await store.QueryAsync(IndexedQueries.C, new DocumentQuery { Take = 100 })).Total);
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, recursive: true);
    }
}

internal static class IndexedQueries
{
    public const string C = "items";

    public static readonly string[] Fields = ["status", "kind", "at", "owner"];

    public static readonly IReadOnlyList<IndexShape> Shapes =
    [
        new(["status", "kind"], "at"),
        new(["status"], "at"),
        new(["owner", "status"]),
    ];

    private static readonly string[] Statuses = ["published", "draft", "published"];
    private static readonly string[] Kinds = ["a", "b", "c", "a"];

    /// <summary>Twenty-four documents: three statuses, four kinds, times with ties (every third shares its time with the next).</summary>
    public static IReadOnlyList<(string Id, string Status, string Kind, string At, string Owner)> Documents { get; } =
        Enumerable.Range(0, 24).Select(i => (
            $"d{i:00}",
            Statuses[i % 3],
            Kinds[i % 4],
            IndexFormat.Time(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(i - i % 3 / 2)),
            $"o{i % 2}")).ToList();

    public static async Task Seed(IDocumentStore store)
    {
        // inserted out of order, so that index order is not insertion order
        foreach (var d in Documents.OrderBy(d => d.Id.GetHashCode(StringComparison.Ordinal) % 7).ThenByDescending(d => d.Id))
            await store.InsertAsync(C, Stored(d));
    }

    public static StoredDocument Stored((string Id, string Status, string Kind, string At, string Owner) d) => new()
    {
        Id = d.Id, Body = "{}",
        Fields = new Dictionary<string, string> { ["status"] = d.Status, ["kind"] = d.Kind, ["at"] = d.At, ["owner"] = d.Owner },
    };

    /// <summary>The ids of a status and some kinds, newest first, ties by id (the order every adapter must give).</summary>
    public static List<string> Expected(string status, params string[] kinds) =>
        Documents.Where(d => d.Status == status && kinds.Contains(d.Kind))
            .OrderByDescending(d => d.At, StringComparer.Ordinal).ThenByDescending(d => d.Id, StringComparer.Ordinal)
            .Select(d => d.Id).ToList();

    public static DocumentQuery PublishedA(int skip = 0, int take = 100) => new()
    {
        Filters = [FieldFilter.Eq("status", "published"), FieldFilter.Eq("kind", "a")], SortBy = "at", Descending = true, Skip = skip, Take = take,
    };

    public static readonly IReadOnlyDictionary<string, Func<Func<IDocumentStore>, Task>> All = new Dictionary<string, Func<Func<IDocumentStore>, Task>>
    {
        ["a_shape_pages_in_its_order_and_ties_by_id"] = ShapeOrder,
        ["in_on_a_shape_field_merges_in_order"] = InMerges,
        ["a_range_on_the_order_field_uses_the_shape"] = Ranges,
        ["single_fields_need_no_shape"] = SingleFields,
        ["a_query_no_index_answers_is_refused"] = Refused,
        ["totals_are_exact_to_the_cap_and_then_capped"] = Totals,
        ["writes_move_the_totals"] = WritesMoveTotals,
        ["reads_beside_writes_fail_nothing_and_totals_end_right"] = ReadsBesideWrites,
    };

    private static async Task<IDocumentStore> Ready(Func<IDocumentStore> open)
    {
        var store = open();
        await store.EnsureIndexesAsync(C, Fields, Shapes);
        await Seed(store);
        return store;
    }

    private static void Close(IDocumentStore store) => (store as IDisposable)?.Dispose();

    private static async Task ShapeOrder(Func<IDocumentStore> open)
    {
        var store = await Ready(open);
        try
        {
            var expected = Expected("published", "a");
            Assert.True(expected.Count >= 4);
            var paged = new List<string>();
            for (var skip = 0; skip < expected.Count; skip += 2)
                paged.AddRange((await store.QueryAsync(C, PublishedA(skip, 2))).Items.Select(d => d.Id));
            Assert.Equal(expected, paged);

            var ascending = await store.QueryAsync(C, PublishedA() with { Descending = false });
            Assert.Equal(Enumerable.Reverse(expected), ascending.Items.Select(d => d.Id));
        }
        finally
        {
            Close(store);
        }
    }

    private static async Task InMerges(Func<IDocumentStore> open)
    {
        var store = await Ready(open);
        try
        {
            var expected = Expected("published", "a", "c");
            var query = new DocumentQuery
            {
                Filters = [FieldFilter.Eq("status", "published"), FieldFilter.In("kind", ["c", "a"])], SortBy = "at", Descending = true, Take = 3, Skip = 2,
            };
            var page = await store.QueryAsync(C, query);
            Assert.Equal(expected.Skip(2).Take(3), page.Items.Select(d => d.Id));
            Assert.Equal(Math.Min(expected.Count, IndexedQueryConformance.Cap), page.Total);

            var none = await store.QueryAsync(C, query with { Filters = [FieldFilter.Eq("status", "published"), FieldFilter.In("kind", [])] });
            Assert.Empty(none.Items);
            Assert.Equal(0, none.Total);
        }
        finally
        {
            Close(store);
        }
    }

    private static async Task Ranges(Func<IDocumentStore> open)
    {
        var store = await Ready(open);
        try
        {
            var from = Documents[6].At;
            var to = Documents[15].At;
            var page = await store.QueryAsync(C, new DocumentQuery
            {
                Filters = [FieldFilter.Eq("status", "draft"), FieldFilter.Gte("at", from), FieldFilter.Lt("at", to)], SortBy = "at", Take = 100,
            });
            var expected = Documents.Where(d => d.Status == "draft" && string.CompareOrdinal(d.At, from) >= 0 && string.CompareOrdinal(d.At, to) < 0)
                .OrderBy(d => d.At, StringComparer.Ordinal).ThenBy(d => d.Id, StringComparer.Ordinal).Select(d => d.Id).ToList();
            Assert.NotEmpty(expected);
            Assert.Equal(expected, page.Items.Select(d => d.Id));
            Assert.Equal(expected.Count, page.Total);

            // a due-date sweep: a range and no order of its own
            var due = await store.QueryAsync(C, new DocumentQuery { Filters = [FieldFilter.Eq("status", "draft"), FieldFilter.Lt("at", from)], Take = 100, CountTotal = false });
            Assert.Equal(Documents.Where(d => d.Status == "draft" && string.CompareOrdinal(d.At, from) < 0).Select(d => d.Id).Order(), due.Items.Select(d => d.Id).Order());
        }
        finally
        {
            Close(store);
        }
    }

    private static async Task SingleFields(Func<IDocumentStore> open)
    {
        var store = await Ready(open);
        try
        {
            var b = await store.QueryAsync(C, new DocumentQuery { Filters = [FieldFilter.Eq("kind", "b")], Take = 100 });
            Assert.Equal(Documents.Where(d => d.Kind == "b").Select(d => d.Id).Order(), b.Items.Select(d => d.Id).Order());

            var oldest = await store.QueryAsync(C, new DocumentQuery { SortBy = "at", Take = 1 });
            Assert.Equal(Documents.MinBy(d => d.At)!.At, Assert.Single(oldest.Items).Fields["at"]);

            var all = await store.QueryAsync(C, new DocumentQuery { Take = 100 });
            Assert.Equal(Documents.Count, all.Items.Count);
            Assert.Equal(IndexedQueryConformance.Cap, all.Total);
            Assert.True(all.TotalCapped);

            var mine = await store.QueryAsync(C, new DocumentQuery { Filters = [FieldFilter.Eq("owner", "o1"), FieldFilter.Eq("status", "draft")], Take = 100 });
            Assert.Equal(Documents.Where(d => d.Owner == "o1" && d.Status == "draft").Select(d => d.Id).Order(), mine.Items.Select(d => d.Id).Order());
        }
        finally
        {
            Close(store);
        }
    }

    private static async Task Refused(Func<IDocumentStore> open)
    {
        var store = await Ready(open);
        try
        {
            // two fields no shape lists together; an order no shape has for these fields; a range on a field that is not the order
            await Assert.ThrowsAsync<UnindexedQueryException>(() => store.QueryAsync(C, new DocumentQuery { Filters = [FieldFilter.Eq("kind", "a"), FieldFilter.Eq("owner", "o1")] }));
            await Assert.ThrowsAsync<UnindexedQueryException>(() => store.QueryAsync(C, new DocumentQuery { Filters = [FieldFilter.Eq("kind", "a")], SortBy = "at" }));
            await Assert.ThrowsAsync<UnindexedQueryException>(() => store.QueryAsync(C, new DocumentQuery
            {
                Filters = [FieldFilter.Eq("status", "draft"), FieldFilter.Lt("owner", "o1")], SortBy = "at",
            }));
            await Assert.ThrowsAsync<UnindexedQueryException>(() => store.QueryAsync(C, new DocumentQuery { Filters = [FieldFilter.Eq("unlisted", "x")] }));
        }
        finally
        {
            Close(store);
        }
    }

    private static async Task Totals(Func<IDocumentStore> open)
    {
        var store = await Ready(open);
        try
        {
            var few = Expected("draft", "b");
            Assert.True(few.Count < IndexedQueryConformance.Cap);
            var draftB = await store.QueryAsync(C, new DocumentQuery
            {
                Filters = [FieldFilter.Eq("status", "draft"), FieldFilter.Eq("kind", "b")], SortBy = "at", Take = 1,
            });
            Assert.Equal(few.Count, draftB.Total);
            Assert.False(draftB.TotalCapped);

            var published = await store.QueryAsync(C, new DocumentQuery { Filters = [FieldFilter.Eq("status", "published")], SortBy = "at", Take = 1 });
            Assert.True(Documents.Count(d => d.Status == "published") > IndexedQueryConformance.Cap);
            Assert.Equal(IndexedQueryConformance.Cap, published.Total);
            Assert.True(published.TotalCapped);
            Assert.Single(published.Items);
        }
        finally
        {
            Close(store);
        }
    }

    private static async Task WritesMoveTotals(Func<IDocumentStore> open)
    {
        var store = await Ready(open);
        try
        {
            var query = new DocumentQuery { Filters = [FieldFilter.Eq("status", "draft"), FieldFilter.Eq("kind", "b")], SortBy = "at" };
            var before = Expected("draft", "b").Count;
            var moved = Documents.First(d => d.Status == "published" && d.Kind == "b");
            var current = (await store.GetAsync(C, moved.Id))!;
            await store.ReplaceAsync(C, current with { Fields = new Dictionary<string, string>(current.Fields) { ["status"] = "draft" }, Outbox = [] }, current.Version);
            var after = await store.QueryAsync(C, query);
            Assert.Equal(before + 1, after.Total);
            Assert.Contains(moved.Id, after.Items.Select(d => d.Id));

            await store.DeleteAsync(C, moved.Id);
            await store.DeleteAsync(C, Expected("draft", "b")[0]);
            Assert.Equal(before - 1, (await store.QueryAsync(C, query)).Total);

            await store.InsertAsync(C, new StoredDocument
            {
                Id = "new", Body = "{}", Fields = new Dictionary<string, string> { ["status"] = "draft", ["kind"] = "b", ["at"] = IndexFormat.Time(DateTimeOffset.UnixEpoch), ["owner"] = "o1" },
            });
            var last = await store.QueryAsync(C, query with { Descending = true });
            Assert.Equal(before, last.Total);
            Assert.Equal("new", last.Items[^1].Id);
        }
        finally
        {
            Close(store);
        }
    }

    private static async Task ReadsBesideWrites(Func<IDocumentStore> open)
    {
        var store = await Ready(open);
        try
        {
            // each writer its own owner: 30 published, 4 of them turned into drafts (kept counts under the cap)
            using var stop = new CancellationTokenSource();
            var reading = new TaskCompletionSource();
            var readersStarted = 0;
            var writers = Enumerable.Range(0, 3).Select(w => Task.Run(async () =>
            {
                await reading.Task; // every reader is at work before the first write
                for (var i = 0; i < 30; i++)
                {
                    var id = $"w{w}-{i:00}";
                    await store.InsertAsync(C, new StoredDocument
                    {
                        Id = id, Body = "{}",
                        Fields = new Dictionary<string, string> { ["status"] = "published", ["kind"] = "a", ["at"] = IndexFormat.Time(DateTimeOffset.UnixEpoch.AddSeconds(i)), ["owner"] = $"w{w}" },
                    });
                    if (i % 8 == 0)
                    {
                        var doc = (await store.GetAsync(C, id))!;
                        await store.ReplaceAsync(C, doc with { Fields = new Dictionary<string, string>(doc.Fields) { ["status"] = "draft" }, Outbox = [] }, doc.Version);
                    }
                }
            })).ToList();
            var reads = 0;
            var readers = Enumerable.Range(0, 3).Select(r => Task.Run(async () =>
            {
                var first = true;
                while (!stop.IsCancellationRequested)
                {
                    if (first && Interlocked.Increment(ref readersStarted) == 3) reading.SetResult();
                    first = false;
                    var page = await store.QueryAsync(C, new DocumentQuery { Filters = [FieldFilter.Eq("owner", $"w{r}"), FieldFilter.Eq("status", "draft")], Take = 100 });
                    Assert.All(page.Items, d => Assert.Equal("draft", d.Fields["status"]));
                    Assert.True(page.Total <= 4);
                    Interlocked.Increment(ref reads);
                }
            })).ToList();
            await Task.WhenAll(writers);
            await stop.CancelAsync();
            await Task.WhenAll(readers);

            Assert.True(reads > 0);
            for (var w = 0; w < 3; w++)
            {
                var drafts = await store.QueryAsync(C, new DocumentQuery { Filters = [FieldFilter.Eq("owner", $"w{w}"), FieldFilter.Eq("status", "draft")], Take = 100 });
                Assert.Equal(4, drafts.Total);
                Assert.Equal([$"w{w}-00", $"w{w}-08", $"w{w}-16", $"w{w}-24"], drafts.Items.Select(d => d.Id).Order());
                var published = await store.QueryAsync(C, new DocumentQuery { Filters = [FieldFilter.Eq("owner", $"w{w}"), FieldFilter.Eq("status", "published")], Take = 100 });
                Assert.Equal(26, published.Items.Count);
                Assert.True(published.TotalCapped);
            }
        }
        finally
        {
            Close(store);
        }
    }
}
