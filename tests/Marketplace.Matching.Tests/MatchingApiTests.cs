using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Contracts.Matching;
using Marketplace.Matching.Indexing;
using Marketplace.Matching.Matches;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Matching.Tests;

public sealed class MatchingApiTests(MatchingApi api) : IClassFixture<MatchingApi>
{
    private readonly HttpClient _client = api.Client;

    private static MarketCorpus.Entry E(string key) => MarketCorpus.Entries.Single(e => e.Key == key);

    /// <summary>Each test works on its own copies so the shared index does not couple tests.</summary>
    private static ListingSnapshot Fresh(string key, string org, long version = 3, ListingStatus status = ListingStatus.Published) =>
        MarketCorpus.Snapshot(E(key), version, status) with { Id = Guid.NewGuid(), OwnerOrg = org, PublishedAt = DateTimeOffset.UtcNow };

    /// <summary>A search once what was delivered is visible: the index reopens its reader every 100 ms, and the test does not wait for the tick.</summary>
    private async Task<JsonObject> Search(string url)
    {
        api.Services.GetRequiredService<ListingIndex>().Refresh();
        return await (await _client.Send(HttpMethod.Get, url)).Expect(200);
    }

    private static bool Lists(JsonObject result, ListingSnapshot listing) =>
        result["items"]!.AsArray().Any(i => (string)i!["id"]! == listing.Id.ToString());

    [Fact]
    public async Task A_published_listing_becomes_searchable_and_a_withdrawal_removes_it()
    {
        var offer = Fresh("tea", "org-tea") with { Title = "安化黑茶渥堆发酵菌群定向接种技术（接口测试）" };
        var url = "/api/search?q=" + Uri.EscapeDataString("渥堆 接口测试");
        await api.Deliver(new ListingPublished { Listing = offer });
        var found = await Search(url);
        Assert.True(Lists(found, offer));
        Assert.True((int)found["total"]! >= 1);
        Assert.NotNull(found["facets"]!["field"]);

        await api.Deliver(new ListingWithdrawn { ListingId = offer.Id, Version = 4, SubMarket = offer.SubMarket, WithdrawnAt = DateTimeOffset.UtcNow });
        Assert.False(Lists(await Search(url), offer));
        // a duplicate of the old publication does not bring it back
        await api.Deliver(new ListingPublished { Listing = offer });
        var after = await Search(url);
        Assert.DoesNotContain(after["items"]!.AsArray(), i => (string)i!["id"]! == offer.Id.ToString());
    }

    [Fact]
    public async Task A_matching_demand_is_announced_once_per_pair_even_when_events_repeat()
    {
        var offer = Fresh("railfault", "org-rail-offer");
        var demand = Fresh("d-rail", "org-rail-demand") with { SubMarket = "zhuzhou" };
        await api.Deliver(new ListingPublished { Listing = offer });
        Assert.True(Lists(await Search("/api/search?kind=offer&field=transport&pageSize=100"), offer));
        await api.Deliver(new ListingPublished { Listing = demand });
        var suggested = await api.Published<MatchSuggested>(m => m.OfferId == offer.Id && m.DemandId == demand.Id);
        Assert.True(suggested.Score >= 60m);
        Assert.Equal(suggested.Score, suggested.Reasons.Sum(r => r.Contribution));
        Assert.Equal("transport", suggested.Field);

        await api.Deliver(new ListingPublished { Listing = demand });          // redelivery
        await api.Deliver(new ListingPublished { Listing = offer with { Version = 4 } }); // the offer republished
        // both were handled: a second announcement would be a second suggestion stored with its event
        var stored = await api.Services.GetRequiredService<AggregateStore<Suggestion>>().QueryAsync(new DocumentQuery { Take = 1000 });
        Assert.Single(stored.Items, s => s.OfferId == offer.Id && s.DemandId == demand.Id);
        Assert.Equal(1, api.Count<MatchSuggested>(m => m.OfferId == offer.Id && m.DemandId == demand.Id));
    }

