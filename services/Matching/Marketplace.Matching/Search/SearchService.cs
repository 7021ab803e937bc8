using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Highlight;
using Lucene.Net.Util;
using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Matching.Indexing;
using Marketplace.ServiceDefaults.Json;
using F = Marketplace.Matching.Indexing.ListingIndex.Fields;

namespace Marketplace.Matching.Search;

internal enum SearchSort { Relevance, Newest, Price }

internal sealed record SearchRequest
{
    public string? Query { get; init; }
    public ListingKind? Kind { get; init; }
    public string? Field { get; init; }
    public string? SubMarket { get; init; }
    public int? MaturityMin { get; init; }
    public TransferMode? Mode { get; init; }
    public decimal? PriceMax { get; init; }
    public SearchSort Sort { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 20;
}

internal sealed record SearchHit
{
    public required Guid Id { get; init; }
    public required ListingKind Kind { get; init; }
    public required string Title { get; init; }
    /// <summary>Title with the query's terms in &lt;em&gt;; the text is HTML-encoded.</summary>
    public required string TitleHighlighted { get; init; }
    /// <summary>
    /// The best fragment of the summary, else of the description, with the query's terms in &lt;em&gt; (HTML-encoded);
    /// the summary's start when neither holds a term.
    /// </summary>
    public required string Snippet { get; init; }
    public required string Field { get; init; }
    public string? FieldName { get; init; }
    public required string SubMarket { get; init; }
    public required IReadOnlyList<string> Keywords { get; init; }
    public int? Maturity { get; init; }
    public IReadOnlyList<TransferMode> TransferModes { get; init; } = [];
    public Money? Price { get; init; }
    public Money? Budget { get; init; }
    public DateTimeOffset? Deadline { get; init; }
    public decimal? Bounty { get; init; }
    public string? OwnerOrgName { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public bool IsDemo { get; init; }
    public float? Score { get; init; }

    /// <summary>
    /// A related listing: it holds none of the query's terms and was found because it speaks of the same subject as
    /// the best hit (text feedback, relevance order only).
    /// </summary>
    public bool Related { get; init; }
}

internal sealed record FacetCount(string Value, int Count);

internal sealed record SearchFacets(IReadOnlyList<FacetCount> Field, IReadOnlyList<FacetCount> SubMarket, IReadOnlyList<FacetCount> Kind, IReadOnlyList<FacetCount> Maturity);

/// <param name="DidYouMean">
/// When the query found little (fewer than <see cref="SearchService.FewHits"/>): the query with its misspelt parts
/// corrected to the market's own keywords, if that finds more. Absent otherwise.
/// </param>
internal sealed record SearchResult(IReadOnlyList<SearchHit> Items, long Total, int Page, int PageSize, SearchFacets Facets, string? DidYouMean = null);

/// <summary>Full-text search over the published listings, with filters, facets, highlights and paging.</summary>
internal sealed class SearchService(ListingIndex index)
{
    /// <summary>A query that finds fewer listings than this is checked for misspellings.</summary>
    public const int FewHits = 3;

    /// <summary>
    /// No minimum share of the terms (a listing holding one of two typed keywords is found, and ranked by BM25 below one
    /// holding both), a listing whose own keyword is a typed part scores more, listings filed under the field of the
    /// first 3 results rise (field feedback), and so do listings whose description uses the 40 terms that weigh most in
    /// the best hit's text; three of them also find a related listing holding none of the query's terms (text feedback,
    /// marked <see cref="SearchHit.Related"/>): issue 17, docs/search-quality.md.
    /// </summary>
    private readonly QueryText _queryText = new(index.Analysis)
    {
        Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0, KeywordBoost = 3, FieldFeedbackBoost = 6, FeedbackDocs = 3,
        TextFeedbackBoost = 2, TextFeedbackTerms = 40, TextFeedbackDocs = 1, TextFeedbackAlone = 3,
        TextFeedbackFields = new Dictionary<string, float> { [ListingIndex.Fields.Description] = 1f },
    };

    /// <summary>
    /// Whether a query "found little" (and is checked for misspellings) counts the listings holding at least half of
    /// its terms: without that share a typo's stray pieces (故障诊段 → 故障) find many listings that are not what was meant.
    /// </summary>
    private readonly QueryText _strict = new(index.Analysis) { Fields = QueryText.SearchBoosts, MinimumShouldMatch = 0.5 };

