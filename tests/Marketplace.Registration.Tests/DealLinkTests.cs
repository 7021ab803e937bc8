using Marketplace.Contracts;
using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Listing;
using Marketplace.Contracts.Registration;
using Marketplace.TestKit;

namespace Marketplace.Registration.Tests;

/// <summary>A contract names a broker's deal only when the applicant's organisation is one of the deal's parties.</summary>
[Collection(nameof(RegistrationHost))]
public sealed class DealLinkTests(RegistrationApi api)
{
    private HttpClient Client => api.Client;

    private async Task<int> Applications(string seller) =>
        (int)(await (await Client.Send(HttpMethod.Get, "/api/contracts?mine=true", seller)).Expect(200))["total"]!;

    /// <summary>The probe's repro: a Zhuzhou broker's deal, and a Changsha university that is no party to it.</summary>
    [Fact]
    public async Task A_university_cannot_name_a_deal_its_organisation_is_not_a_party_to_on_create_or_on_edit()
    {
        var dealId = await api.Deal("zz-university", "zz-rail", "zhuzhou");
        var stranger = api.Seller("cs-stranger");

        var created = await (await Client.Send(HttpMethod.Post, "/api/contracts", stranger, RegistrationApi.Application(dealId: dealId))).Expect(422);
        Assert.Contains(dealId.ToString(), (string)created["detail"]!);
        Assert.EndsWith("/deal-not-linkable", (string)created["type"]!);
        Assert.Equal(0, await Applications(stranger));

        var draft = await (await Client.Send(HttpMethod.Post, "/api/contracts", stranger, RegistrationApi.Application())).Expect(201);
        var edited = await (await Client.Send(HttpMethod.Put, $"/api/contracts/{draft["id"]}", stranger, RegistrationApi.Application(dealId: dealId),
            new Dictionary<string, string> { ["If-Match"] = $"\"{(long)draft["version"]!}\"" })).Expect(422);
        Assert.Contains(dealId.ToString(), (string)edited["detail"]!);
        var read = await (await Client.Send(HttpMethod.Get, $"/api/contracts/{draft["id"]}", stranger)).Expect(200);
        Assert.Null(read["dealId"]);
        Assert.Equal((long)draft["version"]!, (long)read["version"]!);
    }

    /// <summary>A deal this service has not heard of yet (or never will) is refused the same way, and the message says to retry.</summary>
    [Fact]
    public async Task A_deal_not_known_here_yet_is_a_422_that_tells_the_applicant_to_retry()
    {
        var seller = api.Seller("early-bird");
        var unknown = await (await Client.Send(HttpMethod.Post, "/api/contracts", seller, RegistrationApi.Application(dealId: Guid.NewGuid()))).Expect(422);
        Assert.Contains("稍后重试", (string)unknown["detail"]!);
        Assert.Contains("retry", (string)unknown["detail"]!);
        Assert.Equal(0, await Applications(seller));
    }

    [Fact]
    public async Task Either_party_names_the_deal_and_the_registration_tells_the_broker_who_applied()
    {
        var dealId = await api.Deal("party-university", "party-enterprise");

        var registered = await api.Registered(RegistrationApi.Application(dealId: dealId), api.Seller("party-university"));
        Assert.Equal(dealId.ToString(), (string)registered["dealId"]!);
        var id = Guid.Parse((string)registered["id"]!);
        var announced = await api.Published<ContractRegistered>(m => m.ContractId == id);
        Assert.Equal(dealId, announced.DealId);
        Assert.Equal("party-university", announced.ApplicantOrg);

        // the demand's side may file too (its own draft, edited to name the deal)
        var buyer = api.Tokens.For(Roles.Enterprise, "party-enterprise", "changsha", sub: "seller@party-enterprise");
        var draft = await (await Client.Send(HttpMethod.Post, "/api/contracts", buyer, RegistrationApi.Application())).Expect(201);
        var edited = await (await Client.Send(HttpMethod.Put, $"/api/contracts/{draft["id"]}", buyer, RegistrationApi.Application(dealId: dealId),
            new Dictionary<string, string> { ["If-Match"] = $"\"{(long)draft["version"]!}\"" })).Expect(200);
        Assert.Equal(dealId.ToString(), (string)edited["dealId"]!);
    }

