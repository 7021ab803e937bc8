using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Listing.Listings;
using Marketplace.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Listing.Tests;

/// <summary>Expiry on a host of its own: the test moves the clock two months on, and counts what one sweep expires.</summary>
public sealed class ListingExpiryTests : IDisposable
{
    private readonly ListingApi _api = new();

    [Fact]
    public async Task A_demand_past_its_deadline_expires_and_leaves_the_market()
    {
        var client = _api.CreateClient();
        var enterprise = _api.Enterprise(ListingApi.NewOrg("ent"));
        var demand = await client.Publish(_api, enterprise, Samples.Demand(_api.Clock.Now));
        var offer = await client.Publish(_api, _api.University(ListingApi.NewOrg("uni")), Samples.Offer());
        var expiry = _api.Services.GetRequiredService<ListingExpiry>();
        Assert.Equal(0, await expiry.SweepAsync(CancellationToken.None));

        _api.Clock.Now = _api.Clock.Now.AddDays(61);
        Assert.Equal(1, await expiry.SweepAsync(CancellationToken.None));

        var id = Guid.Parse((string)demand["id"]!);
        var read = await (await client.Send(HttpMethod.Get, $"/api/listings/{id}", enterprise)).Expect(200);
        Assert.Equal("expired", (string)read["status"]!);
        await _api.Published<ListingUpdated>(m => m.Listing.Id == id && m.Listing.Status == ListingStatus.Expired);
        await (await client.Send(HttpMethod.Get, $"/api/listings/{(string)offer["id"]!}")).Expect(200);
        Assert.Equal(0, await expiry.SweepAsync(CancellationToken.None));
    }

    public void Dispose() => _api.Dispose();
}
