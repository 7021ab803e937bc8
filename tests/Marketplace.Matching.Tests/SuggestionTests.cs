using Marketplace.Contracts.Listing;
using Marketplace.Contracts.Matching;
using Marketplace.Matching.Matches;

namespace Marketplace.Matching.Tests;

/// <summary>The announced pair as an aggregate, without a host or a store: one id per pair, one event when created.</summary>
public sealed class SuggestionTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly ListingSnapshot _offer = MarketCorpus.Snapshot(MarketCorpus.Entries.Single(e => e.Key == "railfault"));
    private readonly ListingSnapshot _demand = MarketCorpus.Snapshot(MarketCorpus.Entries.Single(e => e.Key == "d-rail"));

    private static Match MatchOf(ListingSnapshot counterpart) => new(counterpart, 72.5m,
    [
        new MatchFactor("text", 0.45, 0.9, 40.5m, "文本相关度高"),
        new MatchFactor("field", 0.15, 1, 15m, "同属交通运输领域"),
        new MatchFactor("sub_market", 0.10, 1, 10m, "同在株洲"),
        new MatchFactor("price", 0.10, 0.7, 7m, "报价高于预算 30%"),
    ], "文本相关度高；同属交通运输领域");

    [Fact]
    public void A_pair_is_one_suggestion_whichever_side_was_published_last()
    {
        var fromDemand = Suggestion.Create(_demand, MatchOf(_offer), Now);
        var fromOffer = Suggestion.Create(_offer, MatchOf(_demand), Now.AddHours(1));
        Assert.Equal(fromDemand.Id, fromOffer.Id);
        Assert.Equal(Suggestion.PairId(_offer.Id, _demand.Id), fromDemand.Id);
        Assert.Equal((_offer.Id, _demand.Id), (fromDemand.OfferId, fromDemand.DemandId));
        Assert.Equal((_offer.Id, _demand.Id), (fromOffer.OfferId, fromOffer.DemandId));
    }

    [Fact]
    public void The_same_offer_with_another_demand_is_another_suggestion()
    {
        var otherDemand = _demand with { Id = Guid.NewGuid() };
        Assert.NotEqual(Suggestion.PairId(_offer.Id, _demand.Id), Suggestion.PairId(_offer.Id, otherDemand.Id));
        Assert.NotEqual(Suggestion.PairId(_offer.Id, _demand.Id), Suggestion.PairId(_demand.Id, _offer.Id));
    }

    [Fact]
    public void A_new_suggestion_announces_the_pair_once_with_its_reasons_and_the_demands_field_and_sub_market()
    {
        var match = MatchOf(_demand with { Field = "transport", SubMarket = "zhuzhou" });
        var suggestion = Suggestion.Create(_offer with { SubMarket = "changsha" }, match, Now);
        var announced = Assert.IsType<MatchSuggested>(Assert.Single(suggestion.PendingEvents));
        Assert.Equal(suggestion.Id, announced.MatchId);
        Assert.Equal((_offer.Id, _demand.Id), (announced.OfferId, announced.DemandId));
        Assert.Equal(72.5m, announced.Score);
        Assert.Equal(announced.Score, announced.Reasons.Sum(r => r.Contribution));
        Assert.Equal(["text", "field", "sub_market", "price"], announced.Reasons.Select(r => r.Factor));
        Assert.Equal(("transport", "zhuzhou"), (announced.Field, announced.SubMarket));
        Assert.Equal((_offer.Title, _demand.Title), (announced.OfferTitle, announced.DemandTitle));
        Assert.Equal(Now, announced.SuggestedAt);
    }
}
