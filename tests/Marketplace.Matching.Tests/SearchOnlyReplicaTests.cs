using Marketplace.Contracts.Listing;
using Marketplace.Contracts.Matching;
using Marketplace.Matching.Indexing;
using Marketplace.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Matching.Tests;

/// <summary><c>Matching:AnnounceTop = 0</c>: the replica keeps its index and answers searches, and announces nothing.</summary>
public sealed class SearchOnlyReplicaTests(SearchOnlyMatchingApi api) : IClassFixture<SearchOnlyMatchingApi>
{
    private static ListingSnapshot Fresh(string key, string org) =>
        MarketCorpus.Snapshot(MarketCorpus.Entries.Single(e => e.Key == key)) with { Id = Guid.NewGuid(), OwnerOrg = org, PublishedAt = DateTimeOffset.UtcNow };

    [Fact]
    public async Task A_replica_that_only_searches_indexes_publications_and_announces_no_match()
    {
        var offer = Fresh("railfault", "org-rail-offer-search-only");
        var demand = Fresh("d-rail", "org-rail-demand-search-only") with { SubMarket = "zhuzhou" };
        await api.Deliver(new ListingPublished { Listing = offer });
        await api.Deliver(new ListingPublished { Listing = demand });
        api.Services.GetRequiredService<ListingIndex>().Refresh();

        var found = await (await api.Client.Send(HttpMethod.Get, "/api/search?kind=offer&field=transport&pageSize=100")).Expect(200);
        Assert.Contains(found["items"]!.AsArray(), i => (string)i!["id"]! == offer.Id.ToString());
        // the same pair is announced by a replica that announces (MatchingApiTests); here nothing is, not even later
        await Task.Delay(500);
        Assert.Equal(0, api.Count<MatchSuggested>(m => m.OfferId == offer.Id || m.DemandId == demand.Id));
    }

    [Fact]
    public void A_negative_announcement_count_stops_the_start()
    {
        using var broken = new BrokenMatchingApi();
        var failure = Assert.ThrowsAny<Exception>(() => broken.Client);
        Assert.Contains("Matching:AnnounceTop", failure.ToString());
    }

    private sealed class BrokenMatchingApi : MatchingApi
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Matching:AnnounceTop", "-1")];
    }
}
