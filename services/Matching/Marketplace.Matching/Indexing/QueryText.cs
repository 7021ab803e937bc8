using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Marketplace.Matching.Indexing;

/// <summary>
/// Turns free text into a Lucene query without a query parser: users' text is never syntax, so
/// nothing they type is an error. Each analyzed term is looked up in every text field (title and
/// keywords weigh more than the body), and a document must match at least a share of the terms.
/// </summary>
internal sealed class QueryText(TextAnalysis analysis)
{
    public static readonly IReadOnlyDictionary<string, float> Boosts = new Dictionary<string, float>
    {
        [ListingIndex.Fields.Title] = 3f,
        [ListingIndex.Fields.Keywords] = 3f,
        [ListingIndex.Fields.Summary] = 1.5f,
        [ListingIndex.Fields.Description] = 1f,
    };

    /// <summary>
    /// Search also looks in the names a listing is filed under (field, sub-market, organisation), weighted like its
    /// description: 新能源 or 湖南示范大学 finds their listings. Matching leaves them out: two listings of one field are
    /// not alike for that, and the field has its own factor.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, float> SearchBoosts = new Dictionary<string, float>(Boosts)
    {
        [ListingIndex.Fields.Labels] = 1f,
    };

    /// <summary>The fields each term is looked up in, with their weights.</summary>
    public IReadOnlyDictionary<string, float> Fields { get; init; } = Boosts;

    /// <summary>Share of the query's terms a document must contain (at least one).</summary>
    public double MinimumShouldMatch { get; init; } = 0.5;

    /// <summary>At most this many distinct terms are used (long texts become matching queries).</summary>
    public int MaxTerms { get; init; } = 48;

    /// <summary>
    /// With a reader: terms found in more than this share of the documents are left out (for
    /// matching, where a listing's whole title is the query and words like 技术 or 方法 say nothing).
    /// </summary>
    public double? MaxDocFrequency { get; init; }

    /// <summary>A small market keeps every term: pruning starts above this many documents per term.</summary>
    public const int MinDocsBeforePruning = 1000;

    /// <summary>Tie-breaker of the per-term "any field" disjunction (0: the best field only; 1: the fields summed).</summary>
    public float TieBreaker { get; init; } = 0.1f;

    /// <summary>
    /// With a value: each space-separated part of the text that analyses to two or more terms also adds, per field, a
    /// phrase of its terms (within <see cref="PhraseSlop"/> positions) weighted this times the field's weight — a
    /// listing holding the word as typed ranks above one holding its pieces apart. Optional: it never decides a match.
    /// </summary>
    public float? PhraseBoost { get; init; }

    /// <summary>Positions the terms of a phrase may move (0: in order and adjacent).</summary>
    public int PhraseSlop { get; init; }

    /// <summary>The fields a phrase is looked for in (all of <see cref="Fields"/> when null).</summary>
    public IReadOnlyCollection<string>? PhraseFields { get; init; }

    /// <summary>
    /// With a value: a listing one of whose keywords is a space-separated part of the text (or the whole text), as
    /// written up to case, width and spacing, scores this much more per such keyword (field
    /// <see cref="ListingIndex.Fields.Phrase"/>). Optional: it never decides a match.
    /// </summary>
    public float? KeywordBoost { get; init; }

    /// <summary>
    /// Pseudo-relevance feedback, for search: with a value, the keywords the best <see cref="FeedbackDocs"/> listings of
    /// the query share (at least two of them) are added as optional clauses on <see cref="ListingIndex.Fields.Phrase"/>,
    /// each weighted this times the share of those listings that hold it — listings of the same subject rise. They never
    /// decide a match: the set found is the query's own.
    /// </summary>
    public float? FeedbackBoost { get; init; }

    /// <summary>
    /// Feedback on the field: with a value, listings filed under a field of the best <see cref="FeedbackDocs"/> results
    /// score this times the share of those results filed there (optional clauses on <see cref="ListingIndex.Fields.Field"/>).
    /// </summary>
    public float? FieldFeedbackBoost { get; init; }

    /// <summary>Whether the query reads its first results before ranking (<see cref="FeedbackBoost"/>, <see cref="FieldFeedbackBoost"/>, <see cref="TextFeedbackBoost"/>).</summary>
    public bool UsesFeedback => FeedbackBoost is not null || FieldFeedbackBoost is not null || TextFeedbackBoost is not null;

