using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Registration;
using Marketplace.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Marketplace.Listing.Interests;

/// <summary>
/// What an interest learns from the deal opened from it: the deal's id and broker (from the broker
/// service's stage changes) and that a contract of the deal was registered (for the funnel). Each
/// is idempotent through the interest itself: a stage change counts only when its deal version is
/// newer than the last one learnt, and a registration is marked once. Events about interests or
/// deals this service does not know are ignored.
/// </summary>
internal sealed partial class InterestDealConsumer(InterestService service, ILogger<InterestDealConsumer> logger)
    : IConsumer<DealStageChanged>, IConsumer<ContractRegistered>
{
    private const int MaxAttempts = 20;

    public async Task Consume(ConsumeContext<DealStageChanged> context)
    {
        var changed = context.Message;
        if (changed.InterestId is not { } interestId) return;
        await ChangeAsync(ct => service.Store.FindAsync(interestId.ToString(), ct), i => i.LearnDeal(changed, service.Now), context.CancellationToken);
    }

    public async Task Consume(ConsumeContext<ContractRegistered> context)
    {
        var registered = context.Message;
        if (registered.DealId is not { } dealId) return;
        await ChangeAsync(async ct =>
        {
            var (found, _) = await service.Store.QueryAsync(new DocumentQuery { Filters = [FieldFilter.Eq("dealId", dealId.ToString())], Take = 1, CountTotal = false }, ct);
            return found.FirstOrDefault();
        }, i =>
        {
            // as the broker service does: a registration counts only when it is one of the deal's parties that applied
            if (registered.ApplicantOrg is { } applicant && applicant != i.FromOrg && applicant != i.ToOrg)
            {
                LogNotAParty(registered.ContractId, dealId, applicant);
                return false;
            }
            return i.MarkRegistered(service.Now);
        }, context.CancellationToken);
    }

    /// <summary>Reads, changes if there is news, saves with the version check; a lost race reads again.</summary>
    private async Task ChangeAsync(Func<CancellationToken, Task<Interest?>> load, Func<Interest, bool> learn, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var interest = await load(ct);
            if (interest is null || !learn(interest)) return;
            try
            {
                await service.Store.SaveAsync(interest, ct);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                await Task.Delay(Random.Shared.Next(1, 10 * attempt), ct);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Contract {ContractId} names deal {DealId} of an interest, but its applicant {ApplicantOrg} is neither party; the funnel leaves it out")]
    private partial void LogNotAParty(Guid contractId, Guid dealId, string applicantOrg);
}
