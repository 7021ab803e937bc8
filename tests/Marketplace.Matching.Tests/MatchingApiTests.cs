using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Contracts.Matching;
using Marketplace.TestKit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Matching.Tests;

public sealed class MatchingApi() : ServiceApi<Program>("matching")
{
    protected override bool UseTestClock => false;

    public Task Publish(object message) => Harness.Bus.Publish(message);

    public int Count<T>(Func<T, bool> match) where T : class =>
        Harness.Published.Select<T>().Select(m => m.Context.Message).Count(match);
}

public sealed class MatchingApiTests(MatchingApi api) : IClassFixture<MatchingApi>
{
    private readonly HttpClient _client = api.CreateClient();

    private static MarketCorpus.Entry E(string key) => MarketCorpus.Entries.Single(e => e.Key == key);

    /// <summary>Each test works on its own copies so the shared index does not couple tests.</summary>
    private static ListingSnapshot Fresh(string key, string org, long version = 3, ListingStatus status = ListingStatus.Published) =>
        MarketCorpus.Snapshot(E(key), version, status) with { Id = Guid.NewGuid(), OwnerOrg = org, PublishedAt = DateTimeOffset.UtcNow };

    private async Task<System.Text.Json.Nodes.JsonObject> SearchUntil(string url, Func<System.Text.Json.Nodes.JsonObject, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            var result = await (await _client.Send(HttpMethod.Get, url)).Expect(200);
            if (done(result)) return result;
            Assert.True(DateTime.UtcNow < deadline, $"search never satisfied the test: {result}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task A_published_listing_becomes_searchable_and_a_withdrawal_removes_it()
    {
        var offer = Fresh("tea", "org-tea") with { Title = "安化黑茶渥堆发酵菌群定向接种技术（接口测试）" };
        await api.Publish(new ListingPublished { Listing = offer });
        var found = await SearchUntil("/api/search?q=" + Uri.EscapeDataString("渥堆 接口测试"), r => r["items"]!.AsArray().Any(i => (string)i!["id"]! == offer.Id.ToString()));
        Assert.True((int)found["total"]! >= 1);
        Assert.NotNull(found["facets"]!["field"]);

        await api.Publish(new ListingWithdrawn { ListingId = offer.Id, Version = 4, SubMarket = offer.SubMarket, WithdrawnAt = DateTimeOffset.UtcNow });
        await SearchUntil("/api/search?q=" + Uri.EscapeDataString("渥堆 接口测试"), r => r["items"]!.AsArray().All(i => (string)i!["id"]! != offer.Id.ToString()));
        // a duplicate of the old publication does not bring it back
        await api.Publish(new ListingPublished { Listing = offer });
        await Task.Delay(500);
        var after = await (await _client.Send(HttpMethod.Get, "/api/search?q=" + Uri.EscapeDataString("渥堆 接口测试"))).Expect(200);
        Assert.DoesNotContain(after["items"]!.AsArray(), i => (string)i!["id"]! == offer.Id.ToString());
    }

    [Fact]
    public async Task A_matching_demand_is_announced_once_per_pair_even_when_events_repeat()
    {
        var offer = Fresh("railfault", "org-rail-offer");
        var demand = Fresh("d-rail", "org-rail-demand") with { SubMarket = "zhuzhou" };
        await api.Publish(new ListingPublished { Listing = offer });
        await SearchUntil("/api/search?kind=offer&field=transport&pageSize=100", r => r["items"]!.AsArray().Any(i => (string)i!["id"]! == offer.Id.ToString()));
        await api.Publish(new ListingPublished { Listing = demand });
        var suggested = await api.Published<MatchSuggested>(m => m.OfferId == offer.Id && m.DemandId == demand.Id);
        Assert.True(suggested.Score >= 60m);
        Assert.Equal(suggested.Score, suggested.Reasons.Sum(r => r.Contribution));
        Assert.Equal("transport", suggested.Field);

        await api.Publish(new ListingPublished { Listing = demand });          // redelivery
        await api.Publish(new ListingPublished { Listing = offer with { Version = 4 } }); // the offer republished
        await Task.Delay(1500);
        Assert.Equal(1, api.Count<MatchSuggested>(m => m.OfferId == offer.Id && m.DemandId == demand.Id));
    }

    [Fact]
    public async Task Matches_are_for_the_owner_brokers_and_operators_and_explain_each_factor()
    {
        var offer = Fresh("ncm", "org-ncm-owner");
        var demand = Fresh("d-battery", "org-battery-demand");
        await api.Publish(new ListingPublished { Listing = offer });
        await api.Publish(new ListingPublished { Listing = demand });
        await SearchUntil("/api/search?kind=demand&pageSize=100", r => r["items"]!.AsArray().Any(i => (string)i!["id"]! == demand.Id.ToString()));

        var owner = api.Tokens.For(Roles.Enterprise, "org-battery-demand");
        var result = await (await _client.Send(HttpMethod.Get, $"/api/matches/{demand.Id}?top=5", owner)).Expect(200);
        var items = result["items"]!.AsArray();
        Assert.Contains(items, i => (string)i!["listingId"]! == offer.Id.ToString());
        foreach (var item in items)
        {
            var sum = item!["factors"]!.AsArray().Sum(f => (decimal)f!["contribution"]!);
            Assert.Equal((decimal)item["score"]!, sum);
            Assert.False(string.IsNullOrEmpty((string)item["explanation"]!));
        }

        await (await _client.Send(HttpMethod.Get, $"/api/matches/{demand.Id}", api.Tokens.For(Roles.Broker, "broker-org"))).Expect(200);
        await (await _client.Send(HttpMethod.Get, $"/api/matches/{demand.Id}", api.Tokens.For(Roles.Operator, "ops", demand.SubMarket))).Expect(200);
        await (await _client.Send(HttpMethod.Get, $"/api/matches/{demand.Id}", api.Tokens.For(Roles.Operator, "ops", "zhuzhou"))).Expect(403);
        await (await _client.Send(HttpMethod.Get, $"/api/matches/{demand.Id}", api.Tokens.For(Roles.University, "someone-else"))).Expect(403);
        await (await _client.Send(HttpMethod.Get, $"/api/matches/{demand.Id}")).Expect(401);
        await (await _client.Send(HttpMethod.Get, $"/api/matches/{demand.Id}?top=0", owner)).Expect(400);
        await (await _client.Send(HttpMethod.Get, $"/api/matches/{Guid.NewGuid()}", owner)).Expect(404);
    }

    [Fact]
    public async Task Another_university_cannot_see_the_matches_of_a_listing_that_went_back_to_review()
    {
        var offer = Fresh("rice", "org-rice-owner");
        await api.Publish(new ListingPublished { Listing = offer });
        await api.Publish(new ListingUpdated { Listing = offer with { Version = 4, Status = ListingStatus.PendingReview } });
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((int)(await _client.Send(HttpMethod.Get, $"/api/matches/{offer.Id}", api.Tokens.For(Roles.University, "org-rice-owner"))).StatusCode != 200)
        {
            Assert.True(DateTime.UtcNow < deadline);
            await Task.Delay(100);
        }
        await (await _client.Send(HttpMethod.Get, $"/api/matches/{offer.Id}", api.Tokens.For(Roles.University, "org-other-university"))).Expect(403);
        var search = await (await _client.Send(HttpMethod.Get, "/api/search?q=" + Uri.EscapeDataString("耐高温 水稻"))).Expect(200);
        Assert.DoesNotContain(search["items"]!.AsArray(), i => (string)i!["id"]! == offer.Id.ToString());
    }

    [Fact]
    public async Task Only_admins_rebuild_and_a_rebuild_asks_the_listing_service_for_snapshots()
    {
        await (await _client.Send(HttpMethod.Post, "/api/matching/rebuild")).Expect(401);
        await (await _client.Send(HttpMethod.Post, "/api/matching/rebuild", api.Tokens.For(Roles.Operator, "ops"))).Expect(403);
        var accepted = await (await _client.Send(HttpMethod.Post, "/api/matching/rebuild", api.Tokens.For(Roles.Admin, "platform"))).Expect(202);
        var requestId = Guid.Parse((string)accepted["requestId"]!);
        var request = await api.Published<ListingSnapshotsRequested>(r => r.RequestId == requestId);
        Assert.Null(request.ChangedSince);

        // a replayed snapshot fills the index like a publication, without announcing anything
        var offer = Fresh("carbide", "org-carbide");
        await api.Publish(new ListingSnapshotReplayed { RequestId = requestId, Listing = offer });
        await SearchUntil("/api/search?q=" + Uri.EscapeDataString("硬质合金"), r => r["items"]!.AsArray().Any(i => (string)i!["id"]! == offer.Id.ToString()));
    }

    [Theory]
    [InlineData("/api/search?maturityMin=12")]
    [InlineData("/api/search?kind=patent")]
    [InlineData("/api/search?field=quantum")]
    [InlineData("/api/search?subMarket=beijing")]
    [InlineData("/api/search?sort=cheapest")]
    [InlineData("/api/search?pageSize=101")]
    [InlineData("/api/search?page=200&pageSize=100")]
    [InlineData("/api/search?page=2147483647&pageSize=100")]
    [InlineData("/api/search?priceMax=-1")]
    [InlineData("/api/search?mode=sell")]
    public async Task Bad_search_parameters_are_400_with_the_reason(string url) =>
        await (await _client.Send(HttpMethod.Get, url)).Expect(400);
}
