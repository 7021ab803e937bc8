using Marketplace.Contracts;

namespace Marketplace.Registration.Rules;

/// <summary>The five contract types of the statistics since the Civil Code (arts. 862–863 made licensing its own type).</summary>
internal enum ContractType { Development, Transfer, License, Consulting, Service }

internal enum ContractSubtype
{
    Commissioned,              // 委托开发
    Cooperative,               // 合作开发
    PatentTransfer,            // 专利权转让
    PatentApplicationTransfer, // 专利申请权转让
    TechnicalSecretTransfer,   // 技术秘密转让
    OtherRightsTransfer,       // 集成电路布图设计、植物新品种、计算机软件著作权、生物医药新品种等转让
    EquityContribution,        // 技术入股
    PatentLicense,             // 专利实施许可
    TechnicalSecretLicense,    // 技术秘密使用许可
    OtherRightsLicense,        // 其他知识产权许可
    Consulting,                // 技术咨询
    TechnicalService,          // 技术服务
    Training,                  // 技术培训
    Intermediary,              // 技术中介
}

internal enum Exclusivity { Exclusive, Sole, Ordinary }

internal sealed record PartyFacts(string? Name, string? CreditCode, string? RegionCode);

/// <summary>A non-technical cost item; <see cref="Carrier"/> marks a reasonable technology-carrier cost, which is not deducted.</summary>
internal sealed record CostItem(string? Item, decimal? Amount, bool Carrier);

internal sealed record IpItemFacts(IpType? Type, string? Number, DateOnly? ExpiresOn);

/// <summary>What the rules look at: an application as the seller wrote it. No I/O, no ids.</summary>
internal sealed record ContractFacts
{
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
    public IReadOnlyList<CostItem> NonTechnicalCosts { get; init; } = [];
    public IReadOnlyList<IpItemFacts> IpItems { get; init; } = [];
    public int? LicenseTermYears { get; init; }
    public Exclusivity? Exclusivity { get; init; }
    /// <summary>A licence valid worldwide (the EIT relief for exclusive licences asks for it).</summary>
    public bool LicenseWorldwide { get; init; }
    /// <summary>The parties dispute the contract: expert review (2026 measures).</summary>
    public bool Disputed { get; init; }
}
