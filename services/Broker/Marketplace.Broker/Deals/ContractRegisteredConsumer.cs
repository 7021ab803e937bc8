using Marketplace.Contracts.Registration;
using Marketplace.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Marketplace.Broker.Deals;

/// <summary>
/// A registered contract that names a deal moves the deal to registered. Replays change nothing:
/// a deal at or past registered ignores the event.
/// </summary>
internal sealed partial class ContractRegisteredConsumer(BrokerService service, ILogger<ContractRegisteredConsumer> logger) : IConsumer<ContractRegistered>
{
    public async Task Consume(ConsumeContext<ContractRegistered> context)
    {
        var registered = context.Message;
        if (registered.DealId is not { } dealId) return;
        for (var attempt = 1; ; attempt++)
        {
            var deal = await service.Deals.FindAsync(dealId.ToString(), context.CancellationToken);
            if (deal is null)
            {
                LogUnknownDeal(registered.ContractId, dealId);
                return;
            }
            if (!deal.Register(registered, service.Now))
            {
                if (deal.Contract?.ContractId != registered.ContractId) LogIgnored(registered.ContractId, dealId, Deal.Code(deal.Stage));
                return;
            }
            try
            {
                await service.Deals.SaveAsync(deal, context.CancellationToken);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < 10)
            {
                // the broker changed the deal meanwhile; apply the registration to the fresh state
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Contract {ContractId} names deal {DealId}, which does not exist here")]
    private partial void LogUnknownDeal(Guid contractId, Guid dealId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Contract {ContractId} for deal {DealId} ignored: the deal is {Stage}")]
    private partial void LogIgnored(Guid contractId, Guid dealId, string stage);
}
