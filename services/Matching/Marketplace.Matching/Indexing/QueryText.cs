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

    public Query? Build(string? text, IndexReader? reader = null)
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
                var any = new DisjunctionMaxQuery(0.1f);
                foreach (var (field, boost) in Fields)
                    any.Add(new TermQuery(new Term(field + suffix, term)) { Boost = boost });
                yield return (any, new Term(ListingIndex.Fields.Description + suffix, term));
            }
        }
    }
}
