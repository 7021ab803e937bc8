using System.Globalization;
using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Matching.Indexing;
using Marketplace.Matching.Search;

namespace Marketplace.Matching.Benchmarks;

/// <summary>
/// Measures ranking quality of each text-analysis mode on the CSL abstracts, beside the issue-17 baseline
/// (<see cref="Baseline"/>: plain BM25 over CJK bigrams) on the same documents, queries and judgements.
/// Every record becomes an offer. Queries are what a searcher types: two author keywords of a
/// record (records with 2–8 keywords and an abstract of 50+ characters; every 7th such record).
/// Relevance: grade 2 (relevant) = the source record, or a record of the same discipline (学科)
/// that shares one of the query's keywords; grade 1 (partly relevant) = same discipline only, or
/// same category (门类) sharing a query keyword; otherwise 0.
/// nDCG@10 uses the grades as gains (2^g − 1); recall@20 counts grade-2 records found in the top 20.
/// </summary>
public static class Quality
{
    /// <summary>
    /// Ways of turning the typed text into a query, each measured on every analysis's index (issue 17, point 2). The
    /// first is the product's own (<see cref="SearchService"/>'s default).
    /// </summary>
    private static readonly (string Name, Func<TextAnalysis, QueryText> Make)[] Variants =
    [
        ("product query", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, FieldFeedbackBoost = 6, FeedbackDocs = 3 }),
        ("v0: as before (MSM 0.5, dismax tie 0.1, labels)", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0.5 }),
        ("v1: no MSM", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0 }),
        ("v2: no MSM, no labels", a => new QueryText(a) { MinimumShouldMatch = 0 }),
        ("v3: no MSM, tie 1 (fields summed)", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, TieBreaker = 1 }),
        ("v4: no MSM, tie 0.5", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, TieBreaker = 0.5f }),
        ("v5: MSM 0.5, tie 1", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0.5, TieBreaker = 1 }),
        ("v6: no MSM, tie 1, phrase ×1", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, TieBreaker = 1, PhraseBoost = 1 }),
        ("v7: no MSM, tie 1, phrase ×3", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, TieBreaker = 1, PhraseBoost = 3 }),
        ("v8: no MSM, tie 1, phrase ×1 slop 2", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, TieBreaker = 1, PhraseBoost = 1, PhraseSlop = 2 }),
        ("v9: no MSM, tie 0.1, phrase ×1", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, PhraseBoost = 1 }),
        ("v10: no MSM, keyword ×1", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 1 }),
        ("v11: no MSM, keyword ×3", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3 }),
        ("v12: no MSM, keyword ×10", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 10 }),
        ("v13: no MSM, keyword ×3, phrase ×1", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, PhraseBoost = 1 }),
        ("v14: no MSM, tie 0.3, keyword ×3", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, TieBreaker = 0.3f, KeywordBoost = 3 }),
        ("v16: no MSM, keyword ×3, feedback ×1", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, FeedbackBoost = 1 }),
        ("v17: no MSM, keyword ×3, feedback ×3", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, FeedbackBoost = 3 }),
        ("v18: no MSM, keyword ×3, feedback ×3 of 5", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, FeedbackBoost = 3, FeedbackDocs = 5 }),
        ("v19: no MSM, keyword ×3, feedback ×10", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, FeedbackBoost = 10 }),
        ("v20: no MSM, keyword ×3, analysed feedback ×0.5", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, FeedbackBoost = 0.5f, FeedbackAnalysed = true }),
        ("v21: no MSM, keyword ×3, analysed feedback ×1.5", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, FeedbackBoost = 1.5f, FeedbackAnalysed = true }),
        ("v22: no MSM, keyword ×3, analysed feedback ×3, 20 terms", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, FeedbackBoost = 3, FeedbackAnalysed = true, FeedbackTerms = 20 }),
        ("v23: no MSM, tie 0, keyword ×10", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, TieBreaker = 0, KeywordBoost = 10 }),
        ("v24: no MSM, keyword ×3, title 3 / keywords 5 / summary 1.5 / description 1 / labels 1", a => new QueryText(a) { Fields = new Dictionary<string, float>(QueryText.SearchBoosts) { [ListingIndex.Fields.Keywords] = 5f }, MinimumShouldMatch = 0, KeywordBoost = 3 }),
        ("v25: no MSM, keyword ×3, title 2 / keywords 3 / summary 1 / description 1 / labels 0.5", a => new QueryText(a) { Fields = new Dictionary<string, float> { [ListingIndex.Fields.Title] = 2f, [ListingIndex.Fields.Keywords] = 3f, [ListingIndex.Fields.Summary] = 1f, [ListingIndex.Fields.Description] = 1f, [ListingIndex.Fields.Labels] = 0.5f }, MinimumShouldMatch = 0, KeywordBoost = 3 }),
        ("v26: no MSM, keyword ×3, BM25 k1 0.8 b 0.5", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, Similarity = new Lucene.Net.Search.Similarities.BM25Similarity(0.8f, 0.5f) }),
        ("v27: no MSM, keyword ×3, BM25 k1 1.2 b 0.3", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, Similarity = new Lucene.Net.Search.Similarities.BM25Similarity(1.2f, 0.3f) }),
        ("v28: no MSM, keyword ×3, BM25 k1 2.0 b 0.75", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, Similarity = new Lucene.Net.Search.Similarities.BM25Similarity(2.0f, 0.75f) }),
        ("v29: no MSM, keyword ×3, BM25 k1 1.2 b 0.9", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, Similarity = new Lucene.Net.Search.Similarities.BM25Similarity(1.2f, 0.9f) }),
        ("v30: no MSM, keyword ×3, BM25 k1 0.6 b 0.75", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, Similarity = new Lucene.Net.Search.Similarities.BM25Similarity(0.6f, 0.75f) }),
        ("v31: v11 + field feedback ×1", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, FieldFeedbackBoost = 1 }),
        ("v32: v11 + field feedback ×3", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, FieldFeedbackBoost = 3 }),
        ("v33: v11 + field feedback ×3 from the first 5", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, FieldFeedbackBoost = 3, FeedbackDocs = 5 }),
        ("v34: v11 + field feedback ×6 from the first 5", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, FieldFeedbackBoost = 6, FeedbackDocs = 5 }),
        ("v35: v11 + field feedback ×10 from the first 5", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, FieldFeedbackBoost = 10, FeedbackDocs = 5 }),
        ("v36: v11 + field feedback ×6 from the first 3", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, FieldFeedbackBoost = 6, FeedbackDocs = 3 }),
        ("v15: no MSM, tie 0, keyword ×3", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, TieBreaker = 0, KeywordBoost = 3 }),
    ];

    public static void Run(string dataPath, string? only = null, string? variants = null)
    {
        var records = CslRecord.Load(dataPath);
        var queries = records
            .Select((r, i) => (Record: r, Index: i))
            .Where(x => x.Record.Keywords.Length is >= 2 and <= 8 && x.Record.Abstract.Length >= 50)
            .Where((_, i) => i % 7 == 0)
            .Select(x => (Source: x.Index, Terms: x.Record.Keywords.Take(2).ToArray()))
            .ToList();
        Console.WriteLine($"CSL records: {records.Count}; queries: {queries.Count}");
        Console.WriteLine();

        // The baseline of issue 17, on the same documents, queries and judgements: plain BM25 over CJK bigrams.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        (double Ndcg, double Recall) baseline;
        double baselineSeconds;
        using (var plain = new Baseline(records))
        {
            baselineSeconds = watch.Elapsed.TotalSeconds;
            baseline = Measure(records, queries, text => plain.Search(text, 20));
        }

        Console.WriteLine("| variant | nDCG@10 | recall@20 | nDCG@10 / baseline | goal met (≥ 1.15×, recall ≥ 0.99) | index time (s) |");
        Console.WriteLine("|---|---|---|---|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| baseline: CJKAnalyzer bigrams, BM25 | {baseline.Ndcg:F3} | {baseline.Recall:F3} | 1.000 | — | {baselineSeconds:F1} |"));
        foreach (var mode in Enum.GetValues<TextAnalysisMode>())
        {
            if (only is not null && !string.Equals(only, mode.ToString(), StringComparison.OrdinalIgnoreCase)) continue;
            var path = Path.Combine(Path.GetTempPath(), "quality-" + mode + "-" + Guid.NewGuid().ToString("N"));
            watch.Restart();
            using (var index = new ListingIndex(path, new TextAnalysis(mode)))
            {
                for (var i = 0; i < records.Count; i++) index.Apply(ToSnapshot(records[i], i));
                index.Refresh();
                watch.Stop();
                var seconds = watch.Elapsed.TotalSeconds;
                foreach (var (name, make) in Variants)
                {
                    if (variants is null ? name != "product query" : variants != "all" && !variants.Split(',').Any(v => name.StartsWith(v + ":", StringComparison.Ordinal) || name == v)) continue;
                    var search = new SearchService(index) { QueryText = make(index.Analysis) };
                    var (ndcg, recall) = Measure(records, queries, text =>
                        search.Search(new SearchRequest { Query = text, PageSize = 20 }).Items.Select(h => IndexOf(h.Id)).ToList());
                    var ratio = ndcg / baseline.Ndcg;
                    var met = ratio >= 1.15 && recall >= 0.99 ? "yes" : "no";
                    var label = name == "product query" ? $"product: {mode}" : $"{mode}, {name}";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {label} | {ndcg:F3} | {recall:F3} | {ratio:F3} | {met} | {seconds:F1} |"));
                }
            }
            Directory.Delete(path, true);
        }
    }

    /// <summary>Mean nDCG@10 and recall@20 of a ranking function (query text → records' indexes, best first, top 20).</summary>
    private static (double Ndcg, double Recall) Measure(IReadOnlyList<CslRecord> records, List<(int Source, string[] Terms)> queries, Func<string, IReadOnlyList<int>> rank)
    {
        double ndcg = 0, recall = 0;
        foreach (var (source, terms) in queries)
        {
            var ranked = rank(string.Join(' ', terms)).Take(20).ToList();
            var grades = records.Select((r, i) => Grade(records[source], source, terms, r, i)).ToArray();
            ndcg += Ndcg(ranked.Take(10).Select(i => grades[i]).ToList(), grades);
            var relevant = grades.Count(g => g == 2);
            recall += relevant == 0 ? 1 : ranked.Count(i => grades[i] == 2) / (double)Math.Min(relevant, 20);
        }
        return (ndcg / queries.Count, recall / queries.Count);
    }

    private static int Grade(CslRecord query, int queryIndex, string[] terms, CslRecord doc, int docIndex)
    {
        if (docIndex == queryIndex) return 2;
        var shares = doc.Keywords.Any(k => terms.Contains(k));
        if (doc.Subcategory == query.Subcategory) return shares ? 2 : 1;
        return doc.Category == query.Category && shares ? 1 : 0;
    }

    private static double Ndcg(IReadOnlyList<int> gradesAtRank, int[] allGrades)
    {
        static double Dcg(IEnumerable<int> grades) => grades.Select((g, i) => (Math.Pow(2, g) - 1) / Math.Log2(i + 2)).Sum();
        var ideal = Dcg(allGrades.OrderByDescending(g => g).Take(10));
        return ideal == 0 ? 0 : Dcg(gradesAtRank) / ideal;
    }

    public static Guid IdOf(int index) => new(index, 0, 0, new byte[8]);

    private static int IndexOf(Guid id) => BitConverter.ToInt32(id.ToByteArray(), 0);

    public static ListingSnapshot ToSnapshot(CslRecord r, int index, ListingKind kind = ListingKind.Offer, string subMarket = "changsha", int maturity = 5, decimal price = 500_000m, DateTimeOffset? publishedAt = null)
    {
        var firstSentence = r.Abstract.Split('。', '.', '!', '！')[0];
        var at = publishedAt ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return new ListingSnapshot
        {
            Id = IdOf(index),
            Version = 1,
            Kind = kind,
            Status = ListingStatus.Published,
            OwnerOrg = "org-" + (index % 500).ToString(CultureInfo.InvariantCulture),
            SubMarket = subMarket,
            Title = r.Title,
            Summary = firstSentence.Length > 200 ? firstSentence[..200] : firstSentence,
            Description = r.Abstract,
            Field = r.Field,
            Keywords = r.Keywords.Take(10).ToList(),
            Maturity = kind == ListingKind.Offer ? maturity : null,
            TransferModes = kind == ListingKind.Offer ? [TransferMode.Transfer] : [TransferMode.JointDevelopment],
            Price = kind == ListingKind.Offer ? new Money { Min = price, Max = price * 2 } : null,
            Budget = kind == ListingKind.Offer ? null : new Money { Min = price / 2, Max = price * 2 },
            PublishedAt = at,
            UpdatedAt = at,
        };
    }
}
