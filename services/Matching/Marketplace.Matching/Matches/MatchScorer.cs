using System.Globalization;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Matching.Indexing;
using Marketplace.ServiceDefaults.Json;
using F = Marketplace.Matching.Indexing.ListingIndex.Fields;

namespace Marketplace.Matching.Matches;

/// <summary>Weights of the match factors (configuration <c>Matching:Weights</c>); they are normalised to sum to 1.</summary>
internal sealed class MatchWeights
{
    public double Text { get; set; } = 0.45;
    public double Field { get; set; } = 0.15;
    public double Maturity { get; set; } = 0.10;
    public double Price { get; set; } = 0.10;
    public double SubMarket { get; set; } = 0.10;
    public double Freshness { get; set; } = 0.10;

    public IReadOnlyDictionary<string, double> Normalised()
    {
        var raw = new Dictionary<string, double>
        {
            ["text"] = Text, ["field"] = Field, ["maturity"] = Maturity, ["price"] = Price, ["sub_market"] = SubMarket, ["freshness"] = Freshness,
        };
        if (raw.Values.Any(v => v < 0 || double.IsNaN(v))) throw new InvalidOperationException("Matching:Weights must not be negative.");
        var sum = raw.Values.Sum();
        if (sum <= 0) throw new InvalidOperationException("Matching:Weights must not all be zero.");
        return raw.ToDictionary(kv => kv.Key, kv => kv.Value / sum);
    }
}

internal sealed class MatchingOptions
{
    public MatchWeights Weights { get; set; } = new();
    /// <summary>Score (0–100) from which a match is announced as MatchSuggested.</summary>
    public decimal AnnounceThreshold { get; set; } = 60m;
    /// <summary>At most this many matches are announced for one newly published listing.</summary>
    public int AnnounceTop { get; set; } = 5;
    /// <summary>Candidates taken from the text search before the other factors re-rank them.</summary>
    public int Candidates { get; set; } = 60;
    /// <summary>Half-life-like scale of freshness, in days.</summary>
    public double FreshnessDays { get; set; } = 90;
}

/// <summary>One factor's part of a match: its value (0–1), its weight, and the points it adds.</summary>
internal sealed record MatchFactor(string Factor, double Weight, double Value, decimal Contribution, string Explanation);

internal sealed record Match(ListingSnapshot Counterpart, decimal Score, IReadOnlyList<MatchFactor> Factors, string Explanation);

/// <summary>
/// Finds the best counterparts of a listing (offers for a demand or challenge, demands and
/// challenges for an offer): text search picks candidates, then six weighted factors score each
/// pair. The factor contributions add up to the score exactly.
/// </summary>
/// <remarks>
/// A pair has one score: every factor is a function of the two listings (and of the day, for
/// freshness), never of which of them asks nor of the index's statistics. The owner of the demand,
/// the owner of the offer, every replica, and the announcement made when the later of the two was
/// published all see the same number. Only the choice of candidates depends on the asking side.
/// </remarks>
internal sealed class MatchScorer(ListingIndex index, MatchingOptions options, TimeProvider time)
{
    private readonly QueryText _queryText = new(index.Analysis) { MinimumShouldMatch = 0, MaxTerms = 24, MaxDocFrequency = 0.05 };
    private readonly IReadOnlyDictionary<string, double> _weights = options.Weights.Normalised();

