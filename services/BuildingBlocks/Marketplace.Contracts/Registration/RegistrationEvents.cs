namespace Marketplace.Contracts.Registration;

// Integration events owned by the contract-registration service (技术合同认定登记).

/// <summary>
/// A technology contract was registered. Amounts in yuan: the contract amount (成交额) and the
/// registrable technology transaction amount (技术交易额). <see cref="DealId"/> links the broker's deal;
/// <see cref="ApplicantOrg"/> lets the broker check for itself that the applicant is a party to it.
/// </summary>
public sealed record ContractRegistered
{
    public required Guid ContractId { get; init; }
    public required string RegistrationNumber { get; init; }
    public Guid? DealId { get; init; }
    /// <summary>The organisation that applied (the seller's side). Absent in events of releases before it was added.</summary>
    public string? ApplicantOrg { get; init; }
    public required string Type { get; init; }
    public string? Subtype { get; init; }
    public string? Field { get; init; }
    public required string RegistrationPoint { get; init; }
    public required decimal ContractAmount { get; init; }
    public required decimal TechnologyTransactionAmount { get; init; }
    public required DateTimeOffset RegisteredAt { get; init; }
}

/// <summary>A registrar refused to register a contract (不予登记), with the reasons.</summary>
public sealed record ContractRefused
{
    public required Guid ContractId { get; init; }
    public Guid? DealId { get; init; }
    public string? ApplicantOrg { get; init; }
    public required string RegistrationPoint { get; init; }
    public required IReadOnlyList<string> Reasons { get; init; }
    public string? Note { get; init; }
    public required DateTimeOffset RefusedAt { get; init; }
}

/// <summary>A registration was revoked: from now on it verifies as revoked.</summary>
public sealed record RegistrationRevoked
{
    public required Guid ContractId { get; init; }
    public required string RegistrationNumber { get; init; }
    public Guid? DealId { get; init; }
    public string? ApplicantOrg { get; init; }
    public required string RegistrationPoint { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset RevokedAt { get; init; }
}

/// <summary>An applicant submitted (or resubmitted after correction) an application to a registration point.</summary>
public sealed record ApplicationSubmitted
{
    public required Guid ContractId { get; init; }
    public required string ApplicantOrg { get; init; }
    public required string RegistrationPoint { get; init; }
    public required string ContractName { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
}

/// <summary>A registrar returned an application for correction (补正), saying what to correct.</summary>
public sealed record ApplicationReturned
{
    public required Guid ContractId { get; init; }
    public required string ApplicantOrg { get; init; }
    public required string RegistrationPoint { get; init; }
    public required string ContractName { get; init; }
    public required string Note { get; init; }
    public required DateTimeOffset ReturnedAt { get; init; }
}

/// <summary>
/// A decision deadline ran into a year whose official working-day calendar (the State Council's holiday
/// notice) is not loaded: it was counted on weekdays and marked provisional. Raised once per year; the
/// admins are to load that year's notice.
/// </summary>
public sealed record WorkingCalendarMissing
{
    public required int Year { get; init; }
    /// <summary>The day the first such deadline was counted from.</summary>
    public required DateOnly DeadlineFrom { get; init; }
    public required DateTimeOffset DetectedAt { get; init; }
}
