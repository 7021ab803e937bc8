using Marketplace.Broker.Brokers;

namespace Marketplace.Broker.Leads;

/// <summary>Hands a lead to the broker <see cref="BrokerRouter"/> chooses among those who have not had it yet, or pools it.</summary>
internal sealed class LeadRouter(BrokerRouter brokers, BrokerService service)
{
    /// <summary>Offers the lead to the next broker, or pools it.</summary>
    public async Task RouteAsync(Lead lead, string by, TimeSpan timeout, CancellationToken ct)
    {
        var next = await brokers.ChooseAsync(lead.SubMarket, lead.Field, lead.AskedBrokers(), ct);
        lead.OfferTo(next?.AsRef(), by, timeout, service.Now);
    }
}
