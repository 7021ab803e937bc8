using System.Diagnostics;
using System.Globalization;
using Marketplace.Listing;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Benchmarks;

/// <summary>
/// The listing query of the public list against the embedded store at growing sizes (issue 16, goal 1): a LiteDB
/// file for each size, loaded through the store's port as an import loads one (the documents, then the listing
/// collection's fields and shapes, <c>ListingModule</c>'s own, declared over them), then page 1 of the public list, a filtered page, a deep page and a read
/// by id, each timed one by one after a warm-up. The store as it was (no shapes: filter, then sort in memory and
/// count by reading) is timed beside it at 10,000 documents (beyond, one page takes seconds).
/// </summary>
internal static class StoreBench
{
    private const string Collection = "listings";
    private const int BulkBatch = 1_000;
    private const int SingleWrites = 200;

    // the listing collection as the service declares it
    private static readonly IReadOnlyList<string> Fields = ListingModule.IndexedFields;

    private static readonly IReadOnlyList<IndexShape> Shapes = ListingModule.QueryShapes;

    private static readonly string[] Kinds = ["achievement", "demand", "challenge", "patent", "service"];
    private static readonly string[] SubMarkets = ["hunan", "changsha", "zhuzhou", "xiangtan"];
    private static readonly string[] FieldCodes = ["ai", "new-energy", "new-materials", "biomedicine", "equipment", "electronics", "agriculture", "environment", "aerospace", "rail", "chemicals", "information"];

    private sealed record Row(string Measure, int Size, double P50, double P99, double PerSecond);

    public static async Task RunAsync(int[] sizes, int queries, string directory)
    {
        Directory.CreateDirectory(directory);
        var rows = new List<Row>();
        var random = new Random(16);
        foreach (var size in sizes.Order())
        {
            // a file of its own for each size, loaded as an import loads one: documents in batches (one transaction
            // each), then the shapes declared (their indexes built and their counts counted once, over what is
            // there), then written one by one as the service writes (every index and count kept in the write)
            var ids = new List<string>();
            using var store = new LiteDbDocumentStore(Path.Combine(directory, $"listing-{size}.db"), requireIndexedQueries: true);
            var single = Math.Min(SingleWrites, size);
            var watch = Stopwatch.StartNew();
            while (ids.Count < size - single)
            {
                var batch = Enumerable.Range(ids.Count, Math.Min(BulkBatch, size - single - ids.Count)).Select(n => Listing(random, n)).ToList();
                await store.InsertManyAsync(Collection, batch);
                ids.AddRange(batch.Select(d => d.Id));
            }
            var loaded = ids.Count;
            var loadRate = loaded / Math.Max(watch.Elapsed.TotalSeconds, 1e-9);
            watch.Restart();
            await store.EnsureIndexesAsync(Collection, Fields, Shapes);
            var indexing = watch.Elapsed;
            watch.Restart();
            for (var i = 0; i < single; i++)
            {
                var doc = Listing(random, ids.Count);
                await store.InsertAsync(Collection, doc);
                ids.Add(doc.Id);
            }
            var rate = single / Math.Max(watch.Elapsed.TotalSeconds, 1e-9);
            Console.Error.WriteLine($"[store] {size:N0} listings ({loaded:N0} loaded at {loadRate:N0}/s, {Shapes.Count} shapes and {Fields.Count} fields indexed in {indexing.TotalSeconds:N1} s, {single:N0} written one by one at {rate:N0}/s)");
            if (loaded > 0)
            {
                rows.Add(new Row($"bulk load (batches of {BulkBatch:N0}, before the indexes)", size, 0, 0, loadRate));
                rows.Add(new Row($"indexes built and counts counted over the load ({indexing.TotalSeconds:N0} s)", size, 0, 0, loaded / Math.Max(indexing.TotalSeconds, 1e-9)));
            }
            if (single > 0) rows.Add(new Row("write one (insert, every index and count kept)", size, 0, 0, rate));
            rows.AddRange(await MeasureAsync(store, size, ids, queries, random, "indexed"));
        }
        // the store as it was: the same kind of documents without shapes, filtered and sorted in memory
        foreach (var size in sizes.Where(s => s <= 10_000).Order())
        {
            using var old = new LiteDbDocumentStore(Path.Combine(directory, $"old-{size}.db"));
            await old.EnsureIndexesAsync(Collection, Fields);
            var rnd = new Random(16);
            var oldIds = new List<string>();
            for (var i = 0; i < size; i += BulkBatch)
            {
                var batch = Enumerable.Range(i, Math.Min(BulkBatch, size - i)).Select(n => Listing(rnd, n)).ToList();
                await old.InsertManyAsync(Collection, batch);
                oldIds.AddRange(batch.Select(d => d.Id));
            }
            rows.AddRange(await MeasureAsync(old, size, oldIds, Math.Max(20, queries * 1_000 / size), random, "unindexed", firstPagesOnly: true));
        }
        Print(rows, sizes);
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
    }

