using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Gateway.Identity;

/// <summary>Kinds of organisation that hold accounts on the market.</summary>
public enum OrganisationKind
{
    University,        // 高校、科研院所
    Enterprise,        // 企业
    BrokerAgency,      // 技术转移机构
    MarketOperator,    // 市场运营机构
    RegistrationPoint, // 技术合同登记点
    TaxOffice,         // 税务机关
    Platform,          // 平台运维
}

public sealed class Organisation : AggregateRoot
{
    private Organisation() { }

    public string Id { get; private set; } = "";
    public string Name { get; private set; } = "";
    /// <summary>统一社会信用代码</summary>
    public string CreditCode { get; private set; } = "";
    public OrganisationKind Kind { get; private set; }
    public string SubMarket { get; private set; } = "";
    public bool IsDemo { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public override string StoreId => Id;

    public static Organisation Create(string id, string name, string creditCode, OrganisationKind kind, string subMarket, bool isDemo, DateTimeOffset now) => new()
    {
        Id = id, Name = name, CreditCode = creditCode, Kind = kind, SubMarket = subMarket, IsDemo = isDemo, CreatedAt = now,
    };
}
