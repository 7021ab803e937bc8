using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Matching.Indexing;
using Marketplace.Matching.Matches;
using Marketplace.TestKit;

namespace Marketplace.Matching.Tests;

/// <summary>
/// One offer–demand pair has one score: the owner of the demand and the owner of the offer (and the
/// announcement made when the second of them was published) see the same number and the same factors.
/// </summary>
public sealed class PairScoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 9, 0, 0, TimeSpan.Zero);
    private readonly string _path = Path.Combine(Path.GetTempPath(), "matching-pairs-" + Guid.NewGuid().ToString("N"));
    private readonly ListingIndex _index;
    private readonly MatchScorer _scorer;

    public PairScoreTests()
    {
        _index = new ListingIndex(_path, new TextAnalysis(TextAnalysisMode.SmartCn));
        // offers on the market for months, demands new: each side's counterpart is of another age
        foreach (var entry in MarketCorpus.Entries)
            _index.Apply(MarketCorpus.Snapshot(entry, publishedAt: entry.Kind == ListingKind.Offer ? Now.AddDays(-200) : Now.AddDays(-2)));
        _index.Refresh();
        _scorer = new MatchScorer(_index, new MatchingOptions(), new TestClock { Now = Now });
    }

    private ListingSnapshot Listing(string key) => _index.Find(MarketCorpus.IdOf(key))!;

    public static TheoryData<string, string> Pairs => new()
    {
        { "d-battery", "ncm" }, { "d-battery", "lfp" }, { "d-rail", "railfault" }, { "d-soil", "water" }, { "d-steel", "vision" }, { "d-steel", "robot" },
    };

    [Theory, MemberData(nameof(Pairs))]
    public void A_pair_scores_the_same_from_the_demands_side_and_from_the_offers_side(string demandKey, string offerKey)
    {
        var demand = Listing(demandKey);
        var offer = Listing(offerKey);
        var fromDemand = _scorer.FindMatches(demand, 50).Single(m => m.Counterpart.Id == offer.Id);
        var fromOffer = _scorer.FindMatches(offer, 50).Single(m => m.Counterpart.Id == demand.Id);

        Assert.Equal(fromDemand.Score, fromOffer.Score);
        Assert.Equal(fromDemand.Factors.Select(f => (f.Factor, f.Value, f.Contribution)), fromOffer.Factors.Select(f => (f.Factor, f.Value, f.Contribution)));
    }

    [Fact]
    public void A_pair_scores_the_same_after_the_market_has_grown()
    {
        var demand = Listing("d-rail");
        var offer = Listing("railfault");
        var before = _scorer.FindMatches(demand, 50).Single(m => m.Counterpart.Id == offer.Id).Score;

        // more listings that share the pair's words change every term's document frequency
        foreach (var entry in MarketCorpus.Entries.Where(e => e.Field == "transport"))
            _index.Apply(MarketCorpus.Snapshot(entry, publishedAt: Now.AddDays(-1)) with { Id = Guid.NewGuid(), OwnerOrg = "org-more" });
        _index.Refresh();

        Assert.Equal(before, _scorer.FindMatches(offer, 50).Single(m => m.Counterpart.Id == demand.Id).Score);
        Assert.Equal(before, _scorer.FindMatches(demand, 50).Single(m => m.Counterpart.Id == offer.Id).Score);
    }

    public void Dispose()
    {
        _index.Dispose();
        try { Directory.Delete(_path, true); } catch (IOException) { }
    }
}
