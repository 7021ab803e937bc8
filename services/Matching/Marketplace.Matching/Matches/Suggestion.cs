using System.Security.Cryptography;
using System.Text;
using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Contracts.Matching;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Matching.Matches;

/// <summary>
/// A pair announced as MatchSuggested. Its id is derived from the pair, so however many replicas
/// (or redeliveries) find the same pair, one insert wins and the event is raised once.
/// </summary>
internal sealed class Suggestion : AggregateRoot
{
    private Suggestion() { }

    public Guid Id { get; private set; }
    public Guid OfferId { get; private set; }
    public Guid DemandId { get; private set; }
    public decimal Score { get; private set; }
    public DateTimeOffset SuggestedAt { get; private set; }

    public override string StoreId => Id.ToString();

    public static Guid PairId(Guid offerId, Guid demandId) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes($"match\n{offerId:N}\n{demandId:N}")).AsSpan(0, 16));

    public static Suggestion Create(ListingSnapshot source, Match match, DateTimeOffset now)
    {
        var offer = source.Kind == ListingKind.Offer ? source : match.Counterpart;
        var demand = source.Kind == ListingKind.Offer ? match.Counterpart : source;
        var suggestion = new Suggestion
        {
            Id = PairId(offer.Id, demand.Id),
            OfferId = offer.Id,
            DemandId = demand.Id,
            Score = match.Score,
            SuggestedAt = now,
        };
        suggestion.Raise(new MatchSuggested
        {
            MatchId = suggestion.Id,
            OfferId = offer.Id,
            DemandId = demand.Id,
            Score = match.Score,
            Field = demand.Field,
            SubMarket = demand.SubMarket,
            Reasons = match.Factors.Select(f => new MatchReason { Factor = f.Factor, Contribution = f.Contribution, Explanation = f.Explanation }).ToList(),
            Summary = match.Explanation,
            OfferTitle = offer.Title,
            DemandTitle = demand.Title,
            SuggestedAt = now,
        });
        return suggestion;
    }
}
