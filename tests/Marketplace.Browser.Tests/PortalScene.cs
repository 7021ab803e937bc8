using Marketplace.TestKit;

namespace Marketplace.Browser.Tests;

/// <summary>
/// Something on every page, set up through the API: a published offer, an introduction the university accepted and
/// the deal it opened (with demo-broker), a registered contract and a draft.
/// </summary>
public sealed record PortalScene(string Offer, string Interest, string Deal, string Registered, string Number, string Draft)
{
    public static async Task<PortalScene> ArrangeAsync(PortalMarket market)
    {
        var tag = Random.Shared.Next(1000, 9999);
        var university = await market.TokenAsync("demo-university");
        var enterprise = await market.TokenAsync("demo-enterprise");
        var registrar = await market.TokenAsync("demo-registrar");
        // new-energy in Changsha: demo-broker's field, so the accepted introduction's deal is on the broker's board
        var offer = await market.PublishAsync(university, await market.TokenAsync("demo-operator"), SampleData.SeparatorOffer($"陶瓷涂覆隔膜浆料配方（无障碍 {tag}）"));
        var interest = (string)(await (await market.Api.Send(HttpMethod.Post, $"/api/listings/{offer}/interests", enterprise,
            new { message = "我司希望独占许可该隔膜工艺，请联系。", mode = "exclusive_license", budget = 300000m })).Expect(201))["id"]!;
        await (await market.Api.Send(HttpMethod.Post, $"/api/interests/{interest}/accept", university)).Expect(200);
        string? deal = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (deal is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the accepted introduction never opened a deal");
            deal = (string?)(await (await market.Api.Send(HttpMethod.Get, $"/api/interests/{interest}", enterprise)).Expect(200))["dealId"];
            if (deal is null) await Task.Delay(200);
        }

        var registered = (string)(await (await market.Api.Send(HttpMethod.Post, "/api/contracts", university,
            SampleData.PatentTransferContract($"隔膜浆料配方专利转让合同（无障碍 {tag}）", 300_000m))).Expect(201))["id"]!;
        await market.Api.AttachContractText(registered, university);
        await (await market.Api.Send(HttpMethod.Post, $"/api/contracts/{registered}/submit", university)).Expect(200);
        var number = (string)(await (await market.Api.Send(HttpMethod.Post, $"/api/contracts/{registered}/register", registrar)).Expect(200))["registrationNumber"]!;
        var draft = (string)(await (await market.Api.Send(HttpMethod.Post, "/api/contracts", university,
            SampleData.PatentTransferContract($"隔膜涂布工艺专利转让合同（草稿 {tag}）", 200_000m))).Expect(201))["id"]!;
        return new PortalScene(offer, interest, deal, registered, number, draft);
    }
}