    /// <summary>How the query's text becomes a Lucene query (the quality benchmark measures variants through it).</summary>
    internal QueryText QueryText { get => _queryText; init => _queryText = value; }
    private readonly Spelling _spelling = new(index.Analysis);

    public SearchResult Search(SearchRequest request)
    {
        var text = _queryText.Build(request.Query);
        var query = WithFilters(text, request);
        var want = request.Page * request.PageSize;
        // Equal hits are ordered by publication time, then id — never by Lucene's internal document
        // number, which differs between replicas and after merges: every replica answers a page alike.
        var newest = new SortField(F.Dv(F.Published), SortFieldType.INT64, true);
        var byId = new SortField(F.Dv(F.Id), SortFieldType.STRING, false);
        var sort = request.Sort switch
        {
            SearchSort.Newest => new Sort(newest, byId),
            SearchSort.Price => new Sort(new SortField(F.Dv(F.Price), SortFieldType.INT64, false), SortField.FIELD_SCORE, newest, byId),
            _ when text is null => new Sort(newest, byId),
            _ => new Sort(SortField.FIELD_SCORE, newest, byId),
        };

        return index.Search(shared =>
        {
            var searcher = _queryText.Similarity is { } similarity ? new IndexSearcher(shared.IndexReader) { Similarity = similarity } : shared;
            ITopDocsCollector top = TopFieldCollector.Create(sort, want, true, true, false, true);
            var facets = new FacetCollector();
            var own = query;
            if (text is not null && request.Sort == SearchSort.Relevance && _queryText.UsesFeedback)
            {
                var first = searcher.Search(query, _queryText.FeedbackDocs).ScoreDocs.Select(d => ListingIndex.ReadSnapshot(searcher.Doc(d.Doc))).OfType<ListingSnapshot>().ToList();
                var expanded = _queryText.WithFeedback(text, request.Query!, first.Select(l => (IReadOnlyList<string>)l.Keywords).ToList());
                expanded = _queryText.WithTextFeedback(expanded, request.Query!, searcher.IndexReader,
                    first.Select(l => string.Join('\n', [l.Title, l.Summary, l.Description, .. l.Keywords])).ToList());
                query = WithFilters(_queryText.WithFieldFeedback(expanded, first.Select(l => l.Field).ToList()), request);
            }
            searcher.Search(query, MultiCollector.Wrap(top, facets));
            var docs = top.GetTopDocs((request.Page - 1) * request.PageSize, request.PageSize);
            var highlighter = text is null ? null : Highlighter(text, request.Query!);
            var items = docs.ScoreDocs.Select(d => ToHit(searcher, d.Doc, float.IsNaN(d.Score) ? null : d.Score, highlighter)).OfType<SearchHit>().ToList();
            if (!ReferenceEquals(own, query) && _queryText.TextFeedbackAlone is not null && items.Count > 0)
            {
                // text feedback may find listings holding none of the query's terms: those the query itself does not find
                // among the page's hits (one search of the query within the page's ids) are marked related
                var page = new BooleanQuery();
                foreach (var hit in items) page.Add(new TermQuery(new Term(F.Id, hit.Id.ToString())), Occur.SHOULD);
                var holding = searcher.Search(new FilteredQuery(own, new QueryWrapperFilter(page)), items.Count).ScoreDocs
                    .Select(d => searcher.Doc(d.Doc).Get(F.Id)).ToHashSet(StringComparer.Ordinal);
                items = items.Select(hit => holding.Contains(hit.Id.ToString()) ? hit : hit with { Related = true }).ToList();
            }
            var didYouMean = text is not null && Count(searcher, _strict.Build(request.Query), request) is var found && found < FewHits
                ? DidYouMean(searcher, request, found)
                : null;
            return new SearchResult(items, top.TotalHits, request.Page, request.PageSize, facets.Result(), didYouMean);
        });
    }

    /// <summary>The corrected query, offered only when it finds more under the same filters.</summary>
    private string? DidYouMean(IndexSearcher searcher, SearchRequest request, int found)
    {
        if (_spelling.Correct(searcher.IndexReader, request.Query!) is not { } corrected) return null;
        return Count(searcher, _strict.Build(corrected), request) > found ? corrected : null;
    }

    private static int Count(IndexSearcher searcher, Query? text, SearchRequest request)
    {
        if (text is null) return 0;
        var count = new TotalHitCountCollector();
        searcher.Search(WithFilters(text, request), count);
        return count.TotalHits;
    }

