using Marketplace.Contracts.Registration;
using Marketplace.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Marketplace.Broker.Deals;

/// <summary>
/// Every registered contract is remembered by its number (<see cref="KnownContract"/>), so one
/// registered without naming a deal can be linked to it later; a revoked one no longer can. A
/// registered contract that names a deal moves the deal to registered. Replays change nothing:
/// a deal at or past registered ignores the event. The broker does not take the registration's
/// word for the link: the applicant must be one of the deal's parties (both sides of an introduction
/// are named on its deal) or own the deal's offer or its demand, by what this service has learnt
/// from the listing service itself; otherwise the deal is left as it was and the
/// mismatch logged (a contract cannot take over someone else's deal, nor be the contract of two).
/// </summary>
internal sealed partial class ContractRegisteredConsumer(BrokerService service, ContractLinks links, ILogger<ContractRegisteredConsumer> logger)
    : IConsumer<ContractRegistered>, IConsumer<RegistrationRevoked>
{
    public async Task Consume(ConsumeContext<ContractRegistered> context)
    {
        var registered = context.Message;
        var ct = context.CancellationToken;
        var contract = await links.RecordAsync(registered, ct);
        if (registered.DealId is not { } dealId) return;
        for (var attempt = 1; ; attempt++)
        {
            var deal = await service.Deals.FindAsync(dealId.ToString(), ct);
            if (deal is null)
            {
                LogUnknownDeal(registered.ContractId, dealId);
                return;
            }
            if (attempt == 1 && !await links.IsPartyAsync(deal, registered.ApplicantOrg, ct))
            {
                LogNotAParty(registered.ContractId, dealId, registered.ApplicantOrg ?? "(not given)");
                return;
            }
            if (attempt == 1 && contract.IsRevoked)
            {
                LogRevoked(registered.ContractId, dealId);
                return;
            }
            if (!deal.CanRegister)
            {
                if (deal.Contract?.ContractId == registered.ContractId) return;
                LogIgnored(registered.ContractId, dealId, Deal.Code(deal.Stage));
                // a claim taken by an earlier attempt for a deal that then ended is given back
                if (deal.Contract?.RegistrationNumber != registered.RegistrationNumber)
                    await links.ReleaseAsync(registered.RegistrationNumber, dealId, ct);
                return;
            }
            if (!await links.ClaimAsync(registered.RegistrationNumber, dealId, ct))
            {
                LogLinkedElsewhere(registered.ContractId, dealId);
                return;
            }
            deal.Register(registered, service.Now);
            try
            {
                await service.Deals.SaveAsync(deal, ct);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < 10)
            {
                // the broker changed the deal meanwhile; apply the registration to the fresh state
            }
        }
    }

    public Task Consume(ConsumeContext<RegistrationRevoked> context) => links.RevokeAsync(context.Message, context.CancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Contract {ContractId} ignored: its applicant {ApplicantOrg} is not a party to deal {DealId}")]
    private partial void LogNotAParty(Guid contractId, Guid dealId, string applicantOrg);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Contract {ContractId} names deal {DealId}, which does not exist here")]
    private partial void LogUnknownDeal(Guid contractId, Guid dealId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Contract {ContractId} for deal {DealId} ignored: the deal is {Stage}")]
    private partial void LogIgnored(Guid contractId, Guid dealId, string stage);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Contract {ContractId} for deal {DealId} ignored: it is linked to another deal")]
    private partial void LogLinkedElsewhere(Guid contractId, Guid dealId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Contract {ContractId} for deal {DealId} ignored: its registration was revoked")]
    private partial void LogRevoked(Guid contractId, Guid dealId);
}
