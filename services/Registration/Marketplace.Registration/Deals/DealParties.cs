using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Listing;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Registration.Deals;

/// <summary>
/// A broker's deal as this service knows it (from <see cref="DealStageChanged"/>): which offer and
/// which demand it is between, and the organisations that are its parties when the broker names them
/// (a deal opened from an introduction does; its interested side may own no listing of it).
/// </summary>
internal sealed class KnownDeal : AggregateRoot
{
    private List<string> _parties = [];

    private KnownDeal() { }

    public Guid Id { get; private set; }
    public Guid? OfferId { get; private set; }
    public Guid? DemandId { get; private set; }
    public IReadOnlyList<string> Parties { get => _parties; private set => _parties = [.. value]; }

    public override string StoreId => Id.ToString();

    public IEnumerable<Guid> Listings => new[] { OfferId, DemandId }.OfType<Guid>();

    public static KnownDeal From(DealStageChanged changed) => new()
    {
        Id = changed.DealId, OfferId = changed.OfferId, DemandId = changed.DemandId, Parties = Named(changed.Parties),
    };

    /// <summary>
    /// A deal first heard of from an event without parties (an older release's) learns them from the
    /// first later event that names them; parties once known do not change, so a replay changes nothing.
    /// </summary>
    /// <returns>whether the deal changed.</returns>
    public bool LearnParties(DealStageChanged changed)
    {
        var named = Named(changed.Parties);
        if (_parties.Count > 0 || named.Count == 0) return false;
        _parties = named;
        return true;
    }

    public bool HasParty(string organisation) => _parties.Contains(organisation, StringComparer.Ordinal);

    private static List<string> Named(IReadOnlyList<string>? parties) =>
        (parties ?? []).Where(p => !string.IsNullOrWhiteSpace(p)).Distinct(StringComparer.Ordinal).ToList();
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
    $"交易 {dealId} 不是本单位参与的交易，或登记系统尚未收到该交易的信息（刚开启的交易请稍后重试）。合同只能关联本单位参与的交易（成果方、需求方，或交易所来自的对接意向的一方）/ " +
    $"Deal {dealId} is not known here as a deal your organisation is a party to; if it was opened just now, retry in a minute. " +
    "A contract can name only a deal the applicant's organisation is a party to (its offer's or demand's owner, or a side of the introduction it came from).")
{
    public Guid DealId { get; } = dealId;
}

/// <summary>
/// Who the parties of a broker's deal are, learnt from events (this service cannot ask the broker
/// or the listing service): a deal's offer, demand and named parties from the broker's stage
/// changes, and who owns each listing from the listing service's snapshots. Neither changes once set
/// — a deal keeps its listings and parties, a listing its owner — so each is written once (a deal's
/// parties filled in once when its first events did not name them) and a redelivery changes nothing.
/// </summary>
internal sealed class DealParties(AggregateStore<KnownDeal> deals, AggregateStore<ListingOwner> owners)
{
    public const string DealsCollection = "known_deals";
    public const string OwnersCollection = "listing_owners";

    public async Task LearnAsync(DealStageChanged changed, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var known = await deals.FindAsync(changed.DealId.ToString(), ct);
            if (known is null)
            {
                if (await TryInsertAsync(deals, KnownDeal.From(changed), ct)) return;
                continue; // another delivery inserted it at the same moment, perhaps without parties: look again
            }
            if (!known.LearnParties(changed)) return;
            try
            {
                await deals.SaveAsync(known, ct);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < 10)
            {
                // another delivery filled them in meanwhile: the fresh document decides
            }
        }
    }

    public async Task LearnAsync(ListingSnapshot listing, CancellationToken ct)
    {
        if (await owners.FindAsync(listing.Id.ToString(), ct) is null) await TryInsertAsync(owners, ListingOwner.From(listing), ct);
    }

    /// <summary>
    /// A contract may name only a deal between the applicant's organisation and another: one of the
    /// parties the broker named, or the owner of the deal's offer or of its demand. A deal (or a
    /// listing of it) not heard of yet is refused the same way — the applicant retries once the
    /// events have arrived — and the one answer for both tells a stranger nothing about whether the
    /// deal exists.
    /// </summary>
    /// <exception cref="DealNotLinkableException">the applicant is not known to be a party.</exception>
    public async Task EnsurePartyAsync(Guid? dealId, MarketUser applicant, CancellationToken ct)
    {
        if (dealId is not { } id) return;
        var deal = await deals.FindAsync(id.ToString(), ct) ?? throw new DealNotLinkableException(id);
        if (deal.HasParty(applicant.Organisation)) return;
        foreach (var listing in deal.Listings)
        {
            if ((await owners.FindAsync(listing.ToString(), ct))?.OwnerOrg == applicant.Organisation) return;
        }
        throw new DealNotLinkableException(id);
    }

    /// <returns>false when it was there already: the same fact, delivered twice at once.</returns>
    private static async Task<bool> TryInsertAsync<T>(AggregateStore<T> store, T read, CancellationToken ct) where T : AggregateRoot
    {
        try
        {
            await store.InsertAsync(read, ct);
            return true;
        }
        catch (DocumentExistsException)
        {
            return false;
        }
    }
}