    public IReadOnlyList<Match> FindMatches(ListingSnapshot source, int top)
    {
        var counterpartKinds = source.Kind == ListingKind.Offer
            ? new[] { ListingKind.Demand, ListingKind.Challenge }
            : new[] { ListingKind.Offer };

        var filter = new BooleanQuery
        {
            { new TermQuery(new Term(F.Status, WireCode.Of(ListingStatus.Published))), Occur.MUST },
        };
        var kinds = new BooleanQuery();
        foreach (var kind in counterpartKinds) kinds.Add(new TermQuery(new Term(F.Kind, WireCode.Of(kind))), Occur.SHOULD);
        filter.Add(kinds, Occur.MUST);
        filter.Add(new TermQuery(new Term(F.Id, source.Id.ToString())), Occur.MUST_NOT);

        return index.Search(searcher =>
        {
            var about = About(source);
            var text = _queryText.Build(about, searcher.IndexReader) ?? _queryText.Build(about);
            if (text is null) return (IReadOnlyList<Match>)[];
            var hits = searcher.Search(new FilteredQuery(text, new QueryWrapperFilter(filter)), Math.Max(top, options.Candidates));
            var sourceTerms = Terms(source);
            var now = time.GetUtcNow();
            return hits.ScoreDocs
                .Select(d => ListingIndex.ReadSnapshot(searcher.Doc(d.Doc)))
                .OfType<ListingSnapshot>()
                .Select(candidate => Score(source, sourceTerms, candidate, Terms(candidate), now))
                .OrderByDescending(m => m.Score)
                .ThenByDescending(m => m.Counterpart.PublishedAt)
                .Take(top)
                .ToList();
        });
    }

    /// <summary>The pair's score, as <paramref name="source"/>'s owner sees <paramref name="candidate"/>; the same number from the other side.</summary>
    public Match Score(ListingSnapshot source, ListingSnapshot candidate, DateTimeOffset now) =>
        Score(source, Terms(source), candidate, Terms(candidate), now);

    private Match Score(ListingSnapshot source, IReadOnlySet<string> sourceTerms, ListingSnapshot candidate, IReadOnlySet<string> candidateTerms, DateTimeOffset now)
    {
        var offer = source.Kind == ListingKind.Offer ? source : candidate;
        var demand = source.Kind == ListingKind.Offer ? candidate : source;
        // each side's keywords found in the other's text, over both lists
        var offerShared = offer.Keywords.Where(k => Contains(demand, k)).ToList();
        var demandShared = demand.Keywords.Where(k => Contains(offer, k)).ToList();
        var keywordCount = offer.Keywords.Count + demand.Keywords.Count;
        var coverage = keywordCount == 0 ? 0 : (double)(offerShared.Count + demandShared.Count) / keywordCount;
        var shared = offerShared.Concat(demandShared).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var text = Math.Clamp(0.6 * Similarity(sourceTerms, candidateTerms) + 0.4 * coverage, 0, 1);

        var fieldName = ReferenceData.Fields.FirstOrDefault(f => f.Code == candidate.Field)?.Name ?? candidate.Field;
        var sameField = source.Field == candidate.Field;
        var trl = offer.Maturity ?? 1;
        var maturity = (trl - 1) / 8.0;
        var (price, priceText) = PriceFit(offer, demand);
        var sameSubMarket = source.SubMarket == candidate.SubMarket;
        var subMarketName = ReferenceData.SubMarkets.FirstOrDefault(s => s.Code == candidate.SubMarket)?.Name ?? candidate.SubMarket;
        // a pair is as fresh as its older listing: a counterpart published after the asker does not
        // make the pair fresher than the asker itself is
        var older = Min(source.PublishedAt ?? source.UpdatedAt, candidate.PublishedAt ?? candidate.UpdatedAt);
        var ageDays = Math.Max(0, (now - older).TotalDays);
        var freshness = Math.Exp(-ageDays / options.FreshnessDays);

        var factors = new List<MatchFactor>
        {
            Factor("text", text, shared.Count > 0
                ? $"文本相关度{Level(text)}，共同关键词：{string.Join("、", shared)}"
                : $"文本相关度{Level(text)}"),
            Factor("field", sameField ? 1 : 0, sameField ? $"同属{fieldName}领域" : $"领域不同（对方为{fieldName}）"),
            Factor("maturity", maturity, $"成果成熟度 TRL {trl}（{Stage(trl)}）"),
            Factor("price", price, priceText),
            Factor("sub_market", sameSubMarket ? 1 : 0, sameSubMarket ? $"同在{subMarketName}" : $"对方在{subMarketName}"),
            Factor("freshness", freshness, ageDays < 1 ? "双方均为今日发布" : $"较早的一方发布于 {Math.Floor(ageDays).ToString(CultureInfo.InvariantCulture)} 天前"),
        };
        var score = factors.Sum(f => f.Contribution);
        var explanation = string.Join("；", factors.Where(f => f.Contribution > 0).OrderByDescending(f => f.Contribution).Take(4).Select(f => f.Explanation));
        return new Match(candidate, score, factors, explanation);
    }

