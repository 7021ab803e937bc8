using Marketplace.Contracts.Registration;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Broker.Deals;

/// <summary>
/// A registered contract the broker service heard of, by its registration number (合同登记编号): a
/// contract registered without naming a deal can still be linked to one later, by its number, and
/// to one deal only. Learnt from the registration service's events, never from a caller.
/// </summary>
internal sealed class KnownContract : AggregateRoot
{
    public const string Collection = "known_contracts";

    private KnownContract() { }

    public string RegistrationNumber { get; private set; } = "";
    public Guid ContractId { get; private set; }
    public string? ApplicantOrg { get; private set; }
    /// <summary>The registration as announced; null while only its revocation has arrived (the two can cross).</summary>
    public ContractRegistered? Registration { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    /// <summary>The deal the contract moved to registered (or is being linked to).</summary>
    public Guid? DealId { get; private set; }

    public override string StoreId => RegistrationNumber;

    public bool IsRevoked => RevokedAt is not null;

    public static KnownContract From(ContractRegistered registered) => new()
    {
        RegistrationNumber = registered.RegistrationNumber, ContractId = registered.ContractId, ApplicantOrg = registered.ApplicantOrg,
        Registration = registered,
    };

    public static KnownContract From(RegistrationRevoked revoked) => new()
    {
        RegistrationNumber = revoked.RegistrationNumber, ContractId = revoked.ContractId, ApplicantOrg = revoked.ApplicantOrg,
        RevokedAt = revoked.RevokedAt,
    };

    /// <returns>whether anything was new (a redelivered registration is not).</returns>
    public bool Learn(ContractRegistered registered)
    {
        if (Registration is not null) return false;
        Registration = registered;
        ApplicantOrg ??= registered.ApplicantOrg;
        return true;
    }

    /// <returns>whether anything was new.</returns>
    public bool Revoke(RegistrationRevoked revoked)
    {
        if (IsRevoked) return false;
        RevokedAt = revoked.RevokedAt;
        return true;
    }

    /// <summary>Claims the contract for <paramref name="dealId"/> before the deal is moved, so two deals cannot both take it.</summary>
    /// <returns>false when another deal has it.</returns>
    public bool LinkTo(Guid dealId)
    {
        if (DealId is { } linked) return linked == dealId;
        DealId = dealId;
        return true;
    }

    /// <summary>Gives the claim back when the deal could not be moved after all.</summary>
    public void Unlink(Guid dealId)
    {
        if (DealId == dealId) DealId = null;
    }
}
