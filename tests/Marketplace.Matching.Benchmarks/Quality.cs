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
    private static readonly (string Name, Func<TextAnalysis, QueryText?> Make)[] Variants =
    [
        ("product query", _ => null),
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
        ("v37: v36 + text feedback ×1", a => V36(a, 1f)),
        ("v38: v36 + text feedback ×0.5", a => V36(a, 0.5f)),
        ("v39: v36 + text feedback ×2", a => V36(a, 2f)),
        ("v40: v36 + text feedback ×1, 40 terms", a => V36(a, 1f, 40)),
        ("v41: v11 + text feedback ×1 from the first 3", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, TextFeedbackBoost = 1, FeedbackDocs = 3 }),
        ("v42: v36 + text feedback ×0.3", a => V36(a, 0.3f)),
        ("v43: v36 + text feedback ×0.2", a => V36(a, 0.2f)),
        ("v44: v36 + text feedback ×0.5, 40 terms", a => V36(a, 0.5f, 40)),
        ("v45: v36 + text feedback ×0.3, 40 terms", a => V36(a, 0.3f, 40)),
        ("v46: v36 + text feedback ×0.5, 10 terms", a => V36(a, 0.5f, 10)),
        ("v47: v36 + text feedback ×0.5, 40 terms, from the first 1", a => V36(a, 0.5f, 40, 1)),
        ("v48: v36 + text feedback ×1, 40 terms, from the first 1", a => V36(a, 1f, 40, 1)),
        ("v49: v36 + text feedback ×1, 80 terms, from the first 1", a => V36(a, 1f, 80, 1)),
        ("v50: v36 + text feedback ×0.5, 40 terms, from the first 1, alone", a => V36(a, 0.5f, 40, 1, 1)),
        ("v51: v36 + text feedback ×1, 40 terms, from the first 1, alone", a => V36(a, 1f, 40, 1, 1)),
        ("v52: v36 + text feedback ×2, 80 terms, from the first 1", a => V36(a, 2f, 80, 1)),
        ("v53: v36 + text feedback ×1.5, 40 terms, from the first 1, alone", a => V36(a, 1.5f, 40, 1, 1)),
        ("v54: v36 + text feedback ×2, 40 terms, from the first 1, alone", a => V36(a, 2f, 40, 1, 1)),
        ("v55: v36 + text feedback ×1, 80 terms, from the first 1, alone", a => V36(a, 1f, 80, 1, 1)),
        ("v56: v36 + text feedback ×1, 40 terms, from the first 2, alone", a => V36(a, 1f, 40, 2, 1)),
        ("v57: v11 + field feedback ×3 from the first 3 + text feedback ×1, 40 terms, from the first 1, alone", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, FieldFeedbackBoost = 3, FeedbackDocs = 3, TextFeedbackBoost = 1, TextFeedbackTerms = 40, TextFeedbackDocs = 1, TextFeedbackAlone = 1 }),
        ("v58: v11 + text feedback ×1, 40 terms, from the first 1, alone (no field feedback)", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, FeedbackDocs = 3, TextFeedbackBoost = 1, TextFeedbackTerms = 40, TextFeedbackDocs = 1, TextFeedbackAlone = 1 }),
        ("v59: v51, a related listing holds 2+ feedback terms", a => V36(a, 1f, 40, 1, 2)),
        ("v60: v51, a related listing holds 3+ feedback terms", a => V36(a, 1f, 40, 1, 3)),
        ("v61: v51, a related listing holds 5+ feedback terms", a => V36(a, 1f, 40, 1, 5)),
        ("v62: v60, feedback terms looked up in the description only", a => V36(a, 1f, 40, 1, 3, Only(ListingIndex.Fields.Description, 1f))),
        ("v63: v60, feedback terms looked up in the description only, ×2", a => V36(a, 2f, 40, 1, 3, Only(ListingIndex.Fields.Description, 1f))),
        ("v64: v60, feedback terms in the title ×3 and the description", a => V36(a, 1f, 40, 1, 3, new Dictionary<string, float> { [ListingIndex.Fields.Title] = 3f, [ListingIndex.Fields.Description] = 1f })),
        ("v65: v60, 20 feedback terms in the description only, ×2", a => V36(a, 2f, 20, 1, 3, Only(ListingIndex.Fields.Description, 1f))),
        ("v15: no MSM, tie 0, keyword ×3", a => new QueryText(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, TieBreaker = 0, KeywordBoost = 3 }),
    ];

    /// <summary>The product's query before text feedback (v36), for the timing beside it (<c>bench</c>).</summary>
    internal static QueryText WithoutTextFeedback(TextAnalysis a) =>
        new(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, FieldFeedbackBoost = 6, FeedbackDocs = 3 };

    /// <summary>The product's query with text feedback that only reorders (the product's without related listings), for <c>bench</c>.</summary>
    internal static QueryText WithoutRelatedListings(TextAnalysis a) => V36(a, 2f, 40, 1, null, Only(ListingIndex.Fields.Description, 1f));

    private static Dictionary<string, float> Only(string field, float weight) => new() { [field] = weight };

    private static QueryText V36(TextAnalysis a, float text, int terms = 20, int docs = 3, int? alone = null, IReadOnlyDictionary<string, float>? fields = null) =>
        new(a) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, FieldFeedbackBoost = 6, FeedbackDocs = 3, TextFeedbackBoost = text, TextFeedbackTerms = terms, TextFeedbackDocs = docs, TextFeedbackAlone = alone, TextFeedbackFields = fields };

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
        MatchQuality.Figures? baselineMatching = null;
        var matching = new List<(string Label, MatchQuality.Figures Figures)>();
        using (var plain = new Baseline(records))
        {
            baselineSeconds = watch.Elapsed.TotalSeconds;
            baseline = Measure(records, queries, text => plain.Search(text, 20));
            if (variants is null) baselineMatching = MatchQuality.Baseline(records, queries, plain);
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
                    var search = make(index.Analysis) is { } variant ? new SearchService(index) { QueryText = variant } : new SearchService(index);
                    var (ndcg, recall) = Measure(records, queries, text =>
                        search.Search(new SearchRequest { Query = text, PageSize = 20 }).Items.Select(h => IndexOfId(h.Id)).ToList());
                    var ratio = ndcg / baseline.Ndcg;
                    var met = ratio >= 1.15 && recall >= 0.99 ? "yes" : "no";
                    var label = name == "product query" ? $"product: {mode}" : $"{mode}, {name}";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {label} | {ndcg:F3} | {recall:F3} | {ratio:F3} | {met} | {seconds:F1} |"));
                }
                if (baselineMatching is not null) matching.Add(($"product: {mode}", MatchQuality.Product(records, queries, index)));
            }
            Directory.Delete(path, true);
        }
        if (baselineMatching is null) return;
        // matching beside search (point 4): its own query path, untouched by search's variants
        Console.WriteLine();
        Console.WriteLine("matching (each query record posted again as a demand; its own offer left out):");
        Console.WriteLine();
        Console.WriteLine("| matching | nDCG@10 | nDCG@10 / baseline | precision@5 | announcement precision | announced a demand |");
        Console.WriteLine("|---|---|---|---|---|---|");
        MatchQuality.Print("baseline: CJKAnalyzer bigrams, BM25 (title and keywords)", baselineMatching, baselineMatching);
        foreach (var (label, figures) in matching) MatchQuality.Print(label, figures, baselineMatching);
    }

    /// <summary>Mean nDCG@10 and recall@20 of a ranking function (query text → records' indexes, best first, top 20).</summary>
    private static (double Ndcg, double Recall) Measure(IReadOnlyList<CslRecord> records, List<(int Source, string[] Terms)> queries, Func<string, IReadOnlyList<int>> rank)
    {
        double ndcg = 0, recall = 0;
        var composition = Environment.GetEnvironmentVariable("QUALITY_DIAG") == "1" ? new Composition() : null;
        foreach (var (source, terms) in queries)
        {
            var ranked = rank(string.Join(' ', terms)).Take(20).ToList();
            var grades = records.Select((r, i) => Grade(records[source], source, terms, r, i)).ToArray();
            ndcg += Ndcg(ranked.Take(10).Select(i => grades[i]).ToList(), grades);
            composition?.Add(records, source, ranked.Take(10).ToList(), grades);
            var relevant = grades.Count(g => g == 2);
            recall += relevant == 0 ? 1 : ranked.Count(i => grades[i] == 2) / (double)Math.Min(relevant, 20);
        }
        composition?.Print();
        return (ndcg / queries.Count, recall / queries.Count);
    }

    /// <summary>What the top 10 holds on average against the ideal top 10 (<c>QUALITY_DIAG=1</c>): where nDCG@10 is lost.</summary>
    private sealed class Composition
    {
        private double _queries, _ideal2, _grade2, _grade1, _grade0, _sourceFirst, _discipline;

        public void Add(IReadOnlyList<CslRecord> records, int source, List<int> top10, int[] grades)
        {
            _queries++;
            _ideal2 += Math.Min(10, grades.Count(g => g == 2));
            _grade2 += top10.Count(i => grades[i] == 2);
            _grade1 += top10.Count(i => grades[i] == 1);
            _grade0 += top10.Count(i => grades[i] == 0);
            _sourceFirst += top10.Count > 0 && top10[0] == source ? 1 : 0;
            _discipline += top10.Count(i => records[i].Subcategory == records[source].Subcategory);
        }

        public void Print() => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  top 10 on average: grade 2 {_grade2 / _queries:F2} (ideal {_ideal2 / _queries:F2}), grade 1 {_grade1 / _queries:F2}, grade 0 {_grade0 / _queries:F2}; of the query's discipline {_discipline / _queries:F2}; the source first in {_sourceFirst / _queries:P0}"));
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

    internal static int IndexOfId(Guid id) => BitConverter.ToInt32(id.ToByteArray(), 0);

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
