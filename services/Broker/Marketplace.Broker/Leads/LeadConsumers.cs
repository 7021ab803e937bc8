using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Matching;
using Marketplace.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Broker.Leads;

/// <summary>
/// A suggested match becomes a lead, offered to the right broker or pooled. The lead's id is the
/// match id: a redelivered or repeated event finds the lead there and adds nothing.
/// </summary>
internal sealed partial class MatchSuggestedConsumer(BrokerService service, LeadRouter router, IOptions<BrokerOptions> options, ILogger<MatchSuggestedConsumer> logger)
    : IConsumer<MatchSuggested>
{
    public async Task Consume(ConsumeContext<MatchSuggested> context)
    {
        var match = context.Message;
        if (await service.Leads.FindAsync(match.MatchId.ToString(), context.CancellationToken) is not null) return;
        var lead = Lead.From(match, service.Now);
        await router.RouteAsync(lead, "system", options.Value.LeadTimeout, context.CancellationToken);
        try
        {
            await service.Leads.InsertAsync(lead, context.CancellationToken);
            LogLead(lead.Id, lead.SubMarket, lead.Field, lead.BrokerId);
        }
        catch (DocumentExistsException)
        {
            // the same match, delivered twice at once: the other delivery made the lead
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Lead {LeadId} ({SubMarket}, {Field}) offered to broker {BrokerId} (none: pooled)")]
    private partial void LogLead(Guid leadId, string subMarket, string field, Guid? brokerId);
}

/// <summary>
/// Opens the deal of an accepted lead. The request that accepted the lead opens it at once; this
/// consumer makes sure it exists even if that process stopped between the two writes.
/// </summary>
internal sealed class LeadAcceptedConsumer(BrokerService service) : IConsumer<LeadAccepted>
{
    public Task Consume(ConsumeContext<LeadAccepted> context) => service.OpenDealAsync(context.Message, context.CancellationToken);
}
