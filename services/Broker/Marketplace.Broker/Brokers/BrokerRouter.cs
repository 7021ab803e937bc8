using Marketplace.Contracts;

namespace Marketplace.Broker.Brokers;

/// <summary>
/// Chooses who gets work — a lead, or the deal of an accepted introduction: an active broker of the
/// sub-market whose fields include the field, leaving out those already asked — the least loaded
/// (fewest open deals, then fewest leads waiting for an answer, then the longest active, then by id
/// so the choice is stable). Two choices at the same moment may pick the same broker; the load
/// evens out over time.
/// </summary>
internal sealed class BrokerRouter(BrokerService service)
{
    /// <returns>null when no active broker of the sub-market covers the field (or all were asked).</returns>
    public async Task<Broker?> ChooseAsync(string subMarket, string field, IReadOnlySet<Guid> asked, CancellationToken ct)
    {
        var candidates = (await service.BrokersAsync(BrokerStatus.Active, subMarket, field, level: null, ct))
            .Where(b => !asked.Contains(b.Id))
            .ToList();
        if (candidates.Count == 0) return null;
        var loads = new List<(Broker Broker, long OpenDeals, long WaitingLeads)>();
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
}
