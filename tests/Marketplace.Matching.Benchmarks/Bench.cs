using System.Diagnostics;
using System.Globalization;
using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Matching.Indexing;
using Marketplace.Matching.Matches;
using Marketplace.Matching.Search;

namespace Marketplace.Matching.Benchmarks;

/// <summary>
/// Builds an index of N generated listings with realistic Chinese text (titles, keywords and
/// sentences recombined from the CSL abstracts within one discipline), then measures indexing
/// rate, search latency for a fixed query mix, and top-20 matching latency.
/// </summary>
public static class Bench
{
    private static readonly string[] SubMarkets = ["hq", "changsha", "zhuzhou", "xiangtan"];

    /// <param name="keep">an index folder to keep (and to reuse on the next run, skipping the indexing phase)</param>
    public static void Run(string dataPath, int count, string analysis, string? keep = null)
    {
        var mode = Enum.Parse<TextAnalysisMode>(analysis, true);
        var records = CslRecord.Load(dataPath);
        var byDiscipline = records.GroupBy(r => r.Subcategory).ToDictionary(g => g.Key, g => g.ToArray());
        var sentences = byDiscipline.ToDictionary(kv => kv.Key, kv => kv.Value.SelectMany(r => r.Abstract.Split('。', StringSplitOptions.RemoveEmptyEntries)).Where(s => s.Length > 8).ToArray());
        var path = keep ?? Path.Combine(Path.GetTempPath(), "bench-index-" + Guid.NewGuid().ToString("N"));
        var reuse = keep is not null && Directory.Exists(keep);
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / (1 << 30)} GiB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Console.WriteLine($"listings: {count:N0}; analysis: {mode}; index at {path}");

