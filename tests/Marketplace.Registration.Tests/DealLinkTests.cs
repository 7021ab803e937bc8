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
        var buyer = api.Tokens.For(Marketplace.Contracts.Roles.Enterprise, "party-enterprise", "changsha", sub: "seller@party-enterprise");
        var draft = await (await Client.Send(HttpMethod.Post, "/api/contracts", buyer, RegistrationApi.Application())).Expect(201);
        var edited = await (await Client.Send(HttpMethod.Put, $"/api/contracts/{draft["id"]}", buyer, RegistrationApi.Application(dealId: dealId),
            new Dictionary<string, string> { ["If-Match"] = $"\"{(long)draft["version"]!}\"" })).Expect(200);
        Assert.Equal(dealId.ToString(), (string)edited["dealId"]!);
    }
}
