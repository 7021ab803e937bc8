using Marketplace.Contracts.Registration;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Http;

namespace Marketplace.Broker.Deals;

/// <summary>A contract that cannot be linked to the deal asked for: the answer is about the registration number given.</summary>
internal sealed class ContractNotLinkableException(int status, string message) : DomainException(message)
{
    public int Status { get; } = status;
}

/// <summary>
/// How a deal comes to name its registered contract, by either path: a <see cref="ContractRegistered"/>
/// that names the deal, or whoever runs the deal giving the contract's registration number. Both ask
/// the same: the applicant is one of the deal's parties or owns its offer or its demand, the deal's
/// stage allows registration, and no other deal has the contract — which the deal claims on its
/// <see cref="KnownContract"/> before it moves, and gives back if it could not move after all.
/// </summary>
internal sealed class ContractLinks(BrokerService service, AggregateStore<KnownContract> contracts, AggregateStore<ListingOwner> owners)
{
    private const int MaxAttempts = 10;

    /// <summary>Remembers a registration (once; a redelivery changes nothing).</summary>
    public Task<KnownContract> RecordAsync(ContractRegistered registered, CancellationToken ct) =>
        UpsertAsync(registered.RegistrationNumber, () => KnownContract.From(registered), c => c.Learn(registered), ct);

    /// <summary>Remembers that a registration was revoked: its contract can no longer be linked.</summary>
    public Task<KnownContract> RevokeAsync(RegistrationRevoked revoked, CancellationToken ct) =>
        UpsertAsync(revoked.RegistrationNumber, () => KnownContract.From(revoked), c => c.Revoke(revoked), ct);

    /// <summary>Whether <paramref name="applicant"/> is a party or owns the deal's offer or its demand (a registration that does not say who applied cannot be checked).</summary>
    public async Task<bool> IsPartyAsync(Deal deal, string? applicant, CancellationToken ct)
    {
        if (applicant is null) return false;
        if (deal.HasParty(applicant)) return true;
        foreach (var listing in new[] { deal.OfferId, deal.DemandId }.OfType<Guid>())
        {
            if ((await owners.FindAsync(listing.ToString(), ct))?.OwnerOrg == applicant) return true;
        }
        return false;
    }

    /// <summary>Claims the contract for <paramref name="dealId"/>; false when another deal has it.</summary>
    public async Task<bool> ClaimAsync(string number, Guid dealId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            var contract = await contracts.FindAsync(number, ct) ?? throw new InvalidOperationException($"Contract {number} is not known.");
            if (contract.DealId == dealId) return true;
            if (!contract.LinkTo(dealId)) return false;
            try
            {
                await contracts.SaveAsync(contract, ct);
                return true;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
                // another link (or the revocation) came first: decide again on the fresh state
            }
        }
    }

    /// <summary>Gives back the claim of <paramref name="dealId"/>, when the deal could not take the contract after all.</summary>
    public async Task ReleaseAsync(string number, Guid dealId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (await contracts.FindAsync(number, ct) is not { } contract || contract.DealId != dealId) return;
            contract.Unlink(dealId);
            try
            {
                await contracts.SaveAsync(contract, ct);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < MaxAttempts)
            {
            }
        }
    }

    /// <summary>
    /// Whoever runs the deal links it to the registered contract whose number <paramref name="input"/>
    /// gives: the deal moves to registered exactly as the event would have moved it. Asked again for
    /// the contract it already has, the deal is answered as it is.
    /// </summary>
    /// <exception cref="ContractNotLinkableException">the number is unknown or revoked, its applicant no party, or another deal has it.</exception>
    /// <exception cref="ConflictException">the deal is registered already, closed or lost.</exception>
    public async Task<Deal> LinkAsync(Guid dealId, ContractLinkInput? input, MarketUser user, IfMatch? ifMatch, CancellationToken ct)
    {
        var current = await service.DealAsync(dealId, ct);
        DealAccess.EnsureCanRun(current, user);
        var number = DealRules.RegistrationNumber(input);
        if (current.Contract?.RegistrationNumber == number) return current;
        var claimed = false;
        try
        {
            return await service.Deals.ChangeAsync(t => service.DealAsync(dealId, t), ifMatch, d => DealAccess.EnsureCanRun(d, user), async deal =>
            {
                if (!deal.CanRegister)
                {
                    throw new ConflictException(deal.Contract is { } has
                        ? $"该交易已关联登记合同 {has.RegistrationNumber} / The deal is registered already, as {has.RegistrationNumber}."
                        : $"交易已结束，不能再关联合同 / The deal is {Deal.Code(deal.Stage)} and cannot take a contract any more.");
                }
                var contract = await contracts.FindAsync(number, ct);
                if (contract?.Registration is not { } registration)
                {
                    throw new ContractNotLinkableException(StatusCodes.Status422UnprocessableEntity,
                        $"未找到登记号为 {number} 的已登记合同，请核对登记号；合同刚登记的，请稍后再试 / No registered contract is known as {number}: check the number, or retry in a minute if it was just registered.");
                }
                if (contract.IsRevoked)
                    throw new ContractNotLinkableException(StatusCodes.Status422UnprocessableEntity, $"登记号 {number} 的登记已撤销，不能关联 / The registration {number} was revoked.");
                if (contract.DealId is { } other && other != deal.Id)
                    throw LinkedElsewhere(number);
                if (!await IsPartyAsync(deal, contract.ApplicantOrg, ct))
                {
                    throw new ContractNotLinkableException(StatusCodes.Status422UnprocessableEntity,
                        $"登记号 {number} 的合同申请方不是本交易的一方，不能关联 / The applicant of contract {number} is not a party to this deal.");
                }
                if (!await ClaimAsync(number, deal.Id, ct)) throw LinkedElsewhere(number);
                claimed = true;
                deal.Register(registration, service.Now);
            }, ct);
        }
        catch when (claimed)
        {
            await ReleaseAsync(number, dealId, CancellationToken.None);
            throw;
        }
    }

    private static ContractNotLinkableException LinkedElsewhere(string number) =>
        new(StatusCodes.Status409Conflict, $"登记号 {number} 的合同已关联其他交易 / Contract {number} is linked to another deal.");

    /// <summary>Reads the contract, changes or creates it, and writes with the version check; a lost race reads again.</summary>
    private async Task<KnownContract> UpsertAsync(string number, Func<KnownContract> create, Func<KnownContract, bool> change, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (await contracts.FindAsync(number, ct) is not { } contract)
                {
                    contract = create();
                    await contracts.InsertAsync(contract, ct);
                }
                else if (change(contract))
                {
                    await contracts.SaveAsync(contract, ct);
                }
                return contract;
            }
            catch (Exception e) when ((e is ConcurrencyConflictException or DocumentExistsException) && attempt < MaxAttempts)
            {
                // the other event of the same registration came at the same time
            }
        }
    }
}
