using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Listing;
using Marketplace.ServiceDefaults.Validation;
using Marketplace.TestKit;
using MassTransit;

namespace Marketplace.Registration.Tests;

/// <summary>The registration host in-process, with the MassTransit test harness and a LiteDB file of its own.</summary>
public class RegistrationApi : ServiceApi<Program>
{
    public RegistrationApi() : base("registration") => Clock.Now = new DateTimeOffset(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    /// <summary>A host on a data folder of the test's, to restart on (<see cref="RegistrationApiOnFolder"/>; a fixture has one public constructor).</summary>
    protected RegistrationApi(DirectoryInfo dataDirectory) : base(dataDirectory) => Clock.Now = new DateTimeOffset(2026, 3, 2, 2, 0, 0, TimeSpan.Zero);

    /// <summary>Small, so that a test reaches them.</summary>
    public const int MaxFileBytes = 512 * 1024;
    public const int MaxDocuments = 4;

    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        new("Storage:Files:MaxFileBytes", MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("Storage:Files:MaxFilesPerResource", MaxDocuments.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    public string Seller(string org = "hnu") => Tokens.For(Roles.University, org, "changsha", sub: "seller@" + org);
    public string Registrar(string point = "changsha") => Tokens.For(Roles.Registrar, "registry-" + point, point, sub: "registrar@" + point);
    public string Tax() => Tokens.For(Roles.Tax, "tax-changsha", "changsha", sub: "tax@changsha");

    public static object Application(decimal amount = 1_200_000m, Guid? dealId = null, string title = "牵引电机故障诊断算法技术开发合同", object[]? costs = null) => new
    {
        title,
        type = "development",
        subtype = "commissioned",
        field = "transport",
        seller = new { name = "湖南示范大学", creditCode = CreditCode.WithCheck("12430100MA4L00001"), regionCode = "430104" },
        buyer = new { name = "株洲示范轨道装备有限公司", creditCode = CreditCode.WithCheck("91430200MA4L00002"), regionCode = "430211" },
        signedOn = "2026-02-20",
        validFrom = "2026-02-20",
        validTo = "2027-12-31",
        totalAmount = amount,
        nonTechnicalCosts = costs ?? [new { item = "购置振动传感器", amount = 200_000m, carrier = false }],
        dealId,
    };

    /// <summary>Drafts and submits; returns the submitted application.</summary>
    public async Task<JsonObject> Submitted(object? application = null, string? seller = null)
    {
        seller ??= Seller();
        var draft = await (await Client.Send(HttpMethod.Post, "/api/contracts", seller, application ?? Application())).Expect(201);
        await Client.AttachContractText(draft["id"]!, seller);
        return await (await Client.Send(HttpMethod.Post, $"/api/contracts/{draft["id"]}/submit", seller)).Expect(200);
    }

    public async Task<JsonObject> Registered(object? application = null, string? seller = null)
    {
        var submitted = await Submitted(application, seller);
        return await (await Client.Send(HttpMethod.Post, $"/api/contracts/{submitted["id"]}/register", Registrar(), new { note = "材料齐全" })).Expect(200);
    }

    /// <summary>
    /// A broker's deal between an offer of <paramref name="offerOwner"/> and a demand of
    /// <paramref name="demandOwner"/>, announced as the listing and broker services announce them;
    /// waits until this host has learnt all three.
    /// </summary>
    public async Task<Guid> Deal(string offerOwner, string demandOwner, string subMarket = "changsha")
    {
        var offer = Listing(ListingKind.Offer, offerOwner, subMarket);
        var demand = Listing(ListingKind.Demand, demandOwner, subMarket);
        await Deliver(new ListingPublished { Listing = offer });
        await Deliver(new ListingPublished { Listing = demand });
        var dealId = Guid.NewGuid();
        await Deliver(new DealStageChanged
        {
            DealId = dealId, Version = 1, BrokerId = Guid.NewGuid(), From = null, To = DealStage.Lead, SubMarket = subMarket, Field = "transport",
            OfferId = offer.Id, DemandId = demand.Id, ChangedBy = "broker-" + subMarket, ChangedAt = Clock.Now,
        });
        return dealId;
    }

    private ListingSnapshot Listing(ListingKind kind, string ownerOrg, string subMarket) => new()
    {
        Id = Guid.NewGuid(), Version = 3, Kind = kind, Status = ListingStatus.Published, OwnerOrg = ownerOrg, SubMarket = subMarket,
        Title = kind == ListingKind.Offer ? "牵引电机故障诊断算法" : "轨道车辆电机预测性维护需求", Summary = "故障诊断", Description = "牵引电机故障诊断",
        Field = "transport", UpdatedAt = Clock.Now,
    };

    /// <summary>Publishes a message on the bus and waits until this host's consumer has handled it.</summary>
    public async Task Deliver<T>(T message) where T : class
    {
        var id = NewId.NextGuid();
        await Harness.Bus.Publish(message, context => context.MessageId = id);
        await Consumed<T>(_ => Harness.Consumed.Select<T>().Any(m => m.Context.MessageId == id));
    }
}

/// <summary>A registration host on a data folder the test keeps: a second one on the same folder is a restart.</summary>
public sealed class RegistrationApiOnFolder(DirectoryInfo folder) : RegistrationApi(folder);

/// <summary>One registration host shared by the API test classes that need no fresh store (their tests run one after another).</summary>
[CollectionDefinition(nameof(RegistrationHost))]
public sealed class RegistrationHost : ICollectionFixture<RegistrationApi>;