        using var index = new ListingIndex(path, new TextAnalysis(mode), refreshInterval: TimeSpan.FromMilliseconds(double.Parse(Environment.GetEnvironmentVariable("BENCH_REFRESH_MS") ?? "100", CultureInfo.InvariantCulture)), commitInterval: TimeSpan.FromMinutes(10));
        var watch = Stopwatch.StartNew();
        var next = reuse ? count : -1;
        if (reuse) Console.WriteLine($"reusing the index at {keep} ({index.Known:N0} listings): indexing not measured");
        var workers = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(() =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
                index.Apply(Generate(i, records, byDiscipline, sentences));
        })).ToArray();
        var last = 0;
        while (!Task.WaitAll(workers, TimeSpan.FromSeconds(30)))
        {
            var done = Math.Min(count, Volatile.Read(ref next));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {done:N0} indexed, {(done - last) / 30.0:F0}/s recently"));
            last = done;
        }
        index.Commit();
        index.Refresh();
        watch.Stop();
        if (!reuse) Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"indexing: {count / watch.Elapsed.TotalSeconds:F0} listings/s ({watch.Elapsed.TotalSeconds:F0} s, {index.Known:N0} listings)"));

        var random = new Random(42);
        var search = new SearchService(index);
        var queries = Enumerable.Range(0, 300).Select(q =>
        {
            var r = records[random.Next(records.Count)];
            var text = (q % 3) switch
            {
                0 => r.Keywords[0],
                1 => string.Join(' ', r.Keywords.Take(2)),
                _ => string.Join(' ', r.Keywords.Take(3)),
            };
            return new SearchRequest
            {
                Query = text,
                Field = q % 5 == 0 ? r.Field : null,
                SubMarket = q % 7 == 0 ? SubMarkets[q % 4] : null,
                Sort = q % 11 == 0 ? SearchSort.Newest : SearchSort.Relevance,
                PageSize = 20,
            };
        }).ToList();
        // side by side, query by query: the product's search and the same without text feedback (issue 17), what it costs
        var plain = new SearchService(index) { QueryText = Quality.WithoutTextFeedback(index.Analysis) };
        var reordering = new SearchService(index) { QueryText = Quality.WithoutRelatedListings(index.Analysis) };
        foreach (var q in queries.Take(50)) { search.Search(q); plain.Search(q); reordering.Search(q); } // warm-up
        var (timed, timedPlain, timedReordering) = (new List<double>(), new List<double>(), new List<double>());
        foreach (var q in queries)
        {
            timed.Add(Time(() => search.Search(q)));
            timedPlain.Add(Time(() => plain.Search(q)));
            timedReordering.Add(Time(() => reordering.Search(q)));
        }
        Report("search (fixed mix of 300 queries, 20 per page, facets + highlights)", timed);
        Report("  the same, text feedback reordering only (no related listings)", timedReordering);
        Report("  the same without text feedback", timedPlain);

        // what people type into the box: the first 1–3 characters of a keyword or a title
        var completions = new Completions(index);
        var prefixes = Enumerable.Range(0, 300).Select(q =>
        {
            var r = records[random.Next(records.Count)];
            var text = q % 2 == 0 ? r.Keywords[0] : r.Title;
            return text[..Math.Min(text.Length, 1 + q % 3)];
        }).ToList();
        foreach (var p in prefixes.Take(50)) completions.Complete(p);
        Report("suggest (300 prefixes of 1–3 characters, 8 completions)", prefixes.Select(p => Time(() => completions.Complete(p))).ToList());

        // a keyword with one character replaced: finds little, so the answer carries a did-you-mean
        var typos = Enumerable.Range(0, 100).Select(q =>
        {
            var keyword = records[random.Next(records.Count)].Keywords.OrderByDescending(k => k.Length).First();
            var at = random.Next(keyword.Length);
            return new SearchRequest { Query = keyword[..at] + "囧" + keyword[(at + 1)..], PageSize = 20 };
        }).ToList();
        foreach (var q in typos.Take(10)) search.Search(q);
        var corrected = 0;
        Report("search with a typo (100 misspelt keywords, did-you-mean included)", typos.Select(q => Time(() => corrected += search.Search(q).DidYouMean is null ? 0 : 1)).ToList());
        Console.WriteLine($"  of which answered with a did-you-mean: {corrected}");

        var scorer = new MatchScorer(index, new MatchingOptions(), TimeProvider.System);
        var sources = Enumerable.Range(0, 200).Select(_ => Generate(random.Next(count), records, byDiscipline, sentences)).ToList();
        foreach (var s in sources.Take(20)) scorer.FindMatches(s, 20);
        Report("matching (top-20 counterparts for 200 listings)", sources.Select(s => Time(() => scorer.FindMatches(s, 20))).ToList());
        Console.WriteLine($"process working set: {Environment.WorkingSet / (1 << 20)} MiB");
        index.Dispose();
        if (keep is null) Directory.Delete(path, true);
    }

    private static ListingSnapshot Generate(int i, IReadOnlyList<CslRecord> records, Dictionary<string, CslRecord[]> byDiscipline, Dictionary<string, string[]> sentences)
    {
        var random = new Random(i);
        var r = records[i % records.Count];
        var pool = sentences[r.Subcategory];
        var peers = byDiscipline[r.Subcategory];
        var description = string.Join('。', Enumerable.Range(0, 4).Select(_ => pool[random.Next(pool.Length)])) + "。";
        var keywords = r.Keywords.Concat(peers[random.Next(peers.Length)].Keywords.Take(2)).Distinct().Take(8).ToArray();
        var kind = i % 5 == 0 ? ListingKind.Demand : ListingKind.Offer;
        var snapshot = Quality.ToSnapshot(r with { Abstract = description, Keywords = keywords }, i, kind,
            SubMarkets[random.Next(SubMarkets.Length)], random.Next(1, 10), random.Next(1, 500) * 10_000m,
            new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).AddMinutes(random.Next(0, 700_000)));
        return snapshot;
    }

    private static double Time(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static void Report(string what, List<double> millis)
    {
        millis.Sort();
        double P(double p) => millis[Math.Min(millis.Count - 1, (int)Math.Ceiling(p * millis.Count) - 1)];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: p50 {P(0.50):F1} ms, p99 {P(0.99):F1} ms, max {millis[^1]:F1} ms"));
    }
}
