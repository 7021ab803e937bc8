namespace Marketplace.Contracts;

// Wire codes shared by every service (DESIGN.md §1). On the wire every enum is a lower-case
// snake string: PendingReview ↔ "pending_review".

public enum ListingKind { Offer, Demand, Challenge }

public enum ListingStatus { Draft, PendingReview, Published, Rejected, Withdrawn, Expired }

public enum IpType
{
    InventionPatent,   // 发明专利
    UtilityModel,      // 实用新型
    DesignPatent,      // 外观设计
    SoftwareCopyright, // 软件著作权
    IcLayout,          // 集成电路布图设计
    PlantVariety,      // 植物新品种
    TradeSecret,       // 技术秘密
}

public enum TransferMode
{
    Transfer,          // 转让
    ExclusiveLicense,  // 独占许可
    SoleLicense,       // 排他许可
    OrdinaryLicense,   // 普通许可
    Equity,            // 作价入股
    JointDevelopment,  // 合作开发
    TechService,       // 技术服务
}

/// <summary>技术经纪人等级: 初级 / 中级 / 高级.</summary>
public enum BrokerLevel { Junior, Intermediate, Senior }

public enum BrokerStatus { Pending, Active, Suspended }

/// <summary>A deal's stages, in order; <see cref="Lost"/> can be reached from any open stage.</summary>
public enum DealStage { Lead, Contacted, Negotiating, Agreed, ContractSigned, Registered, Closed, Lost }

public enum CommissionKind { Percentage, Fixed }

public static class Roles
{
    public const string University = "university";
    public const string Enterprise = "enterprise";
    public const string Broker = "broker";
    public const string Operator = "operator";
    public const string Registrar = "registrar";
    public const string Tax = "tax";
    public const string Admin = "admin";

    public static readonly IReadOnlyList<string> All = [University, Enterprise, Broker, Operator, Registrar, Tax, Admin];
}

/// <summary>Claim names carried by the market's JWTs.</summary>
public static class MarketClaims
{
    public const string Subject = "sub";
    public const string Role = "role";
    public const string Organisation = "org";
    public const string OrganisationName = "orgName";
    public const string SubMarket = "subMarket";
    public const string Name = "name";
    /// <summary>"true" for the seeded demo accounts: what they create is marked as demo data.</summary>
    public const string Demo = "demo";
    /// <summary>
    /// The account's session generation when the token was issued: disabling the account or an admin's new
    /// password moves it on, and the gateway then refuses every token and portal session of the old one.
    /// </summary>
    public const string Sessions = "sessions";
}

/// <summary>An interest (对接意向): open until the listing's owner accepts or declines it, or the sender withdraws it.</summary>
public enum InterestStatus { Open, Accepted, Declined, Withdrawn }

/// <summary>What a notification is about; each user chooses per kind whether it also comes by email.</summary>
public enum NotificationKind
{
    ListingApproved,
    ListingRejected,
    InterestReceived,
    InterestAccepted,
    InterestDeclined,
    InterestWithdrawn,
    InterestMessage,
    LeadOffered,
    LeadMovedOn,
    DealStageChanged,
    ProposalReceived,
    ChallengeAwarded,
    ApplicationSubmitted,
    ApplicationRegistered,
    ApplicationReturned,
    ApplicationRefused,
    ApplicationRevoked,
    BrokerApproved,
    /// <summary>Admins: a deadline reached a year whose official working-day calendar is not loaded.</summary>
    WorkingCalendarMissing,
}
