using Marketplace.Broker.Brokers;
using Marketplace.Contracts.Listing;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Marketplace.Broker.Deals;

/// <summary>
/// An accepted introduction (对接意向) opens a deal at contacted between the interested organisation
/// and the listing's owner, with the broker leads would go to — unless both sides chose to go
/// without one, or no broker of the sub-market covers the field: then the parties run it themselves.
/// The deal's id derives from the interest, so a redelivered or replayed acceptance finds it there
/// and changes nothing.
/// </summary>
internal sealed partial class InterestAcceptedConsumer(BrokerService service, BrokerRouter router, ILogger<InterestAcceptedConsumer> logger)
    : IConsumer<InterestAccepted>
{
    public async Task Consume(ConsumeContext<InterestAccepted> context)
    {
        var accepted = context.Message;
        var interest = accepted.Interest;
        if (await service.Deals.FindAsync(Deal.IdForInterest(interest.InterestId).ToString(), context.CancellationToken) is not null) return;
        var broker = accepted.WithoutBroker ? null
            : await router.ChooseAsync(interest.SubMarket, interest.Field, new HashSet<Guid>(), context.CancellationToken);
        var deal = await service.InsertOnceAsync(Deal.FromInterest(accepted, broker?.AsRef()), context.CancellationToken);
        LogOpened(deal.Id, interest.InterestId, deal.BrokerId, accepted.WithoutBroker);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deal {DealId} opened from interest {InterestId} with broker {BrokerId} (none: the parties run it; they chose none: {WithoutBroker})")]
    private partial void LogOpened(Guid dealId, Guid interestId, Guid? brokerId, bool withoutBroker);
}
