using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Listing.Listings;

/// <summary>Loads a listing, checks who may act on it, applies one change and saves it with its events.</summary>
public sealed class ListingService(AggregateStore<Listing> store, TimeProvider time)
{
    public AggregateStore<Listing> Store => store;

    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<Listing> LoadAsync(Guid id, CancellationToken ct) =>
        await store.FindAsync(id.ToString(), ct) ?? throw new NotFoundException($"挂牌信息 {id} 不存在 / Listing {id} does not exist.");

    public async Task<Listing> LoadVisibleAsync(Guid id, MarketUser? user, CancellationToken ct)
    {
        var listing = await LoadAsync(id, ct);
        if (listing.IsVisibleTo(user)) return listing;
        throw new ForbiddenException("该信息尚未公开，仅发布单位和所属分市场运营人员可见 / Only the owner and the sub-market's operators can see an unpublished listing.");
    }

    /// <summary>The owner organisation changes its own listing.</summary>
    public Task<Listing> ChangeAsOwnerAsync(Guid id, MarketUser user, long? expectedVersion, Action<Listing> change, CancellationToken ct) =>
        ChangeAsync(id, expectedVersion, listing =>
        {
            if (!listing.IsOwnedBy(user))
                throw new ForbiddenException("只能操作本单位发布的信息 / Only the organisation that posted the listing can do this.");
        }, change, ct);

    /// <summary>An operator of the listing's sub-market (or of the provincial market) reviews it.</summary>
    public Task<Listing> ChangeAsOperatorAsync(Guid id, MarketUser user, long? expectedVersion, Action<Listing> change, CancellationToken ct) =>
        ChangeAsync(id, expectedVersion, listing =>
        {
            if (!user.IsOperatorOf(listing.SubMarket))
                throw new ForbiddenException($"只能审核本分市场（{user.SubMarket}）的信息 / Operators review only their own sub-market's listings.");
        }, change, ct);

    /// <summary>Someone other than the owner acts on a listing they can see (e.g. a proposal to a challenge).</summary>
    public Task<Listing> ChangeAsVisitorAsync(Guid id, MarketUser user, Action<Listing> change, CancellationToken ct) =>
        ChangeAsync(id, null, listing =>
        {
            if (!listing.IsVisibleTo(user)) throw new ForbiddenException("该信息尚未公开 / The listing is not public.");
        }, change, ct);

    private Task<Listing> ChangeAsync(Guid id, long? expectedVersion, Action<Listing> authorize, Action<Listing> change, CancellationToken ct) =>
        store.ChangeAsync(t => LoadAsync(id, t), expectedVersion, authorize, l =>
        {
            change(l);
            return Task.CompletedTask;
        }, ct);
}