    /// <summary>A deal opened from an introduction: the owner's listing, and the interested organisation that owns none of it.</summary>
    private async Task<(Guid DealId, Guid ListingId)> IntroducedDeal(string interested, string owner, bool partiesNamed = true)
    {
        var listing = new ListingSnapshot
        {
            Id = Guid.NewGuid(), Version = 2, Kind = ListingKind.Offer, Status = ListingStatus.Published, OwnerOrg = owner, SubMarket = "changsha",
            Title = "牵引电机故障诊断算法", Summary = "故障诊断", Description = "牵引电机故障诊断", Field = "transport", UpdatedAt = api.Clock.Now,
        };
        await api.Deliver(new ListingPublished { Listing = listing });
        var dealId = Guid.NewGuid();
        await api.Deliver(Opened(dealId, listing.Id, partiesNamed ? [interested, owner] : []));
        return (dealId, listing.Id);
    }

    private DealStageChanged Opened(Guid dealId, Guid offerId, IReadOnlyList<string> parties, long version = 1) => new()
    {
        DealId = dealId, Version = version, BrokerId = null, Parties = parties, InterestId = Guid.NewGuid(), Title = "牵引电机故障诊断算法",
        From = version == 1 ? null : DealStage.Contacted, To = version == 1 ? DealStage.Contacted : DealStage.Negotiating,
        SubMarket = "changsha", Field = "transport", OfferId = offerId, ChangedBy = "user@owner", ChangedAt = api.Clock.Now,
    };

    private string Enterprise(string org) => api.Tokens.For(Roles.Enterprise, org, "changsha", sub: "seller@" + org);

    /// <summary>The enterprise that expressed interest owns no listing of the deal, yet it is a party: the broker named it.</summary>
    [Fact]
    public async Task The_interested_enterprise_names_the_deal_opened_from_its_interest_and_a_third_organisation_still_gets_the_422()
    {
        var (dealId, _) = await IntroducedDeal("intro-buyer", "intro-university");

        var buyer = Enterprise("intro-buyer");
        var filed = await (await Client.Send(HttpMethod.Post, "/api/contracts", buyer, RegistrationApi.Application(dealId: dealId))).Expect(201);
        Assert.Equal(dealId.ToString(), (string)filed["dealId"]!);
        var owner = await (await Client.Send(HttpMethod.Post, "/api/contracts", api.Seller("intro-university"), RegistrationApi.Application(dealId: dealId))).Expect(201);
        Assert.Equal(dealId.ToString(), (string)owner["dealId"]!);

        var stranger = Enterprise("intro-stranger");
        var refused = await (await Client.Send(HttpMethod.Post, "/api/contracts", stranger, RegistrationApi.Application(dealId: dealId))).Expect(422);
        Assert.EndsWith("/deal-not-linkable", (string)refused["type"]!);
        Assert.Equal(0, await Applications(stranger));

        // a replayed or later stage change cannot add parties once they are known
        await api.Deliver(Opened(dealId, Guid.NewGuid(), ["intro-stranger"], version: 2));
        await api.Deliver(Opened(dealId, Guid.NewGuid(), ["intro-stranger"], version: 2));
        await (await Client.Send(HttpMethod.Post, "/api/contracts", stranger, RegistrationApi.Application(dealId: dealId))).Expect(422);
        await (await Client.Send(HttpMethod.Post, "/api/contracts", buyer, RegistrationApi.Application(dealId: dealId))).Expect(201);
    }

    /// <summary>A deal learnt from an older release's event (no parties) learns them from the first later one that names them.</summary>
    [Fact]
    public async Task A_deal_first_heard_of_without_parties_learns_them_from_a_later_stage_change()
    {
        var (dealId, offerId) = await IntroducedDeal("late-buyer", "late-university", partiesNamed: false);
        var buyer = Enterprise("late-buyer");
        await (await Client.Send(HttpMethod.Post, "/api/contracts", buyer, RegistrationApi.Application(dealId: dealId))).Expect(422);
        // the owner of the deal's offer is a party as before
        await (await Client.Send(HttpMethod.Post, "/api/contracts", api.Seller("late-university"), RegistrationApi.Application(dealId: dealId))).Expect(201);

        await api.Deliver(Opened(dealId, offerId, ["late-buyer", "late-university"], version: 2));
        await (await Client.Send(HttpMethod.Post, "/api/contracts", buyer, RegistrationApi.Application(dealId: dealId))).Expect(201);
        await (await Client.Send(HttpMethod.Post, "/api/contracts", Enterprise("late-stranger"), RegistrationApi.Application(dealId: dealId))).Expect(422);
    }
}