    /// <summary>What a listing is about: its title and keywords (the body adds noise and cost).</summary>
    private static string About(ListingSnapshot s) => string.Join(' ', [s.Title, .. s.Keywords]);

    /// <summary>The distinct terms of what a listing is about, as each analyzer of the mode cuts them.</summary>
    private HashSet<string> Terms(ListingSnapshot s)
    {
        var about = About(s);
        var terms = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (suffix, analyzer) in index.Analysis.QueryFields(""))
            foreach (var term in TextAnalysis.Terms(analyzer, "about", about)) terms.Add(suffix + "\u0001" + term);
        return terms;
    }

    /// <summary>
    /// Cosine of two term sets (the Ochiai coefficient): 1 for the same words, 0 for none shared.
    /// Symmetric, and without corpus statistics, so the index's state (its size, its merges, a
    /// replica still filling) cannot change a pair's score. BM25 relative to one side's own score,
    /// used before, was neither: a pair scored differently from each side, and as the market grew.
    /// </summary>
    private static double Similarity(IReadOnlySet<string> a, IReadOnlySet<string> b)
    {
        if (a.Count == 0 || b.Count == 0) return 0;
        var (small, large) = a.Count <= b.Count ? (a, b) : (b, a);
        var common = small.Count(large.Contains);
        return common / Math.Sqrt((double)a.Count * b.Count);
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a <= b ? a : b;

    private MatchFactor Factor(string name, double value, string explanation)
    {
        var weight = _weights[name];
        var contribution = decimal.Round((decimal)(100 * weight * value), 2, MidpointRounding.AwayFromZero);
        return new MatchFactor(name, Math.Round(weight, 4), Math.Round(value, 4), contribution, explanation);
    }

    /// <summary>Overlap of the offer's price range with the demand's budget; negotiable is half a fit.</summary>
    public static (double Fit, string Explanation) PriceFit(ListingSnapshot offer, ListingSnapshot demand)
    {
        var offerLow = offer.Price?.Min ?? offer.Price?.Max;
        var budgetHigh = demand.Budget?.Max ?? demand.Budget?.Min ?? demand.Bounty;
        if (offerLow is null || budgetHigh is null) return (0.5, "价格面议");
        if (offerLow <= budgetHigh) return (1, "报价在预算范围内");
        var fit = (double)(budgetHigh.Value / offerLow.Value);
        return (fit, $"报价高于预算 {Math.Round((1 - fit) * 100).ToString(CultureInfo.InvariantCulture)}%");
    }

    private static bool Contains(ListingSnapshot s, string keyword) =>
        s.Keywords.Any(k => k.Contains(keyword, StringComparison.OrdinalIgnoreCase) || keyword.Contains(k, StringComparison.OrdinalIgnoreCase))
        || s.Title.Contains(keyword, StringComparison.OrdinalIgnoreCase)
        || s.Summary.Contains(keyword, StringComparison.OrdinalIgnoreCase)
        || s.Description.Contains(keyword, StringComparison.OrdinalIgnoreCase);

    private static string Level(double value) => value switch { >= 0.7 => "高", >= 0.4 => "中", _ => "低" };

    private static string Stage(int trl) => trl switch { <= 3 => "研发", <= 5 => "小试", <= 7 => "中试", _ => "产业化" };
}