    private static async Task<List<Row>> MeasureAsync(IDocumentStore store, int size, List<string> ids, int queries, Random random, string variant, bool firstPagesOnly = false)
    {
        var published = FieldFilter.Eq("status", "published");
        var measures = new (string Name, Func<int, Task> Run)[]
        {
            ($"{variant}: public list, page 1 (+ total)", _ => store.QueryAsync(Collection, Page([published], 0))),
            ($"{variant}: public list by field, page 1 (+ total)", i => store.QueryAsync(Collection, Page([published, FieldFilter.Eq("field", FieldCodes[i % FieldCodes.Length])], 0))),
            ($"{variant}: public list, page 50", _ => store.QueryAsync(Collection, Page([published], 980))),
            ($"{variant}: read by id", i => store.GetAsync(Collection, ids[(int)((i * 7919L) % ids.Count)])),
        };
        var rows = new List<Row>();
        foreach (var (name, run) in firstPagesOnly ? measures.Take(2) : measures)
        {
            for (var i = 0; i < Math.Min(200, Math.Max(2, queries / 10)); i++) await run(i);
            var times = new double[queries];
            var total = Stopwatch.StartNew();
            for (var i = 0; i < queries; i++)
            {
                var one = Stopwatch.GetTimestamp();
                await run(random.Next(1_000_000));
                times[i] = Stopwatch.GetElapsedTime(one).TotalMilliseconds;
            }
            Array.Sort(times);
            rows.Add(new Row(name, size, times[queries / 2], times[Math.Min(queries - 1, (int)Math.Ceiling(queries * 0.99) - 1)], queries / total.Elapsed.TotalSeconds));
            Console.Error.WriteLine($"[store] {size:N0} {name}: p50 {rows[^1].P50:F3} ms, p99 {rows[^1].P99:F3} ms");
        }
        return rows;
    }

    private static DocumentQuery Page(IReadOnlyList<FieldFilter> filters, int skip) =>
        new() { Filters = filters, SortBy = "updatedAt", Descending = true, Skip = skip, Take = 20 };

    private static StoredDocument Listing(Random random, int n)
    {
        var guid = Guid.CreateVersion7();
        var id = guid.ToString();
        var updated = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddSeconds(random.Next(0, 60_000_000));
        var status = random.Next(20) switch { 0 => "draft", 1 => "submitted", 2 => "withdrawn", _ => "published" };
        return new StoredDocument
        {
            Id = id,
            // about the size of a listing's JSON body (title, summary, description, contact, history)
            Body = "{\"n\":" + n.ToString(CultureInfo.InvariantCulture) + ",\"text\":\"" + new string('x', 1500) + "\"}",
            Fields = new Dictionary<string, string>
            {
                ["status"] = status,
                ["kind"] = Kinds[random.Next(Kinds.Length)],
                ["subMarket"] = SubMarkets[random.Next(SubMarkets.Length)],
                ["ownerOrg"] = "org-" + random.Next(2_000).ToString(CultureInfo.InvariantCulture),
                ["field"] = FieldCodes[random.Next(FieldCodes.Length)],
                ["updatedAt"] = IndexFormat.Time(updated),
                ["deadline"] = IndexFormat.Time(updated.AddDays(random.Next(30, 720))),
                ["createdKey"] = IndexFormat.TimeKey(updated, guid),
            },
        };
    }

    private static void Print(List<Row> rows, int[] sizes)
    {
        Console.WriteLine();
        Console.WriteLine("| store measure | documents | p50 ms | p99 ms | per second |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var row in rows)
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {row.Measure} | {row.Size:N0} | {(row.P50 > 0 ? row.P50.ToString("F3", CultureInfo.InvariantCulture) : "")} | {(row.P99 > 0 ? row.P99.ToString("F3", CultureInfo.InvariantCulture) : "")} | {row.PerSecond:N0} |"));
        var page1 = rows.Where(r => r.Measure == "indexed: public list, page 1 (+ total)").ToList();
        if (page1.Count >= 2)
        {
            var (small, large) = (page1.MinBy(r => r.Size)!, page1.MaxBy(r => r.Size)!);
            Console.WriteLine();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"goal 1: page-1 p99 at {large.Size:N0} / p99 at {small.Size:N0} = {large.P99 / small.P99:F2} (goal ≤ 2.00) — {(large.P99 <= 2 * small.P99 ? "met" : "missed")}"));
        }
    }
}
