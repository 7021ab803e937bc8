using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Listing.Interests;

/// <summary>
/// Who sees a listing's contact person, phone and email: its owner organisation, the operators of
/// its sub-market, the brokers of its sub-market, and an organisation whose interest in it was
/// accepted (对接成功后释放联系方式). Anyone else — anonymous visitors, other signed-in users,
/// brokers of other sub-markets — reads the listing without it.
/// </summary>
internal sealed class ContactRelease(AggregateStore<Interest> interests)
{
    /// <summary>The viewers who see the contact by who they are, without asking the store.</summary>
    public static bool ByRole(Listings.Listing listing, MarketUser? viewer) =>
        viewer is not null && (listing.IsOwnedBy(viewer) || viewer.IsOperatorOf(listing.SubMarket)
            || (viewer.Role == Roles.Broker && viewer.SubMarket == listing.SubMarket));

    public async Task<bool> IsReleasedAsync(Listings.Listing listing, MarketUser? viewer, CancellationToken ct) =>
        ByRole(listing, viewer) || (await AcceptedAsync([listing], viewer, ct)).Contains(listing.Id);

    /// <summary>Of a page of listings, those whose contact <paramref name="viewer"/> sees: one query for the whole page.</summary>
    public async Task<IReadOnlySet<Guid>> ReleasedAsync(IReadOnlyList<Listings.Listing> page, MarketUser? viewer, CancellationToken ct)
    {
        var released = page.Where(l => ByRole(l, viewer)).Select(l => l.Id).ToHashSet();
        released.UnionWith(await AcceptedAsync(page.Where(l => !released.Contains(l.Id)).ToList(), viewer, ct));
        return released;
    }

    /// <summary>Those of <paramref name="listings"/> in which the viewer's organisation has an accepted interest.</summary>
    private async Task<IReadOnlySet<Guid>> AcceptedAsync(IReadOnlyList<Listings.Listing> listings, MarketUser? viewer, CancellationToken ct)
    {
        if (viewer is null || listings.Count == 0) return new HashSet<Guid>();
        // a small set: one organisation's accepted interests in one page of listings
        var accepted = await interests.QueryAllAsync(
        [
            FieldFilter.Eq("fromOrg", viewer.Organisation),
            FieldFilter.Eq("status", WireCode.Of(InterestStatus.Accepted)),
            FieldFilter.In("listingId", listings.Select(l => l.Id.ToString())),
        ], "createdKey", ct);
        return accepted.Select(i => i.ListingId).ToHashSet();
    }
}
