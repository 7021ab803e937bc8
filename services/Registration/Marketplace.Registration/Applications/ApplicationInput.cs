using Marketplace.Contracts;
using Marketplace.Registration.Rules;

namespace Marketplace.Registration.Applications;

internal sealed record PartyInput(string? Name, string? CreditCode, string? RegionCode);

internal sealed record CostInput(string? Item, decimal? Amount, bool? Carrier);

internal sealed record IpItemInput(IpType? Type, string? Number, DateOnly? ExpiresOn);

/// <summary>The application as the seller writes it (DESIGN.md §3.4). A draft may be incomplete; submitting checks it against the rules.</summary>
internal sealed record ApplicationInput
{
    public string? Title { get; init; }
    public ContractType? Type { get; init; }
    public ContractSubtype? Subtype { get; init; }
    public string? Field { get; init; }
    public PartyInput? Seller { get; init; }
    public PartyInput? Buyer { get; init; }
    public DateOnly? SignedOn { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public decimal? TotalAmount { get; init; }
    public IReadOnlyList<CostInput>? NonTechnicalCosts { get; init; }
    public IReadOnlyList<IpItemInput>? IpItems { get; init; }
    public int? LicenseTermYears { get; init; }
    public Exclusivity? Exclusivity { get; init; }
    public bool? LicenseWorldwide { get; init; }
    public bool? Disputed { get; init; }
    public Guid? DealId { get; init; }
    /// <summary>The registration point (sub-market code); defaults to the caller's sub-market.</summary>
    public string? RegistrationPoint { get; init; }
}

internal sealed record RegisterInput(string? Note);

internal sealed record RefuseInput(IReadOnlyList<string>? Reasons, string? Note);

internal sealed record NoteInput(string? Note);

internal sealed record ReasonInput(string? Reason);

internal sealed record TaxCheckInput(string? CaseReference, string? Note);
