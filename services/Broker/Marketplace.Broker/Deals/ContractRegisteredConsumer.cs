using Marketplace.Contracts.Registration;
using Marketplace.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Marketplace.Broker.Deals;

/// <summary>
/// A registered contract that names a deal moves the deal to registered. Replays change nothing:
/// a deal at or past registered ignores the event. The broker does not take the registration's
/// word for the link: the applicant must be one of the deal's parties (both sides of an introduction
/// are named on its deal) or own the deal's offer or its demand, by what this service has learnt
/// from the listing service itself; otherwise the deal is left as it was and the
/// mismatch logged (a contract cannot take over someone else's deal).
/// </summary>
internal sealed partial class ContractRegisteredConsumer(BrokerService service, AggregateStore<ListingOwner> owners, ILogger<ContractRegisteredConsumer> logger)
    : IConsumer<ContractRegistered>
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
            if (attempt == 1 && !await IsPartyAsync(deal, registered.ApplicantOrg, context.CancellationToken))
            {
                LogNotAParty(registered.ContractId, dealId, registered.ApplicantOrg ?? "(not given)");
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

    /// <summary>Whether <paramref name="applicant"/> is a party or owns the deal's offer or its demand (an event that does not say who applied cannot be checked).</summary>
    private async Task<bool> IsPartyAsync(Deal deal, string? applicant, CancellationToken ct)
    {
        if (applicant is null) return false;
        if (deal.HasParty(applicant)) return true;
        foreach (var listing in new[] { deal.OfferId, deal.DemandId }.OfType<Guid>())
        {
            if ((await owners.FindAsync(listing.ToString(), ct))?.OwnerOrg == applicant) return true;
        }
        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Contract {ContractId} ignored: its applicant {ApplicantOrg} is not a party to deal {DealId}")]
    private partial void LogNotAParty(Guid contractId, Guid dealId, string applicantOrg);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Contract {ContractId} names deal {DealId}, which does not exist here")]
    private partial void LogUnknownDeal(Guid contractId, Guid dealId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Contract {ContractId} for deal {DealId} ignored: the deal is {Stage}")]
    private partial void LogIgnored(Guid contractId, Guid dealId, string stage);
}
