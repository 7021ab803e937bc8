using Marketplace.Registration.Rules;
using Marketplace.ServiceDefaults.Storage.Files;

namespace Marketplace.Registration.Applications;

internal sealed record ApplicationResponse
{
    public required Guid Id { get; init; }
    public required ApplicationStatus Status { get; init; }
    public required long Version { get; init; }
    public required string OwnerOrg { get; init; }
    public string? OwnerOrgName { get; init; }
    public required string RegistrationPoint { get; init; }
    public Guid? DealId { get; init; }
    public string? Title { get; init; }
    public ContractType? Type { get; init; }
    public ContractSubtype? Subtype { get; init; }
    public string? Field { get; init; }
    public PartyFacts? Seller { get; init; }
    public PartyFacts? Buyer { get; init; }
    public DateOnly? SignedOn { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public decimal? TotalAmount { get; init; }
    public required IReadOnlyList<CostItem> NonTechnicalCosts { get; init; }
    public required IReadOnlyList<IpItemFacts> IpItems { get; init; }
    public int? LicenseTermYears { get; init; }
    public Exclusivity? Exclusivity { get; init; }
    public bool LicenseWorldwide { get; init; }
    public bool Disputed { get; init; }
    public string? RegistrationNumber { get; init; }
    public DateTimeOffset? RegisteredAt { get; init; }
    public decimal? TechnologyTransactionAmount { get; init; }
    public DateOnly? ReceivedOn { get; init; }
    public DateOnly? DecisionDue { get; init; }
    /// <summary>The deadline was counted on weekdays for a year whose official calendar is not loaded yet.</summary>
    public bool DecisionDueProvisional { get; init; }
    public bool Overdue { get; init; }
    public string? RuleVersion { get; init; }
    public IReadOnlyList<Finding>? Findings { get; init; }
    public IReadOnlyList<TaxRelief>? TaxReliefs { get; init; }
    public IReadOnlyList<string> RefusalReasons { get; init; } = [];
    public string? RegistrarNote { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public string? RevocationReason { get; init; }
    public bool IsDemo { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required IReadOnlyList<ApplicationHistoryEntry> History { get; init; }
    /// <summary>The signed contract text and annexes (the application is read only by those who may read them).</summary>
    public required IReadOnlyList<FileResponse> Documents { get; init; }

    public static ApplicationResponse From(ContractApplication a, DateTimeOffset now) => new()
    {
        Id = a.Id,
        Status = a.Status,
        Version = a.Version,
        OwnerOrg = a.OwnerOrg,
        OwnerOrgName = a.OwnerOrgName,
        RegistrationPoint = a.RegistrationPoint,
        DealId = a.DealId,
        Title = a.Facts.Title,
        Type = a.Facts.Type,
        Subtype = a.Facts.Subtype,
        Field = a.Facts.Field,
        Seller = a.Facts.Seller,
        Buyer = a.Facts.Buyer,
        SignedOn = a.Facts.SignedOn,
        ValidFrom = a.Facts.ValidFrom,
        ValidTo = a.Facts.ValidTo,
        TotalAmount = a.Facts.TotalAmount,
        NonTechnicalCosts = a.Facts.NonTechnicalCosts,
        IpItems = a.Facts.IpItems,
        LicenseTermYears = a.Facts.LicenseTermYears,
        Exclusivity = a.Facts.Exclusivity,
        LicenseWorldwide = a.Facts.LicenseWorldwide,
        Disputed = a.Facts.Disputed,
        RegistrationNumber = a.RegistrationNumber,
        RegisteredAt = a.RegisteredAt,
        TechnologyTransactionAmount = a.Decision?.TechnologyTransactionAmount,
        ReceivedOn = a.ReceivedOn,
        DecisionDue = a.Decision?.DecisionDue,
        DecisionDueProvisional = a.Decision?.DecisionDueProvisional ?? false,
        Overdue = a.IsOverdue(now),
        RuleVersion = a.Decision?.RuleVersion,
        Findings = a.Decision?.Findings,
        TaxReliefs = a.Decision?.TaxReliefs,
        RefusalReasons = a.RefusalReasons,
        RegistrarNote = a.RegistrarNote,
        RevokedAt = a.RevokedAt,
        RevocationReason = a.RevocationReason,
        IsDemo = a.IsDemo,
        CreatedAt = a.CreatedAt,
        UpdatedAt = a.UpdatedAt,
        History = a.History,
        Documents = a.Documents.Select(FileResponse.From).ToList(),
    };
}

/// <summary>The rules engine's full answer for an application, without saving it.</summary>
internal sealed record PrecheckResponse(RuleDecision Decision, bool Registrable, IReadOnlyList<Finding> Errors, IReadOnlyList<Finding> RefusalReasons);
