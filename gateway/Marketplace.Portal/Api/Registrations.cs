using Marketplace.Contracts;

namespace Marketplace.Portal.Api;

// What the portal reads of the registration service (GET /api/contracts, /api/verify,
// /api/registrations, /api/stats) and what it sends it. The registration module keeps these
// enums to itself; the portal's copies have the same wire codes.

public enum ApplicationStatus { Draft, Submitted, ReturnedForCorrection, Registered, Refused, Revoked }

public enum ContractType { Development, Transfer, License, Consulting, Service }

public enum ContractSubtype
{
    Commissioned, Cooperative,
    PatentTransfer, PatentApplicationTransfer, TechnicalSecretTransfer, OtherRightsTransfer, EquityContribution,
    PatentLicense, TechnicalSecretLicense, OtherRightsLicense,
    Consulting,
    TechnicalService, Training, Intermediary,
}

/// <summary>独占 / 排他 / 普通许可.</summary>
public enum Exclusivity { Exclusive, Sole, Ordinary }

/// <summary><c>Error</c> must be corrected; <c>Refusal</c> is a reason not to register (不予登记).</summary>
public enum Severity { Error, Refusal, Warning, Info }

/// <summary>What anyone learns of a registration number.</summary>
public enum VerificationStatus { Valid, Revoked, Unknown }

public sealed record Party(string? Name, string? CreditCode, string? RegionCode);

/// <summary>A non-technical cost; <see cref="Carrier"/> marks a reasonable technology-carrier cost, which is not deducted.</summary>
public sealed record CostItem(string? Item, decimal? Amount, bool Carrier);

public sealed record IpItem(IpType? Type, string? Number);

/// <summary>One thing the rules engine found, with the rule version and the rule it comes from; <see cref="Field"/> is the
/// application's field it is about ("seller.creditCode", "ipItems[0]"), when it is about one.</summary>
public sealed record Finding(string Code, Severity Severity, string Message, string RuleVersion, string RuleRef, string? Field = null);

public sealed record TaxRelief(string Name, string Condition, string RuleRef);

public sealed record ApplicationHistoryEntry(DateTimeOffset At, string Action, ApplicationStatus Status, string? Note);