    /// <summary>
    /// Feedback on the text (relevance-model style): with a value, the <see cref="TextFeedbackTerms"/> terms that weigh most
    /// in the best <see cref="FeedbackDocs"/> results (their share of each result's text times their rarity in the index) are
    /// added as optional "any field" clauses, the heaviest weighted this much — listings that speak of the same subject rise.
    /// </summary>
    public float? TextFeedbackBoost { get; init; }

    /// <summary>How many terms text feedback adds.</summary>
    public int TextFeedbackTerms { get; init; } = 20;

    /// <summary>The fields text feedback's terms are looked up in, with their weights (all of <see cref="Fields"/> when null).</summary>
    public IReadOnlyDictionary<string, float>? TextFeedbackFields { get; init; }

    /// <summary>How many of the first results text feedback reads (at most <see cref="FeedbackDocs"/>).</summary>
    public int TextFeedbackDocs { get; init; } = 3;

    /// <summary>
    /// With a value: a listing holding none of the query's own terms is found too when it holds at least this many of the
    /// feedback terms (a related listing); otherwise feedback only reorders what the query finds.
    /// </summary>
    public int? TextFeedbackAlone { get; init; }

    /// <summary>The query with the weightiest terms of its best listings' text as optional clauses.</summary>
    public Query WithTextFeedback(Query query, string text, IndexReader reader, IReadOnlyList<string> topTexts)
    {
        if (TextFeedbackBoost is not { } boost || topTexts.Count == 0) return query;
        var feedback = new List<Query>();
        var docs = Math.Max(1, reader.NumDocs);
        foreach (var (queryField, analyzer) in analysis.QueryFields(ListingIndex.Fields.Description))
        {
            var suffix = queryField[ListingIndex.Fields.Description.Length..];
            var typed = new HashSet<string>(TextAnalysis.Terms(analyzer, "q", text), StringComparer.Ordinal);
            var weights = new Dictionary<string, double>(StringComparer.Ordinal);
            foreach (var top in topTexts.Take(TextFeedbackDocs))
            {
                var terms = TextAnalysis.Terms(analyzer, "q", top);
                if (terms.Count == 0) continue;
                foreach (var group in terms.GroupBy(t => t, StringComparer.Ordinal))
                    weights[group.Key] = weights.GetValueOrDefault(group.Key) + (double)group.Count() / terms.Count;
            }
            // a term of one listing only says nothing of others; one in more than a tenth of the market says nothing of a subject
            var chosen = weights
                .Where(w => !typed.Contains(w.Key))
                .Select(w => (Term: w.Key, Df: reader.DocFreq(new Term(queryField, w.Key)), w.Value))
                .Where(w => w.Df >= 2 && w.Df <= docs / 10)
                .Select(w => (w.Term, Weight: w.Value * Math.Log(1 + (double)docs / w.Df)))
                .OrderByDescending(w => w.Weight).ThenBy(w => w.Term, StringComparer.Ordinal)
                .Take(TextFeedbackTerms)
                .ToList();
            if (chosen.Count == 0) continue;
            var heaviest = chosen[0].Weight;
            foreach (var (term, weight) in chosen)
            {
                var any = new DisjunctionMaxQuery(TieBreaker) { Boost = (float)(boost * weight / heaviest) };
                foreach (var (field, fieldBoost) in TextFeedbackFields ?? Fields)
                    any.Add(new TermQuery(new Term(field + suffix, term)) { Boost = fieldBoost });
                feedback.Add(any);
            }
        }
        if (feedback.Count == 0) return query;
        var found = query;
        if (TextFeedbackAlone is { } least)
        {
            // the set found: the query's own, or enough feedback terms (scored nothing here: the clauses below score them)
            var related = new BooleanQuery { MinimumNumberShouldMatch = Math.Min(least, feedback.Count) };
            foreach (var clause in feedback) related.Add(clause, Occur.SHOULD);
            found = new BooleanQuery { { query, Occur.SHOULD }, { new ConstantScoreQuery(related) { Boost = 0 }, Occur.SHOULD } };
        }
        var expanded = new BooleanQuery { { found, Occur.MUST } };
        foreach (var clause in feedback) expanded.Add(clause, Occur.SHOULD);
        return expanded;
    }

