using System.Text.Json.Nodes;
using Marketplace.TestKit;

namespace Marketplace.Listing.Tests;

/// <summary>面议: an offer may be posted without a price; a demand still states its budget or chooses 面议.</summary>
public sealed class NegotiablePriceTests(ListingApi api) : IClassFixture<ListingApi>
{
    private readonly HttpClient _client = api.CreateClient();

    private static Dictionary<string, object?> OfferPriced(object? price)
    {
        var offer = Samples.Offer();
        offer["price"] = price;
        return offer;
    }

    private static void Negotiable(JsonObject listing)
    {
        Assert.True((bool)listing["price"]!["negotiable"]!, listing.ToJsonString());
        Assert.Null(listing["price"]!["min"]);
        Assert.Null(listing["price"]!["max"]);
    }

    [Fact]
    public async Task An_offer_without_a_price_is_posted_at_negotiable()
    {
        var token = api.University(ListingApi.NewOrg("uni-np"));
        var body = OfferPriced(null);
        body.Remove("price");
        var created = await _client.Create(token, body);
        Negotiable(created);
        Negotiable(await (await _client.Send(HttpMethod.Get, $"/api/listings/{created["id"]}", token)).Expect(200));
    }

    [Fact]
    public async Task An_offer_with_neither_end_of_its_price_or_with_negotiable_is_posted_at_negotiable()
    {
        var token = api.University(ListingApi.NewOrg("uni-np"));
        Negotiable(await _client.Create(token, OfferPriced(new { })));
        Negotiable(await _client.Create(token, OfferPriced(new { negotiable = true })));
    }

    [Fact]
    public async Task A_price_given_is_still_checked_and_a_demand_still_needs_its_budget_or_negotiable()
    {
        var university = api.University(ListingApi.NewOrg("uni-np"));
        var refused = await (await _client.Send(HttpMethod.Post, "/api/listings", university, OfferPriced(new { min = -5m }))).Expect(400);
        Assert.NotNull(refused["errors"]!["price.min"]);

        var enterprise = api.Enterprise(ListingApi.NewOrg("ent-np"));
        var demand = Samples.Demand(DateTimeOffset.UtcNow);
        demand.Remove("budget");
        var problem = await (await _client.Send(HttpMethod.Post, "/api/listings", enterprise, demand)).Expect(400);
        Assert.Contains("面议", problem["errors"]!["budget"]![0]!.ToString());
        demand["budget"] = new { };
        await (await _client.Send(HttpMethod.Post, "/api/listings", enterprise, demand)).Expect(400);
        demand["budget"] = new { negotiable = true };
        Assert.True((bool)(await _client.Create(enterprise, demand))["budget"]!["negotiable"]!);
    }
}
