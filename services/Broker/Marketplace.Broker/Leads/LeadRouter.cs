using Marketplace.Broker.Deals;
using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Broker.Leads;

/// <summary>
/// Chooses who gets a lead: an active broker of the lead's sub-market whose fields include the
/// lead's field and who has not had it yet — the least loaded (fewest open deals, then fewest
/// leads waiting for an answer, then the longest active, then by id so the choice is stable).
/// Two leads routed at the same moment may pick the same broker; the load evens out over time.
/// </summary>
public sealed class LeadRouter(BrokerStores stores)
{
    public async Task<Brokers.Broker?> NextAsync(Lead lead, CancellationToken ct)
    {
        var asked = lead.AskedBrokers();
        var candidates = (await stores.Brokers.QueryAllAsync([FieldFilter.Eq("status", WireCode.Of(BrokerStatus.Active)), FieldFilter.Eq("subMarket", lead.SubMarket)], "createdKey", ct))
            .Where(b => b.Covers(lead.Field) && !asked.Contains(b.Id))
            .ToList();
        if (candidates.Count == 0) return null;
        var loads = new List<(Brokers.Broker Broker, long OpenDeals, long WaitingLeads)>();
        foreach (var broker in candidates)
            loads.Add((broker, await OpenDealsAsync(broker.Id, ct), await WaitingLeadsAsync(broker.Id, ct)));
        return loads
            .OrderBy(l => l.OpenDeals).ThenBy(l => l.WaitingLeads)
            .ThenBy(l => l.Broker.ActiveSince).ThenBy(l => l.Broker.Id)
            .First().Broker;
    }

    public Task<long> OpenDealsAsync(Guid brokerId, CancellationToken ct) =>
        BrokerStores.CountAsync(stores.Deals, [FieldFilter.Eq("brokerId", brokerId.ToString()), FieldFilter.Eq("open", "true")], ct);

    public Task<long> WaitingLeadsAsync(Guid brokerId, CancellationToken ct) =>
        BrokerStores.CountAsync(stores.Leads, [FieldFilter.Eq("brokerId", brokerId.ToString()), FieldFilter.Eq("status", WireCode.Of(LeadStatus.Offered))], ct);

    /// <summary>Offers the lead to the next broker, or pools it.</summary>
    public async Task RouteAsync(Lead lead, string by, TimeSpan timeout, CancellationToken ct)
    {
        var next = await NextAsync(lead, ct);
        lead.OfferTo(next?.Id, by, timeout, stores.Now);
    }
}