    /// <summary>The query with a clause per field of its best listings, weighted by their share.</summary>
    public Query WithFieldFeedback(Query query, IReadOnlyList<string> topFields)
    {
        if (FieldFeedbackBoost is not { } boost || topFields.Count == 0) return query;
        var expanded = new BooleanQuery { { query, Occur.MUST } };
        foreach (var group in topFields.GroupBy(f => f, StringComparer.Ordinal))
            expanded.Add(new TermQuery(new Term(ListingIndex.Fields.Field, group.Key)) { Boost = boost * group.Count() / topFields.Count }, Occur.SHOULD);
        return expanded;
    }

    /// <summary>How many of the first results feedback reads.</summary>
    public int FeedbackDocs { get; init; } = 10;

    /// <summary>At most this many keywords are added by feedback.</summary>
    public int FeedbackTerms { get; init; } = 10;

    /// <summary>The query with feedback clauses from the keywords of its best listings (normalised, most shared first).</summary>
    public Query WithFeedback(Query query, string text, IReadOnlyList<IReadOnlyList<string>> topKeywords)
    {
        if (FeedbackBoost is not { } boost || topKeywords.Count == 0) return query;
        if (FeedbackAnalysed) return WithAnalysedFeedback(query, text, topKeywords, boost);
        var typed = new HashSet<string>(ListingIndex.Normalise(text).Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
        var shared = topKeywords
            .SelectMany(k => k.Select(ListingIndex.Normalise).Where(n => n.Length > 0).Distinct())
            .GroupBy(k => k, StringComparer.Ordinal)
            .Select(g => (Keyword: g.Key, Count: g.Count()))
            .Where(g => g.Count >= 2 && !typed.Contains(g.Keyword))
            .OrderByDescending(g => g.Count).ThenBy(g => g.Keyword, StringComparer.Ordinal)
            .Take(FeedbackTerms)
            .ToList();
        if (shared.Count == 0) return query;
        var expanded = new BooleanQuery { { query, Occur.MUST } };
        foreach (var (keyword, count) in shared)
            expanded.Add(new TermQuery(new Term(ListingIndex.Fields.Phrase, keyword)) { Boost = boost * count / topKeywords.Count }, Occur.SHOULD);
        return expanded;
    }

    /// <summary>Feedback adds the analysed terms of the best listings' keywords (looked up in the keywords field) instead of whole keywords.</summary>
    public bool FeedbackAnalysed { get; init; }

    private Query WithAnalysedFeedback(Query query, string text, IReadOnlyList<IReadOnlyList<string>> topKeywords, float boost)
    {
        var expanded = new BooleanQuery { { query, Occur.MUST } };
        foreach (var (queryField, analyzer) in analysis.QueryFields(ListingIndex.Fields.Keywords))
        {
            var typed = new HashSet<string>(TextAnalysis.Terms(analyzer, "q", text), StringComparer.Ordinal);
            var shared = topKeywords
                .SelectMany(k => k.SelectMany(w => TextAnalysis.Terms(analyzer, "q", w)).Distinct())
                .GroupBy(t => t, StringComparer.Ordinal)
                .Select(g => (Term: g.Key, Count: g.Count()))
                .Where(g => g.Count >= 2 && !typed.Contains(g.Term))
                .OrderByDescending(g => g.Count).ThenBy(g => g.Term, StringComparer.Ordinal)
                .Take(FeedbackTerms);
            foreach (var (term, count) in shared)
                expanded.Add(new TermQuery(new Term(queryField, term)) { Boost = boost * count / topKeywords.Count }, Occur.SHOULD);
        }
        return expanded.Clauses.Count > 1 ? expanded : query;
    }

    /// <summary>With a value, search scores with it instead of the index's BM25 (k1 1.2, b 0.75): measured, not used.</summary>
    public Lucene.Net.Search.Similarities.Similarity? Similarity { get; init; }

    public Query? Build(string? text, IndexReader? reader = null)
    {
        var terms = BuildTerms(text, reader);
        if (terms is null) return null;
        var optional = new List<Query>();
        if (PhraseBoost is { } boost) optional.AddRange(Phrases(text!, boost));
        if (KeywordBoost is { } keywordBoost) optional.AddRange(Keywords(text!, keywordBoost));
        if (optional.Count == 0) return terms;
        var query = new BooleanQuery { { terms, Occur.MUST } };
        foreach (var clause in optional) query.Add(clause, Occur.SHOULD);
        return query;
    }

    private static IEnumerable<Query> Keywords(string text, float boost)
    {
        var whole = ListingIndex.Normalise(text);
        var parts = new HashSet<string>(whole.Split(' ', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal) { whole };
        foreach (var part in parts.Where(p => p.Length > 0))
            yield return new TermQuery(new Term(ListingIndex.Fields.Phrase, part)) { Boost = boost };
    }

    private IEnumerable<Query> Phrases(string text, float boost)
    {
        foreach (var part in text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var (queryField, analyzer) in analysis.QueryFields(ListingIndex.Fields.Title))
            {
                var suffix = queryField[ListingIndex.Fields.Title.Length..];
                var positioned = Positioned(analyzer, part);
                if (positioned.Count < 2) continue;
                foreach (var (field, weight) in Fields)
                {
                    if (PhraseFields is { } only && !only.Contains(field)) continue;
                    var phrase = new PhraseQuery { Slop = PhraseSlop, Boost = weight * boost };
                    foreach (var (term, position) in positioned) phrase.Add(new Term(field + suffix, term), position);
                    yield return phrase;
                }
            }
        }
    }

    private static List<(string Term, int Position)> Positioned(Lucene.Net.Analysis.Analyzer analyzer, string text)
    {
        var terms = new List<(string, int)>();
        using var stream = analyzer.GetTokenStream("q", text);
        var term = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.ICharTermAttribute>();
        var increment = stream.AddAttribute<Lucene.Net.Analysis.TokenAttributes.IPositionIncrementAttribute>();
        stream.Reset();
        var position = -1;
        while (stream.IncrementToken())
        {
            position += Math.Max(0, increment.PositionIncrement);
            terms.Add((term.ToString(), Math.Max(0, position)));
        }
        stream.End();
        return terms;
    }

    private Query? BuildTerms(string? text, IndexReader? reader)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var groups = new List<Query>();
        var limit = reader is not null && MaxDocFrequency is { } share ? (int)Math.Max(MinDocsBeforePruning, reader.NumDocs * share) : int.MaxValue;
        foreach (var (group, term) in GroupByTerm(text))
        {
            if (groups.Count >= MaxTerms) break;
            if (limit < int.MaxValue && reader!.DocFreq(term) > limit) continue;
            groups.Add(group);
        }
        if (groups.Count == 0) return null;
        var query = new BooleanQuery();
        foreach (var group in groups) query.Add(group, Occur.SHOULD);
        query.MinimumNumberShouldMatch = Math.Max(1, (int)Math.Ceiling(groups.Count * MinimumShouldMatch));
        return query;
    }