    private static Query WithFilters(Query? text, SearchRequest request)
    {
        var filter = new BooleanQuery { { new TermQuery(new Term(F.Status, WireCode.Of(ListingStatus.Published))), Occur.MUST } };
        if (request.Kind is { } kind) filter.Add(new TermQuery(new Term(F.Kind, WireCode.Of(kind))), Occur.MUST);
        if (request.Field is { } field) filter.Add(new TermQuery(new Term(F.Field, field)), Occur.MUST);
        if (request.SubMarket is { } subMarket) filter.Add(new TermQuery(new Term(F.SubMarket, subMarket)), Occur.MUST);
        if (request.MaturityMin is { } trl) filter.Add(NumericRangeQuery.NewInt32Range(F.Maturity, trl, 9, true, true), Occur.MUST);
        if (request.Mode is { } mode) filter.Add(new TermQuery(new Term(F.Mode, WireCode.Of(mode))), Occur.MUST);
        // SearchRules bounds priceMax to the money ceiling, so its whole yuan fit the index's Int64
        if (request.PriceMax is { } max) filter.Add(NumericRangeQuery.NewInt64Range(F.Price, 0, (long)decimal.Floor(max), true, true), Occur.MUST);
        return text is null
            ? new ConstantScoreQuery(new QueryWrapperFilter(filter))
            : new FilteredQuery(text, new QueryWrapperFilter(filter));
    }

    private Highlighting Highlighter(Query text, string query)
    {
        var (suffixField, analyzer) = index.Analysis.QueryFields("").First();
        var scorer = new QueryScorer(text);
        var highlighter = new Highlighter(new SimpleHTMLFormatter("<em>", "</em>"), HtmlText.Instance, scorer)
        {
            TextFragmenter = new SimpleSpanFragmenter(scorer, 90),
        };
        // longest first: the description's window is cut around the most telling term it holds
        var terms = TextAnalysis.Terms(analyzer, "q", query).Distinct().OrderByDescending(t => t.Length).ToList();
        return new Highlighting(highlighter, suffixField, analyzer, terms);
    }

    private sealed record Highlighting(Highlighter Highlighter, string Suffix, Lucene.Net.Analysis.Analyzer Analyzer, IReadOnlyList<string> Terms);

    private static SearchHit? ToHit(IndexSearcher searcher, int docId, float? score, Highlighting? h)
    {
        var s = ListingIndex.ReadSnapshot(searcher.Doc(docId));
        if (s is null) return null;
        string? title = null, snippet = null;
        if (h is { } hl)
        {
            // term vectors with offsets are stored for title and summary: no re-analysis per hit; a listing whose
            // summary lacks every term shows where its description has them
            title = Fragment(hl, searcher, docId, F.Title + hl.Suffix, s.Title);
            snippet = Fragment(hl, searcher, docId, F.Summary + hl.Suffix, s.Summary) ?? DescriptionFragment(hl, s.Description);
        }
        return new SearchHit
        {
            Id = s.Id,
            Kind = s.Kind,
            Title = s.Title,
            TitleHighlighted = title is not null && title.Length >= s.Title.Length / 2 ? title : Encode(s.Title),
            Snippet = snippet ?? Encode(s.Summary.Length > 120 ? s.Summary[..120] + "…" : s.Summary),
            Field = s.Field,
            FieldName = ReferenceData.Fields.FirstOrDefault(f => f.Code == s.Field)?.Name,
            SubMarket = s.SubMarket,
            Keywords = s.Keywords,
            Maturity = s.Maturity,
            TransferModes = s.TransferModes,
            Price = s.Price,
            Budget = s.Budget,
            Deadline = s.Deadline,
            Bounty = s.Bounty,
            OwnerOrgName = s.OwnerOrgName,
            PublishedAt = s.PublishedAt,
            IsDemo = s.IsDemo,
            Score = score,
        };
    }

    private static string? Fragment(Highlighting hl, IndexSearcher searcher, int docId, string field, string text)
    {
        var tokens = TokenSources.GetAnyTokenStream(searcher.IndexReader, docId, field, hl.Analyzer);
        return hl.Highlighter.GetBestFragment(tokens, text);
    }

    /// <summary>
    /// The description has no term vectors (they would grow the index by its largest field), and analysing a whole
    /// description per hit costs SmartCn milliseconds: only a window around the first place a query term is written
    /// is analysed and highlighted. A term the analysis changed (a stem, folded width) may not be found as written;
    /// then the summary's start stands.
    /// </summary>
    private static string? DescriptionFragment(Highlighting hl, string description)
    {
        var at = hl.Terms.Select(t => description.IndexOf(t, StringComparison.OrdinalIgnoreCase)).FirstOrDefault(i => i >= 0, -1);
        if (at < 0) return null;
        var start = Math.Max(0, at - DescriptionLead);
        var window = description[start..Math.Min(description.Length, start + DescriptionWindow)];
        return hl.Highlighter.GetBestFragment(hl.Analyzer.GetTokenStream(F.Description + hl.Suffix, window), window);
    }

