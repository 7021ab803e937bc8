using Marketplace.Contracts;
using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Listing;
using Marketplace.Contracts.Registration;

namespace Marketplace.Notifications.Tests;

/// <summary>Events as the other services publish them.</summary>
public static class Events
{
    public static ListingSnapshot Listing(string ownerOrg, ListingKind kind = ListingKind.Offer, string title = "陶瓷涂覆锂电池隔膜制备技术") => new()
    {
        Id = Guid.NewGuid(), Version = 3, Kind = kind, Status = ListingStatus.Published, OwnerOrg = ownerOrg, OwnerOrgName = ownerOrg + " 名称",
        SubMarket = "changsha", Title = title, Summary = "隔膜", Description = "陶瓷涂覆隔膜的浆料配方与涂布工艺", Field = "new-energy",
        PublishedAt = DateTimeOffset.UtcNow, UpdatedAt = DateTimeOffset.UtcNow,
    };

    public static InterestParties Interest(string fromOrg, string toOrg, string title = "高镍三元正极材料制备技术") => new()
    {
        InterestId = Guid.NewGuid(), ListingId = Guid.NewGuid(), ListingKind = ListingKind.Offer, ListingTitle = title,
        SubMarket = "changsha", Field = "new-energy", FromOrg = fromOrg, FromOrgName = "株洲轨道装备公司", ToOrg = toOrg, ToOrgName = "湖南示范大学",
    };

    public static DealStageChanged Deal(string[] parties, string? brokerSubject, string changedBy, DealStage to, DealStage? from = null, string? note = null) => new()
    {
        DealId = Guid.NewGuid(), Version = 2, BrokerId = brokerSubject is null ? null : Guid.NewGuid(), BrokerSubject = brokerSubject, Parties = parties,
        Title = "隔膜技术许可", From = from, To = to, SubMarket = "changsha", Field = "new-energy", Note = note, ChangedBy = changedBy,
        ChangedAt = DateTimeOffset.UtcNow,
    };

    public static ContractRegistered Registered(string? applicantOrg) => new()
    {
        ContractId = Guid.NewGuid(), RegistrationNumber = "2026430101000123", ApplicantOrg = applicantOrg, Type = "transfer",
        RegistrationPoint = "changsha", ContractAmount = 500_000m, TechnologyTransactionAmount = 450_000m, RegisteredAt = DateTimeOffset.UtcNow,
    };
}