/// <summary>A 技术合同认定登记 application.</summary>
public sealed record ApplicationView
{
    public Guid Id { get; init; }
    public ApplicationStatus Status { get; init; }
    public long Version { get; init; }
    public Guid? DealId { get; init; }
    public string? Title { get; init; }
    public ContractType? Type { get; init; }
    public ContractSubtype? Subtype { get; init; }
    public string? Field { get; init; }
    public Party? Seller { get; init; }
    public Party? Buyer { get; init; }
    public DateOnly? SignedOn { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public decimal? TotalAmount { get; init; }
    public IReadOnlyList<CostItem> NonTechnicalCosts { get; init; } = [];
    public IReadOnlyList<IpItem> IpItems { get; init; } = [];
    public int? LicenseTermYears { get; init; }
    public Exclusivity? Exclusivity { get; init; }
    public string? RegistrationNumber { get; init; }
    /// <summary>技术交易额</summary>
    public decimal? TechnologyTransactionAmount { get; init; }
    public DateOnly? ReceivedOn { get; init; }
    public DateOnly? DecisionDue { get; init; }
    /// <summary>Counted on weekdays for a year whose holiday notice is not loaded yet: it may still move.</summary>
    public bool DecisionDueProvisional { get; init; }
    public bool Overdue { get; init; }
    public string? RuleVersion { get; init; }
    public IReadOnlyList<Finding>? Findings { get; init; }
    public IReadOnlyList<TaxRelief>? TaxReliefs { get; init; }
    public IReadOnlyList<string> RefusalReasons { get; init; } = [];
    public string? RegistrarNote { get; init; }
    public IReadOnlyList<ApplicationHistoryEntry> History { get; init; } = [];
    /// <summary>The contract text and its annexes (oldest first).</summary>
    public IReadOnlyList<FileView> Documents { get; init; } = [];
}

/// <summary>The body of <c>POST /api/contracts</c>, <c>PUT /api/contracts/{id}</c> and <c>POST /api/contracts/precheck</c>.</summary>
public sealed record ApplicationRequest
{
    public string Title { get; init; } = "";
    public ContractType? Type { get; init; }
    public ContractSubtype? Subtype { get; init; }
    public string? Field { get; init; }
    public Party? Seller { get; init; }
    public Party? Buyer { get; init; }
    public DateOnly? SignedOn { get; init; }
    public DateOnly? ValidFrom { get; init; }
    public DateOnly? ValidTo { get; init; }
    public decimal? TotalAmount { get; init; }
    public IReadOnlyList<CostItem> NonTechnicalCosts { get; init; } = [];
    public IReadOnlyList<IpItem> IpItems { get; init; } = [];
    public int? LicenseTermYears { get; init; }
    public Exclusivity? Exclusivity { get; init; }
    public Guid? DealId { get; init; }
}

public sealed record RuleDecision(decimal? TechnologyTransactionAmount, IReadOnlyList<Finding> Findings);

/// <summary>The rules engine's answer for an application that is not saved: the seller's self-check.</summary>
public sealed record PrecheckView(RuleDecision Decision, bool Registrable);

/// <summary>A registrar's decision: a note for register and return, reasons (catalogue codes or own words) for refuse.</summary>
public sealed record DecisionRequest(string? Note, IReadOnlyList<string>? Reasons = null);

public sealed record VerificationView
{
    public string RegistrationNumber { get; init; } = "";
    public VerificationStatus Status { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }
    public string? RevocationReason { get; init; }
    // tax staff only
    public Party? Seller { get; init; }
    public Party? Buyer { get; init; }
    public ContractType? Type { get; init; }
    public ContractSubtype? Subtype { get; init; }
    public decimal? ContractAmount { get; init; }
    public decimal? TechnologyTransactionAmount { get; init; }
    public DateTimeOffset? RegisteredAt { get; init; }
    public IReadOnlyList<TaxRelief>? EligibleReliefs { get; init; }
}

/// <summary>A verification a tax office recorded against its case.</summary>
public sealed record TaxCheck(DateTimeOffset At, string By, string CaseReference, string? Note, string StatusSeen);

public sealed record TaxCheckList(IReadOnlyList<TaxCheck> Items);

public sealed record TaxCheckRequest(string? CaseReference, string? Note);

/// <summary>What the registration authority signed.</summary>
public sealed record CertificateBody
{
    public string RegistrationNumber { get; init; } = "";
    public string Title { get; init; } = "";
    public ContractType Type { get; init; }
    public ContractSubtype? Subtype { get; init; }
    public string SellerName { get; init; } = "";
    public string SellerCreditCode { get; init; } = "";
    public string BuyerName { get; init; } = "";
    public string BuyerCreditCode { get; init; } = "";
    public DateOnly SignedOn { get; init; }
    public DateOnly ValidFrom { get; init; }
    public DateOnly ValidTo { get; init; }
    public decimal ContractAmount { get; init; }
    public decimal TechnologyTransactionAmount { get; init; }
    public string RegistrationPoint { get; init; } = "";
    public string RuleVersion { get; init; } = "";
    public DateTimeOffset RegisteredAt { get; init; }
    public string Issuer { get; init; } = "";
    /// <summary>Every document of the application, with the SHA-256 recorded when it was registered.</summary>
    public IReadOnlyList<CertificateDocument> Documents { get; init; } = [];
}

/// <summary>The signed certificate (ES256): the signature is over <c>document</c>, whose content is <see cref="Certificate"/>.</summary>
public sealed record SignedCertificate(string Signature, string Algorithm, CertificateBody Certificate);

/// <summary>Registered contracts of one group: 成交额 (turnover) and 技术交易额.</summary>
public sealed record TurnoverGroup(string Key, int Count, decimal Turnover, decimal TechnologyTransactionAmount);

/// <summary>The plan's turnover target: the base year's turnover × the multiple, by the target year (progress is Achieved ÷ Target).</summary>
public sealed record TurnoverTarget(int BaseYear, decimal BaseTurnover, decimal Multiple, int TargetYear, decimal Target, decimal Achieved);

/// <summary>
/// Registered contracts in one view — <c>registration</c> (by registration point), <c>output</c> (技术输出, by the
/// seller's region), <c>absorption</c> (技术吸纳, by the buyer's region) — grouped as asked.
/// </summary>
public sealed record TurnoverStats(int Count, decimal Turnover, decimal TechnologyTransactionAmount, IReadOnlyList<TurnoverGroup> Groups)
{
    public string View { get; init; } = "registration";
    public string GroupBy { get; init; } = "subMarket";
    public TurnoverTarget? Target { get; init; }
}

/// <summary>A year of the official working-day calendar in the list: loaded, or only known to be missing (deadlines into it are provisional).</summary>
public sealed record CalendarYearSummary(int Year, bool Loaded, string? Source, DateTimeOffset UpdatedAt, long Version);

/// <summary>A loaded year: the State Council notice's days off and the weekend days made working days (调休).</summary>
public sealed record CalendarYearView(int Year, string? Source, IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> WorkingDays, DateTimeOffset UpdatedAt, long Version);

/// <summary>The body of <c>PUT /api/working-calendar/{year}</c>.</summary>
public sealed record CalendarInput(IReadOnlyList<DateOnly> Holidays, IReadOnlyList<DateOnly> WorkingDays, string Source);

/// <summary>The answer to a load or correction: the year, whether it changed, and how many pending deadlines moved.</summary>
public sealed record CalendarSetView(CalendarYearView Calendar, bool Changed, int DeadlinesRecounted);