    [Fact]
    public async Task Matches_are_for_the_owner_brokers_and_operators_and_explain_each_factor()
    {
        var offer = Fresh("ncm", "org-ncm-owner");
        var demand = Fresh("d-battery", "org-battery-demand");
        await api.Deliver(new ListingPublished { Listing = offer });
        await api.Deliver(new ListingPublished { Listing = demand });
        Assert.True(Lists(await Search("/api/search?kind=demand&pageSize=100"), demand));

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
        await api.Deliver(new ListingPublished { Listing = offer });
        await api.Deliver(new ListingUpdated { Listing = offer with { Version = 4, Status = ListingStatus.PendingReview } });
        await (await _client.Send(HttpMethod.Get, $"/api/matches/{offer.Id}", api.Tokens.For(Roles.University, "org-rice-owner"))).Expect(200);
        await (await _client.Send(HttpMethod.Get, $"/api/matches/{offer.Id}", api.Tokens.For(Roles.University, "org-other-university"))).Expect(403);
        var search = await Search("/api/search?q=" + Uri.EscapeDataString("耐高温 水稻"));
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
        await api.Deliver(new ListingSnapshotReplayed { RequestId = requestId, Listing = offer });
        Assert.True(Lists(await Search("/api/search?q=" + Uri.EscapeDataString("硬质合金")), offer));
    }

    [Fact]
    public async Task A_replay_applies_only_what_is_newer_and_an_admins_rebuild_rewrites_every_listing()
    {
        var index = api.Services.GetRequiredService<ListingIndex>();
        var offer = Fresh("carbide", "org-carbide-replay") with { Title = "硬质合金涂层刀具（重放前）" };
        await api.Deliver(new ListingPublished { Listing = offer });

        // another replica's start-up replay (or this one's catch-up) carries the version the index has: nothing is
        // written again, so a replay of every listing costs a version check each
        var renamed = offer with { Title = "硬质合金涂层刀具（重写后）" };
        await api.Deliver(new ListingSnapshotReplayed { RequestId = Guid.NewGuid(), Listing = renamed });
        index.Refresh();
        Assert.Equal(offer.Title, index.Find(offer.Id)!.Title);

        // a rebuild rewrites the versions the index has too (e.g. after the analysis changed), and once all of its
        // snapshots are applied the index is in this code's format
        var accepted = await (await _client.Send(HttpMethod.Post, "/api/matching/rebuild", api.Tokens.For(Roles.Admin, "platform"))).Expect(202);
        var requestId = Guid.Parse((string)accepted["requestId"]!);
        await api.Deliver(new ListingSnapshotReplayed { RequestId = requestId, Listing = renamed });
        await api.Deliver(new ListingSnapshotsReplayCompleted { RequestId = requestId, Count = 1 });
        index.Refresh();
        Assert.Equal(renamed.Title, index.Find(offer.Id)!.Title);
        Assert.False(index.Outdated);
    }

    [Theory]
    [InlineData("/api/search?maturityMin=12", "maturityMin")]
    [InlineData("/api/search?kind=patent", "kind")]
    [InlineData("/api/search?field=quantum", "field")]
    [InlineData("/api/search?subMarket=beijing", "subMarket")]
    [InlineData("/api/search?sort=cheapest", "sort")]
    [InlineData("/api/search?pageSize=101", "pageSize")]
    [InlineData("/api/search?page=200&pageSize=100", "page")]
    [InlineData("/api/search?page=2147483647&pageSize=100", "page")]
    [InlineData("/api/search?priceMax=-1", "priceMax")]
    [InlineData("/api/search?mode=sell", "mode")]
    public async Task Bad_search_parameters_are_400_with_the_reason(string url, string parameter)
    {
        var problem = await (await _client.Send(HttpMethod.Get, url)).Expect(400);
        Assert.NotNull(problem["errors"]?[parameter]);
    }
}
