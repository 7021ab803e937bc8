using System.Text.Json.Nodes;
using Marketplace.Broker.Leads;
using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Contracts.Matching;
using Marketplace.Contracts.Registration;
using Marketplace.TestKit;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Broker.Tests;

/// <summary>The broker host in-process, with the MassTransit test harness and a LiteDB file of its own.</summary>
public class BrokerApi() : ServiceApi<Program>("broker")
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Broker:LeadSweepInterval", "01:00:00"),
        new("Broker:LeadTimeout", "2.00:00:00"),
    ];

    public string Operator(string subMarket = "changsha") => Tokens.For(Roles.Operator, "operators-" + subMarket, subMarket, sub: "operator@" + subMarket);

    /// <summary>A new broker account (its own subject) of an organisation.</summary>
    public string BrokerAccount(string subMarket = "changsha", string? org = null, string? subject = null) =>
        Tokens.For(Roles.Broker, org ?? "agency-" + subMarket, subMarket, sub: subject ?? "broker-" + Guid.NewGuid().ToString("N")[..12]);

    public static object Profile(string[] fields, string level = "intermediate", string? subMarket = null, string name = "测试经纪人") => new
    {
        name,
        level,
        certificateNumber = "CERT-" + Guid.NewGuid().ToString("N")[..8],
        subMarket,
        fields,
        contact = new { phone = "13800138000", email = "broker@example.cn" },
        introduction = "专注于新材料与高端装备领域的技术转移。",
    };

    /// <summary>Registers a broker and has an operator of the sub-market approve it.</summary>
    public async Task<(string Token, string Id, string Subject)> ActiveBroker(string subMarket, params string[] fields)
    {
        var subject = "broker-" + Guid.NewGuid().ToString("N")[..12];
        var token = BrokerAccount(subMarket, subject: subject);
        var created = await (await Client.Send(HttpMethod.Post, "/api/brokers", token, Profile(fields, subMarket: subMarket))).Expect(201);
        var id = (string)created["id"]!;
        await (await Client.Send(HttpMethod.Post, $"/api/brokers/{id}/approve", Operator(subMarket))).Expect(200);
        return (token, id, subject);
    }

    public static MatchSuggested Match(string subMarket, string field, Guid? matchId = null) => new()
    {
        MatchId = matchId ?? Guid.NewGuid(),
        OfferId = Guid.NewGuid(),
        DemandId = Guid.NewGuid(),
        Score = 78.5m,
        Field = field,
        SubMarket = subMarket,
        Reasons = [new MatchReason { Factor = "text", Contribution = 40m, Explanation = "文本高度相关" }],
        Summary = "技术内容高度相关，同属新材料领域",
        OfferTitle = "高镍三元正极材料制备技术",
        DemandTitle = "动力电池正极材料技术需求",
        SuggestedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>Publishes a suggestion on the bus and waits until the consumer has handled it.</summary>
    public Task Suggest(MatchSuggested match) => Deliver(match);

    /// <summary>Publishes a contract registration on the bus and waits until the consumer has handled it.</summary>
    public Task Registered(ContractRegistered registered) => Deliver(registered);

    /// <summary>A listing as the listing service announces it, owned by <paramref name="ownerOrg"/>.</summary>
    public static ListingSnapshot Listing(ListingKind kind, string ownerOrg, string subMarket = "changsha") => new()
    {
        Id = Guid.NewGuid(), Version = 3, Kind = kind, Status = ListingStatus.Published, OwnerOrg = ownerOrg, SubMarket = subMarket,
        Title = kind == ListingKind.Offer ? "陶瓷涂覆隔膜制备技术" : "动力电池隔膜技术需求", Summary = "隔膜", Description = "陶瓷涂覆隔膜",
        Field = "materials", UpdatedAt = DateTimeOffset.UtcNow,
    };

    /// <summary>
    /// The parties of a deal-to-be: an offer of <paramref name="offerOwner"/> and a demand of
    /// <paramref name="demandOwner"/>, published as the listing service does; waits until this host has learnt them.
    /// </summary>
    public async Task<(Guid OfferId, Guid DemandId)> Parties(string offerOwner = "hnu", string demandOwner = "zz-rail")
    {
        var offer = Listing(ListingKind.Offer, offerOwner);
        var demand = Listing(ListingKind.Demand, demandOwner);
        await Deliver(new ListingPublished { Listing = offer });
        await Deliver(new ListingPublished { Listing = demand });
        return (offer.Id, demand.Id);
    }

    /// <summary>A user of an organisation that can be a deal's party (an enterprise by default).</summary>
    public string Party(string org, string role = Roles.Enterprise, string subMarket = "changsha") =>
        Tokens.For(role, org, subMarket, sub: "user@" + org);

    /// <summary>
    /// An introduction as the listing service announces its acceptance: <paramref name="interested"/>
    /// expressed interest in a listing of <paramref name="owner"/>, who accepted.
    /// </summary>
    public InterestAccepted Introduction(string interested, string owner, string subMarket = "changsha", string field = "materials",
        ListingKind kind = ListingKind.Offer, bool withoutBroker = false)
    {
        var interest = new InterestParties
        {
            InterestId = Guid.NewGuid(), ListingId = Guid.NewGuid(), ListingKind = kind,
            ListingTitle = kind == ListingKind.Offer ? "陶瓷涂覆隔膜制备技术" : "动力电池隔膜技术需求",
            SubMarket = subMarket, Field = field,
            FromOrg = interested, FromOrgName = interested + " 有限公司", ToOrg = owner, ToOrgName = owner + " 大学",
        };
        return new InterestAccepted
        {
            Interest = interest,
            By = "user@" + owner,
            ListingContact = new ContactDetails { Name = "王老师", Phone = "0731-88880000", Email = "wang@" + owner + ".edu.cn" },
            SenderName = "李经理",
            WithoutBroker = withoutBroker,
            AcceptedAt = Clock.Now,
        };
    }

    /// <summary>The deal an accepted introduction opened (its id derives from the interest).</summary>
    public static Guid DealOf(InterestAccepted accepted) => Deals.Deal.IdForInterest(accepted.Interest.InterestId);

    /// <summary>The lead as an operator of its sub-market sees it.</summary>
    public async Task<JsonObject> Lead(Guid id, string subMarket = "changsha") =>
        await (await Client.Send(HttpMethod.Get, $"/api/leads/{id}", Operator(subMarket))).Expect(200);

    public Task<int> SweepLeads() => Services.GetRequiredService<LeadSweep>().SweepAsync(CancellationToken.None);
}
