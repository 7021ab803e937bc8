using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Listing;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Registration.Deals;

/// <summary>A broker's deal as this service knows it: which offer and which demand it is between (from <see cref="DealStageChanged"/>).</summary>
internal sealed class KnownDeal : AggregateRoot
{
    private KnownDeal() { }

    public Guid Id { get; private set; }
    public Guid? OfferId { get; private set; }
    public Guid? DemandId { get; private set; }

    public override string StoreId => Id.ToString();

    public IEnumerable<Guid> Listings => new[] { OfferId, DemandId }.OfType<Guid>();

    public static KnownDeal From(DealStageChanged changed) => new() { Id = changed.DealId, OfferId = changed.OfferId, DemandId = changed.DemandId };
}

/// <summary>The organisation that owns a listing (from the listing service's snapshots).</summary>
internal sealed class ListingOwner : AggregateRoot
{
    private ListingOwner() { }

    public Guid Id { get; private set; }
    public string OwnerOrg { get; private set; } = "";

    public override string StoreId => Id.ToString();

    public static ListingOwner From(ListingSnapshot listing) => new() { Id = listing.Id, OwnerOrg = listing.OwnerOrg };
}

/// <summary>A contract named a deal its applicant is not known to be a party to: the endpoint answers 422.</summary>
internal sealed class DealNotLinkableException(Guid dealId) : Exception(
    $"交易 {dealId} 不是本单位参与的交易，或登记系统尚未收到该交易的信息（刚开启的交易请稍后重试）。合同只能关联本单位作为成果方或需求方参与的交易 / " +
    $"Deal {dealId} is not known here as a deal your organisation is a party to; if it was opened just now, retry in a minute. " +
    "A contract can name only a deal whose offer or demand belongs to the applicant's organisation.")
{
    public Guid DealId { get; } = dealId;
}

/// <summary>
/// Who the parties of a broker's deal are, learnt from events (this service cannot ask the broker
/// or the listing service): a deal's offer and demand from the broker's stage changes, and who owns
/// each listing from the listing service's snapshots. Neither changes once set — a deal keeps its
/// listings and a listing its owner — so each is written once and a redelivery changes nothing.
/// </summary>
internal sealed class DealParties(AggregateStore<KnownDeal> deals, AggregateStore<ListingOwner> owners)
{
    public const string DealsCollection = "known_deals";
    public const string OwnersCollection = "listing_owners";

    public Task LearnAsync(DealStageChanged changed, CancellationToken ct) => InsertOnceAsync(deals, KnownDeal.From(changed), ct);

    public Task LearnAsync(ListingSnapshot listing, CancellationToken ct) => InsertOnceAsync(owners, ListingOwner.From(listing), ct);

    /// <summary>
    /// A contract may name only a deal between the applicant's organisation and another: the owner
    /// of the deal's offer or of its demand. A deal (or a listing of it) not heard of yet is refused
    /// the same way — the applicant retries once the events have arrived — and the one answer for
    /// both tells a stranger nothing about whether the deal exists.
    /// </summary>
    /// <exception cref="DealNotLinkableException">the applicant is not known to be a party.</exception>
    public async Task EnsurePartyAsync(Guid? dealId, MarketUser applicant, CancellationToken ct)
    {
        if (dealId is not { } id) return;
        var deal = await deals.FindAsync(id.ToString(), ct) ?? throw new DealNotLinkableException(id);
        foreach (var listing in deal.Listings)
        {
            if ((await owners.FindAsync(listing.ToString(), ct))?.OwnerOrg == applicant.Organisation) return;
        }
        throw new DealNotLinkableException(id);
    }

    private static async Task InsertOnceAsync<T>(AggregateStore<T> store, T read, CancellationToken ct) where T : AggregateRoot
    {
        if (await store.FindAsync(read.StoreId, ct) is not null) return;
        try
        {
            await store.InsertAsync(read, ct);
        }
        catch (DocumentExistsException)
        {
            // the same fact, delivered twice at once
        }
    }
}
