using Marketplace.Contracts;

namespace Marketplace.Broker.Leads;

/// <summary>
/// Chooses who gets a lead: an active broker of the lead's sub-market whose fields include the
/// lead's field and who has not had it yet — the least loaded (fewest open deals, then fewest
/// leads waiting for an answer, then the longest active, then by id so the choice is stable).
/// Two leads routed at the same moment may pick the same broker; the load evens out over time.
/// </summary>
internal sealed class LeadRouter(BrokerService service)
{
    public async Task<Brokers.Broker?> NextAsync(Lead lead, CancellationToken ct)
    {
        var asked = lead.AskedBrokers();
        var candidates = (await service.BrokersAsync(BrokerStatus.Active, lead.SubMarket, lead.Field, level: null, ct))
            .Where(b => !asked.Contains(b.Id))
            .ToList();
        if (candidates.Count == 0) return null;
        var loads = new List<(Brokers.Broker Broker, long OpenDeals, long WaitingLeads)>();
        foreach (var broker in candidates)
        {
            var (openDeals, waitingLeads) = await service.LoadAsync(broker.Id, ct);
            loads.Add((broker, openDeals, waitingLeads));
        }
        return loads
            .OrderBy(l => l.OpenDeals).ThenBy(l => l.WaitingLeads)
            .ThenBy(l => l.Broker.ActiveSince).ThenBy(l => l.Broker.Id)
            .First().Broker;
    }

    /// <summary>Offers the lead to the next broker, or pools it.</summary>
    public async Task RouteAsync(Lead lead, string by, TimeSpan timeout, CancellationToken ct)
    {
        var next = await NextAsync(lead, ct);
        lead.OfferTo(next?.Id, by, timeout, service.Now);
    }
}
