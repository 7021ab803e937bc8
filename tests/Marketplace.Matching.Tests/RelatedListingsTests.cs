using System.Text.Json.Nodes;
using Marketplace.Contracts.Listing;
using Marketplace.Matching.Indexing;
using Marketplace.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Matching.Tests;

/// <summary>
/// Text feedback through <c>GET /api/search</c> (issue 17, docs/search-quality.md): in relevance order, a listing that
/// speaks of what the best hit speaks of is found even when it holds none of the query's terms — marked related, and
/// only in relevance order.
/// </summary>
public sealed class RelatedListingsTests(MatchingApi api) : IClassFixture<MatchingApi>
{
    private static ListingSnapshot Fresh(MarketCorpus.Entry e) =>
        MarketCorpus.Snapshot(e) with { Id = Guid.NewGuid(), OwnerOrg = "org-" + Guid.NewGuid().ToString("N"), PublishedAt = DateTimeOffset.UtcNow };

    private async Task<JsonObject> Search(string q, string more = "")
    {
        api.Services.GetRequiredService<ListingIndex>().Refresh();
        return await (await api.Client.Send(HttpMethod.Get, "/api/search?pageSize=100&q=" + Uri.EscapeDataString(q) + more)).Expect(200);
    }

    private static List<JsonObject> Items(JsonObject result) => result["items"]!.AsArray().Select(i => i!.AsObject()).ToList();

    private static Guid Id(JsonObject hit) => Guid.Parse((string)hit["id"]!);

    [Fact]
    public async Task A_listing_on_the_best_hits_subject_without_the_query_terms_is_found_as_related_in_relevance_order_only()
    {
        var market = MarketCorpus.Entries.Select(Fresh).ToList();
        var battery = market.Single(l => l.Title.StartsWith("高镍三元锂电池", StringComparison.Ordinal));
        // the same process as the battery listing's, in other words: neither 高, 镍 nor 三元 anywhere
        var precursor = Fresh(MarketCorpus.Entries[0]) with
        {
            Title = "正极前驱体共沉淀反应釜氨浓度在线控制",
            Summary = "共沉淀反应的氨浓度与pH值在线控制，前驱体球形度好。",
            Description = "针对正极前驱体共沉淀，实时调节氨浓度与pH值，配合两段烧结，已在百吨级中试线验证，球形度与振实密度稳定。",
            Keywords = ["前驱体", "共沉淀", "反应釜"],
        };
        foreach (var listing in market.Append(precursor)) await api.Deliver(new ListingPublished { Listing = listing });

        var relevance = await Search("高镍三元");
        var hits = Items(relevance);
        Assert.Equal(battery.Id, Id(hits[0]));
        Assert.False((bool)hits[0]["related"]!);
        var found = Assert.Single(hits, h => Id(h) == precursor.Id);
        Assert.True((bool)found["related"]!);
        Assert.All(hits.Where(h => (bool)h["related"]!), h => Assert.True(hits.IndexOf(h) > 0));
        var related = hits.Count(h => (bool)h["related"]!);
        // the rice-breeding listing holds no query term and shares a stray word or two with the battery's text: not related
        Assert.DoesNotContain(hits, h => (string)h["title"]! == MarketCorpus.Entries.Single(e => e.Key == "rice").Title);

        // the listings holding the query's terms are the same set in every order; related ones come with relevance only
        var newest = await Search("高镍三元", "&sort=newest");
        Assert.DoesNotContain(Items(newest), h => Id(h) == precursor.Id);
        Assert.Equal((long)relevance["total"]! - related, (long)newest["total"]!);
        Assert.All(Items(newest), h => Assert.False((bool)h["related"]!));
    }
}
