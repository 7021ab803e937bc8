using Marketplace.Contracts;
using Marketplace.Listing.Interests;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Listing.Listings;

/// <summary>Loads a listing, checks who may act on it, applies one change and saves it with its events.</summary>
internal sealed class ListingService(AggregateStore<Listing> store, ContactRelease contacts, TimeProvider time)
{
    /// <summary>
    /// The pages anonymous visitors read, kept until any listing changes: the store's stamp of the whole collection
    /// moves in every write (<see cref="DerivedValues{TKey, TValue}"/>), so a page is never behind the listings; on
    /// MongoDB, which keeps no stamp, a page stands for two seconds. A visitor sees no contact, history or private
    /// file, so their page is the same for all of them; a signed-in user's page is made for them. At most
    /// <see cref="PublicPagesKept"/> pages are kept (each at most <see cref="Paging.MaxPageSize"/> listings).
    /// </summary>
    private readonly DerivedValues<(ListingKind? Kind, string? SubMarket, string? Field, int Page, int PageSize), Paged<ListingResponse>> _publicPages =
        new(store.Store, store.Collection, [], time, TimeSpan.FromSeconds(2), PublicPagesKept);

    public const int PublicPagesKept = 64;

    public AggregateStore<Listing> Store => store;

    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<Listing> LoadAsync(Guid id, CancellationToken ct) =>
        await store.FindAsync(id.ToString(), ct) ?? throw new NotFoundException($"挂牌信息 {id} 不存在 / Listing {id} does not exist.");

    /// <summary>A listing the caller may read: an unpublished one is 401 for anonymous visitors and 403 for others.</summary>
    public async Task<Listing> LoadVisibleAsync(Guid id, MarketUser? user, CancellationToken ct)
    {
        var listing = await LoadAsync(id, ct);
        EnsureVisible(listing, user);
        return listing;
    }

    public static void EnsureVisible(Listing listing, MarketUser? user)
    {
        if (listing.IsVisibleTo(user)) return;
        if (user is null) throw new UnauthorizedException();
        throw new ForbiddenException("该信息尚未公开，仅发布单位和所属分市场运营人员可见 / Only the owner and the sub-market's operators can see an unpublished listing.");
    }

    public static void EnsureOwner(Listing listing, MarketUser user)
    {
        if (!listing.IsOwnedBy(user))
            throw new ForbiddenException("只能操作本单位发布的信息 / Only the organisation that posted the listing can do this.");
    }

    /// <summary>
    /// One page of listings: published ones to anyone; with <see cref="ListingFilter.Mine"/> the
    /// caller's organisation's in any status; other unpublished ones only as an operator's review queue.
    /// </summary>
    public Task<Paged<ListingResponse>> ListAsync(ListingFilter filter, MarketUser? user, Paging paging, CancellationToken ct) =>
        user is null && !filter.Mine && filter.Status is null or ListingStatus.Published
            ? _publicPages.GetAsync((filter.Kind, filter.SubMarket, filter.Field, paging.Page, paging.PageSize), c => PageAsync(filter, null, paging, c), ct)
            : PageAsync(filter, user, paging, ct);

    private async Task<Paged<ListingResponse>> PageAsync(ListingFilter filter, MarketUser? user, Paging paging, CancellationToken ct)
    {
        var filters = new List<FieldFilter>();
        var subMarket = filter.SubMarket;
        if (filter.Mine)
        {
            if (user is null) throw new UnauthorizedException();
            filters.Add(FieldFilter.Eq("ownerOrg", user.Organisation));
            if (filter.Status is { } s) filters.Add(FieldFilter.Eq("status", WireCode.Of(s)));
        }
        else if (filter.Status is { } s && s != ListingStatus.Published)
        {
            // Unpublished listings of others: the review queues of operators.
            if (user is null) throw new UnauthorizedException();
            if (user.Role != Roles.Operator)
                throw new ForbiddenException("只有运营人员可以按审核状态查看他人信息；查看本单位信息请用 mine=true / Only operators list others' unpublished listings; use mine=true for your own.");
            if (s == ListingStatus.Draft) throw new ForbiddenException("草稿仅发布单位可见 / Drafts are private to their owner.");
            subMarket = user.OperatorScope(subMarket, "待审信息");
            filters.Add(FieldFilter.Eq("status", WireCode.Of(s)));
        }
        else
        {
            filters.Add(FieldFilter.Eq("status", WireCode.Of(ListingStatus.Published)));
        }
        if (filter.Kind is { } k) filters.Add(FieldFilter.Eq("kind", WireCode.Of(k)));
        if (subMarket is not null) filters.Add(FieldFilter.Eq("subMarket", subMarket));
        if (filter.Field is not null) filters.Add(FieldFilter.Eq("field", filter.Field));
        var (items, total, capped) = await store.PageAsync(new DocumentQuery
        {
            Filters = filters, SortBy = "updatedAt", Descending = true, Skip = paging.Skip, Take = paging.PageSize,
        }, ct);
        var released = await contacts.ReleasedAsync(items, user, ct);
        return new Paged<ListingResponse>(items.Select(l => ListingResponse.From(l, user, released.Contains(l.Id))).ToList(), total, paging.Page, paging.PageSize, capped);
    }

    /// <summary>The listing as <paramref name="viewer"/> reads it, its contact only if released to them.</summary>
    public async Task<ListingResponse> RespondAsync(Listing listing, MarketUser? viewer, CancellationToken ct) =>
        ListingResponse.From(listing, viewer, await contacts.IsReleasedAsync(listing, viewer, ct));

    /// <summary>The owner organisation changes its own listing.</summary>
    public Task<Listing> ChangeAsOwnerAsync(Guid id, MarketUser user, IfMatch? ifMatch, Action<Listing> change, CancellationToken ct) =>
        ChangeAsync(id, ifMatch, listing => EnsureOwner(listing, user), change, ct);

    /// <summary>An operator of the listing's sub-market (or of the provincial market) reviews it.</summary>
    public Task<Listing> ChangeAsOperatorAsync(Guid id, MarketUser user, IfMatch? ifMatch, Action<Listing> change, CancellationToken ct) =>
        ChangeAsync(id, ifMatch, listing =>
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

    private Task<Listing> ChangeAsync(Guid id, IfMatch? ifMatch, Action<Listing> authorize, Action<Listing> change, CancellationToken ct) =>
        store.ChangeAsync(t => LoadAsync(id, t), ifMatch, authorize, change, ct);
}
