using System.Text.Json.Nodes;
using Marketplace.TestKit;

namespace Marketplace.Listing.Tests;

/// <summary>
/// Anonymous visitors' pages are kept until a listing changes (ListingService's public pages): every change shows
/// in the next page at once, whether it brings a listing in, changes one that stays published, or takes one out.
/// </summary>
public sealed class PublicPagesTests(ListingApi api) : IClassFixture<ListingApi>
{
    private readonly HttpClient _client = api.CreateClient();

    private const string Challenges = "/api/listings?kind=challenge&pageSize=100";

    private async Task<JsonObject?> Shown(string id, string? token = null) =>
        (await (await _client.Send(HttpMethod.Get, Challenges, token)).Expect(200))["items"]!.AsArray()
            .Select(i => i!.AsObject()).FirstOrDefault(i => (string)i["id"]! == id);

    [Fact]
    public async Task A_kept_page_follows_every_change_of_a_listing_at_once()
    {
        var enterprise = api.Enterprise(ListingApi.NewOrg("pages-ent"));
        await Shown(Guid.NewGuid().ToString()); // the page is made and kept

        var challenge = await _client.Publish(api, enterprise, Samples.Demand(api.Clock.Now, "challenge"));
        var id = (string)challenge["id"]!;
        Assert.Equal(0, (int)(await Shown(id))!["proposalCount"]!);

        // a change that keeps it published
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/proposals", api.University(ListingApi.NewOrg("pages-uni")),
            new { summary = "基于电流特征分析的绕组故障在线监测方案。" })).Expect(201);
        Assert.Equal(1, (int)(await Shown(id))!["proposalCount"]!);

        // and one that takes it out
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/withdraw", enterprise, new { reason = "已找到合作方" })).Expect(200);
        Assert.Null(await Shown(id));
    }

    [Fact]
    public async Task A_visitors_page_holds_no_history_and_a_signed_in_users_page_is_their_own()
    {
        var enterprise = api.Enterprise(ListingApi.NewOrg("pages-own"));
        var challenge = await _client.Publish(api, enterprise, Samples.Demand(api.Clock.Now, "challenge"));
        var id = (string)challenge["id"]!;

        var visitor = (await Shown(id))!;
        var ownerView = (await Shown(id, enterprise))!;
        var visitorAgain = (await Shown(id))!;

        Assert.Null(visitor["contact"]);
        Assert.Null(visitor["history"]);
        Assert.NotNull(ownerView["history"]);
        Assert.Null(visitorAgain["history"]);
    }
}