    /// <summary>Terms per analyzer of the mode; each becomes one "any field" group (with its title term, for document frequency).</summary>
    private IEnumerable<(Query Group, Term TitleTerm)> GroupByTerm(string text)
    {
        var seen = new HashSet<string>();
        var perAnalyzer = analysis.QueryFields(ListingIndex.Fields.Title)
            .Select(f => (Suffix: f.Field[ListingIndex.Fields.Title.Length..], f.Analyzer))
            .ToList();
        // terms from each analyzer, interleaved so that MaxTerms keeps both views of a long text
        var lists = perAnalyzer.Select(p => TextAnalysis.Terms(p.Analyzer, "q", text).Distinct().Select(t => (p.Suffix, Term: t)).ToList()).ToList();
        var longest = lists.Count == 0 ? 0 : lists.Max(l => l.Count);
        for (var i = 0; i < longest; i++)
        {
            foreach (var list in lists)
            {
                if (i >= list.Count) continue;
                var (suffix, term) = list[i];
                if (!seen.Add(suffix + "\u0001" + term)) continue;
                var any = new DisjunctionMaxQuery(TieBreaker);
                foreach (var (field, boost) in Fields)
                    any.Add(new TermQuery(new Term(field + suffix, term)) { Boost = boost });
                yield return (any, new Term(ListingIndex.Fields.Description + suffix, term));
            }
        }
    }
}