    /// <summary>Characters of the description shown before its first matched term, and the window analysed.</summary>
    private const int DescriptionLead = 30, DescriptionWindow = 120;

    private static string Encode(string text) => HtmlText.Instance.EncodeText(text);

    /// <summary>Escapes only what HTML needs (&amp; &lt; &gt; " '), leaving Chinese readable.</summary>
    private sealed class HtmlText : IEncoder
    {
        public static readonly HtmlText Instance = new();

        public string EncodeText(string originalText) => originalText
            .Replace("&", "&amp;", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal)
            .Replace("\"", "&quot;", StringComparison.Ordinal)
            .Replace("'", "&#39;", StringComparison.Ordinal);
    }

    /// <summary>
    /// Counts field, sub-market, kind and maturity over every hit from doc values: per segment by
    /// ordinal into arrays, names resolved once per segment (no allocation per hit).
    /// </summary>
    private sealed class FacetCollector : ICollector
    {
        private readonly Dictionary<string, int> _field = [], _subMarket = [], _kind = [], _maturity = [];
        private readonly OrdinalCounts _fieldCounts = new(), _subMarketCounts = new(), _kindCounts = new();
        private readonly int[] _maturityCounts = new int[10];
        private NumericDocValues? _maturityDv;
        private IBits? _hasMaturity;

        public bool AcceptsDocsOutOfOrder => true;

        public void SetScorer(Scorer scorer) { }

        public void SetNextReader(AtomicReaderContext context)
        {
            Flush();
            var reader = context.AtomicReader;
            _fieldCounts.Reset(reader.GetSortedDocValues(F.Dv(F.Field)));
            _subMarketCounts.Reset(reader.GetSortedDocValues(F.Dv(F.SubMarket)));
            _kindCounts.Reset(reader.GetSortedDocValues(F.Dv(F.Kind)));
            _maturityDv = reader.GetNumericDocValues(F.Dv(F.Maturity));
            _hasMaturity = reader.GetDocsWithField(F.Dv(F.Maturity));
        }

        public void Collect(int doc)
        {
            _fieldCounts.Count(doc);
            _subMarketCounts.Count(doc);
            _kindCounts.Count(doc);
            if (_maturityDv is not null && _hasMaturity?.Get(doc) == true)
            {
                var trl = _maturityDv.Get(doc);
                if (trl is >= 1 and <= 9) _maturityCounts[trl]++;
            }
        }

        private void Flush()
        {
            _fieldCounts.FlushInto(_field);
            _subMarketCounts.FlushInto(_subMarket);
            _kindCounts.FlushInto(_kind);
        }

        public SearchFacets Result()
        {
            Flush();
            var maturity = Enumerable.Range(1, 9).Where(t => _maturityCounts[t] > 0)
                .Select(t => new FacetCount(t.ToString(System.Globalization.CultureInfo.InvariantCulture), _maturityCounts[t])).ToList();
            return new(Sorted(_field), Sorted(_subMarket), Sorted(_kind), maturity);
        }

        private sealed class OrdinalCounts
        {
            private SortedDocValues? _values;
            private int[] _counts = [];

            public void Reset(SortedDocValues? values)
            {
                _values = values;
                _counts = values is null ? [] : new int[values.ValueCount];
            }

            public void Count(int doc)
            {
                if (_values is null) return;
                var ord = _values.GetOrd(doc);
                if (ord >= 0) _counts[ord]++;
            }

            public void FlushInto(Dictionary<string, int> totals)
            {
                if (_values is null) return;
                var scratch = new BytesRef();
                for (var ord = 0; ord < _counts.Length; ord++)
                {
                    if (_counts[ord] == 0) continue;
                    _values.LookupOrd(ord, scratch);
                    var key = scratch.Utf8ToString();
                    totals[key] = totals.GetValueOrDefault(key) + _counts[ord];
                }
                _values = null;
                _counts = [];
            }
        }

        private static List<FacetCount> Sorted(Dictionary<string, int> counts) =>
            counts.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new FacetCount(kv.Key, kv.Value)).ToList();
    }
}
