using System.Text.Json;
using Marketplace.Broker.Deals;
using Marketplace.Broker.Leads;
using Marketplace.Contracts;
using Marketplace.Contracts.Broker;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.AspNetCore.Http;

namespace Marketplace.Broker;

/// <summary>
/// The broker service's one application service: its three collections, who a caller is as a
/// broker, which brokers a query or a lead finds, and opening deals — each done here and nowhere else.
/// </summary>
internal sealed class BrokerService(
    AggregateStore<Brokers.Broker> brokers,
    AggregateStore<Lead> leads,
    AggregateStore<Deal> deals,
    AggregateStore<ListingOwner> owners,
    TimeProvider time)
{
    public AggregateStore<Brokers.Broker> Brokers => brokers;
    public AggregateStore<Lead> Leads => leads;
    public AggregateStore<Deal> Deals => deals;
    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<Brokers.Broker> BrokerAsync(Guid id, CancellationToken ct) =>
        await brokers.FindAsync(id.ToString(), ct) ?? throw new NotFoundException($"经纪人 {id} 不存在 / Broker {id} does not exist.");

    public async Task<Lead> LeadAsync(Guid id, CancellationToken ct) =>
        await leads.FindAsync(id.ToString(), ct) ?? throw new NotFoundException($"线索 {id} 不存在 / Lead {id} does not exist.");

    public async Task<Deal> DealAsync(Guid id, CancellationToken ct) =>
        await deals.FindAsync(id.ToString(), ct) ?? throw DealNotFound(id);

    public static NotFoundException DealNotFound(Guid id) => new($"交易 {id} 不存在 / Deal {id} does not exist.");

    /// <summary>A new profile for the caller's account, pending review.</summary>
    /// <exception cref="ConflictException">the account has a profile already.</exception>
    public async Task<Brokers.Broker> RegisterAsync(MarketUser user, string subMarket, Brokers.BrokerProfile profile, CancellationToken ct)
    {
        var broker = Marketplace.Broker.Brokers.Broker.Register(user, subMarket, profile, user.IsDemo, Now);
        try
        {
            await brokers.InsertAsync(broker, ct);
            return broker;
        }
        catch (DocumentExistsException)
        {
            throw new ConflictException($"您已登记过经纪人资料（{broker.Id}），请修改已有资料 / You already have a broker profile ({broker.Id}); edit it instead.");
        }
    }

    /// <summary>The caller's own profile, to read (none yet is a 404).</summary>
    public async Task<Brokers.Broker> OwnProfileAsync(MarketUser user, CancellationToken ct) =>
        await ProfileOfAsync(user, ct) ?? throw new NotFoundException("您还没有登记经纪人资料 / You have no broker profile yet.");

    /// <summary>The broker the caller acts as, whatever the profile's state (none is a 403: the caller cannot act as a broker).</summary>
    public async Task<Brokers.Broker> ActingBrokerAsync(MarketUser user, CancellationToken ct) =>
        await ProfileOfAsync(user, ct) ?? throw new ForbiddenException("您还没有登记经纪人资料 / You have no broker profile.");

    /// <summary>The broker the caller acts as, who must be active to take on work.</summary>
    public async Task<Brokers.Broker> ActiveBrokerAsync(MarketUser user, CancellationToken ct)
    {
        var broker = await ActingBrokerAsync(user, ct);
        if (!broker.IsActive) throw new ForbiddenException("经纪人资料尚未审核通过或已暂停 / Your broker profile is not active.");
        return broker;
    }

    /// <summary>The broker an operator hands a lead of <paramref name="subMarket"/> to: active, of that sub-market.</summary>
    public async Task<Brokers.Broker> AssignableBrokerAsync(Guid brokerId, string subMarket, CancellationToken ct)
    {
        var broker = await brokers.FindAsync(brokerId.ToString(), ct);
        if (broker is null || !broker.IsActive || broker.SubMarket != subMarket)
            throw ValidationFailedException.For("brokerId", "只能分派给本分市场在册的经纪人 / Assign to an active broker of the lead's sub-market.");
        return broker;
    }

    /// <summary>Every broker in <paramref name="status"/>, of a sub-market, covering a field and of a level when given; in the order they registered.</summary>
    public async Task<List<Brokers.Broker>> BrokersAsync(BrokerStatus status, string? subMarket, string? field, BrokerLevel? level, CancellationToken ct)
    {
        var filters = new List<FieldFilter> { FieldFilter.Eq("status", WireCode.Of(status)) };
        if (subMarket is not null) filters.Add(FieldFilter.Eq("subMarket", subMarket));
        if (level is { } l) filters.Add(FieldFilter.Eq("level", WireCode.Of(l)));
        return (await brokers.QueryAllAsync(filters, "createdKey", ct)).Where(b => field is null || b.Covers(field)).ToList();
    }

    /// <summary>How busy a broker is: open deals, and leads offered that wait for an answer.</summary>
    public async Task<(long OpenDeals, long WaitingLeads)> LoadAsync(Guid brokerId, CancellationToken ct) =>
        (await CountAsync(deals, [FieldFilter.Eq("brokerId", brokerId.ToString()), FieldFilter.Eq("open", "true")], ct),
         await CountAsync(leads, [FieldFilter.Eq("brokerId", brokerId.ToString()), FieldFilter.Eq("status", WireCode.Of(LeadStatus.Offered))], ct));

    public Task<List<Deal>> DealsOfAsync(Guid brokerId, CancellationToken ct) =>
        deals.QueryAllAsync([FieldFilter.Eq("brokerId", brokerId.ToString())], "createdKey", ct);

    /// <summary>The index fields that name a deal's parties: a deal has at most two (its two sides).</summary>
    public static readonly IReadOnlyList<string> PartyFields = ["partyA", "partyB"];

    /// <summary>
    /// One page of the deals <paramref name="organisation"/> is a party to, last changed first. A
    /// party is on either side, so each side's index answers its share (the two never overlap: a
    /// deal's sides are two organisations) and the page is taken from the two merged.
    /// </summary>
    public async Task<Paged<T>> PartyDealsAsync<T>(string organisation, IReadOnlyList<FieldFilter> filters, Paging paging, Func<Deal, T> respond,
        CancellationToken ct)
    {
        var sides = new List<(IReadOnlyList<Deal> Items, long Total)>();
        foreach (var field in PartyFields)
        {
            sides.Add(await deals.QueryAsync(new DocumentQuery
            {
                Filters = [.. filters, FieldFilter.Eq(field, organisation)], SortBy = "updatedAt", Descending = true,
                Skip = 0, Take = paging.Skip + paging.PageSize,
            }, ct));
        }
        var page = sides.SelectMany(s => s.Items).DistinctBy(d => d.Id)
            .OrderByDescending(d => d.UpdatedAt).ThenBy(d => d.Id)
            .Skip(paging.Skip).Take(paging.PageSize).Select(respond).ToList();
        return new Paged<T>(page, sides.Sum(s => s.Total), paging.Page, paging.PageSize);
    }

    /// <summary>
    /// An active broker opens a deal of their own (a party may have no listing). With an
    /// <c>Idempotency-Key</c> (read from <paramref name="http"/>) a repeated request answers with the
    /// deal it opened, marked as a replay.
    /// </summary>
    public async Task<Deal> OpenDealAsync(MarketUser user, DealInput input, HttpContext http, CancellationToken ct)
    {
        var broker = await ActiveBrokerAsync(user, ct);
        var draft = DealRules.Validate(input, broker.SubMarket);
        var fingerprint = Idempotency.Fingerprint(JsonSerializer.Serialize(input, MarketJson.Wire));
        var id = Idempotency.ResourceId(http.Request, user.Subject, "deal") ?? NewId.NextGuid();
        var deal = Deal.Open(id, broker.Id, broker.Subject, draft.OfferId, draft.DemandId, null, draft.Title, draft.SubMarket, draft.Field,
            user.IsDemo, user.Subject, Now, fingerprint);
        return await Idempotency.InsertAsync(http.Response, deals, deal, fingerprint, d => d.RequestFingerprint, ct);
    }

    /// <summary>
    /// Opens the deal of an accepted lead, once: its id comes from the lead, so the request that
    /// accepted the lead and the <see cref="LeadAccepted"/> consumer may both try.
    /// </summary>
    public async Task<Deal> OpenDealAsync(LeadAccepted accepted, CancellationToken ct)
    {
        if (await deals.FindAsync(accepted.DealId.ToString(), ct) is { } existing) return existing;
        var deal = Deal.Open(accepted.DealId, accepted.BrokerId, accepted.BrokerSubject, accepted.OfferId, accepted.DemandId, accepted.LeadId,
            accepted.Title, accepted.SubMarket, accepted.Field, accepted.IsDemo, accepted.BrokerSubject, accepted.AcceptedAt,
            parties: await OwnersOfAsync([accepted.OfferId, accepted.DemandId], ct));
        return await InsertOnceAsync(deal, ct);
    }

    /// <summary>
    /// Opens a deal whose id derives from what it was opened from (a lead, an introduction), once:
    /// when a racing delivery opened it first, that deal is the answer.
    /// </summary>
    public async Task<Deal> InsertOnceAsync(Deal deal, CancellationToken ct)
    {
        try
        {
            await deals.InsertAsync(deal, ct);
            return deal;
        }
        catch (DocumentExistsException)
        {
            return await DealAsync(deal.Id, ct);
        }
    }

    /// <summary>The organisations that own the listings, as far as this service has learnt them (an unknown owner is left out).</summary>
    private async Task<List<DealParty>> OwnersOfAsync(IEnumerable<Guid> listings, CancellationToken ct)
    {
        var parties = new List<DealParty>();
        foreach (var listing in listings)
        {
            if (await owners.FindAsync(listing.ToString(), ct) is { } owner && parties.All(p => p.Id != owner.OwnerOrg))
                parties.Add(new DealParty(owner.OwnerOrg, owner.OwnerOrgName));
        }
        return parties;
    }

    private Task<Brokers.Broker?> ProfileOfAsync(MarketUser user, CancellationToken ct) =>
        brokers.FindAsync(Marketplace.Broker.Brokers.Broker.IdFor(user.Subject).ToString(), ct);

    private static async Task<long> CountAsync<T>(AggregateStore<T> store, IReadOnlyList<FieldFilter> filters, CancellationToken ct) where T : AggregateRoot =>
        (await store.QueryAsync(new DocumentQuery { Filters = filters, Take = 1 }, ct)).Total;
}
