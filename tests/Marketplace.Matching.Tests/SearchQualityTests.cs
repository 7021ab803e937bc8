using Marketplace.Contracts;
using Marketplace.Matching.Indexing;
using Marketplace.Matching.Matches;
using Marketplace.Matching.Search;

namespace Marketplace.Matching.Tests;

public sealed class IndexFixture : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "matching-index-" + Guid.NewGuid().ToString("N"));

    public IndexFixture()
    {
        Index = new ListingIndex(_path, new TextAnalysis(TextAnalysisMode.SmartCn));
        foreach (var entry in MarketCorpus.Entries) Index.Apply(MarketCorpus.Snapshot(entry));
        Index.Refresh();
        Search = new SearchService(Index);
        Scorer = new MatchScorer(Index, new MatchingOptions(), TimeProvider.System);
    }

    internal ListingIndex Index { get; }
    internal SearchService Search { get; }
    internal MatchScorer Scorer { get; }

    public void Dispose()
    {
        Index.Dispose();
        try { Directory.Delete(_path, true); } catch (IOException) { }
    }
}

public sealed class SearchQualityTests(IndexFixture fixture) : IClassFixture<IndexFixture>
{
    public static TheoryData<string, string> Queries
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var (query, expected) in MarketCorpus.Queries) data.Add(query, expected);
            return data;
        }
    }

    [Theory, MemberData(nameof(Queries))]
    public void What_people_type_finds_the_listing_they_mean_in_the_top_three(string query, string expected)
    {
        var result = fixture.Search.Search(new SearchRequest { Query = query, PageSize = 3 });
        Assert.Contains(MarketCorpus.IdOf(expected), result.Items.Select(i => i.Id));
    }

    [Fact]
    public void Highlights_mark_the_query_terms_and_keep_the_text_safe()
    {
        var hit = fixture.Search.Search(new SearchRequest { Query = "高镍三元", PageSize = 1 }).Items.Single();
        Assert.Contains("<em>", hit.TitleHighlighted);
        Assert.Contains("三元", hit.TitleHighlighted);
        Assert.DoesNotContain("&#", hit.Snippet);
    }

    [Fact]
    public void Facets_agree_with_the_listings_indexed()
    {
        var all = fixture.Search.Search(new SearchRequest { PageSize = 100 });
        Assert.Equal(MarketCorpus.Entries.Count, all.Total);
        foreach (var group in MarketCorpus.Entries.GroupBy(e => e.Field))
            Assert.Equal(group.Count(), all.Facets.Field.Single(f => f.Value == group.Key).Count);
        foreach (var group in MarketCorpus.Entries.GroupBy(e => e.SubMarket))
            Assert.Equal(group.Count(), all.Facets.SubMarket.Single(f => f.Value == group.Key).Count);
        Assert.Equal(MarketCorpus.Entries.Count(e => e.Kind == ListingKind.Demand), all.Facets.Kind.Single(f => f.Value == "demand").Count);
        Assert.Equal(MarketCorpus.Entries.Count(e => e.Maturity == 8), all.Facets.Maturity.Single(f => f.Value == "8").Count);

        var filtered = fixture.Search.Search(new SearchRequest { Field = "new-energy", SubMarket = "zhuzhou", PageSize = 100 });
        var expected = MarketCorpus.Entries.Where(e => e.Field == "new-energy" && e.SubMarket == "zhuzhou").Select(e => MarketCorpus.IdOf(e.Key)).ToHashSet();
        Assert.Equal(expected, filtered.Items.Select(i => i.Id).ToHashSet());
        Assert.Equal(expected.Count, filtered.Facets.Field.Single().Count);
    }

    [Fact]
    public void Filters_on_kind_maturity_mode_and_price_narrow_the_results()
    {
        var mature = fixture.Search.Search(new SearchRequest { MaturityMin = 8, PageSize = 100 });
        Assert.All(mature.Items, i => Assert.True(i.Maturity >= 8));
        Assert.Equal(MarketCorpus.Entries.Count(e => e.Maturity >= 8), mature.Total);

        var cheap = fixture.Search.Search(new SearchRequest { Kind = ListingKind.Offer, PriceMax = 500_000m, PageSize = 100 });
        Assert.Equal(MarketCorpus.Entries.Count(e => e.Kind == ListingKind.Offer && e.Price <= 500_000m), cheap.Total);

        var demands = fixture.Search.Search(new SearchRequest { Kind = ListingKind.Demand, Mode = TransferMode.JointDevelopment, PageSize = 100 });
        Assert.Equal(MarketCorpus.Entries.Count(e => e.Kind == ListingKind.Demand), demands.Total);
    }

    [Fact]
    public void Sorting_by_price_and_paging_are_consistent()
    {
        var byPrice = fixture.Search.Search(new SearchRequest { Kind = ListingKind.Offer, Sort = SearchSort.Price, PageSize = 100 }).Items;
        var prices = byPrice.Select(i => i.Price!.Min!.Value).ToList();
        Assert.Equal(prices.OrderBy(p => p), prices);
        var page2 = fixture.Search.Search(new SearchRequest { Kind = ListingKind.Offer, Sort = SearchSort.Price, Page = 2, PageSize = 5 }).Items;
        Assert.Equal(byPrice.Skip(5).Take(5).Select(i => i.Id), page2.Select(i => i.Id));
    }

    [Theory]
    [InlineData("正极材料 AND (")]
    [InlineData("title:\"锂电池")]
    [InlineData("*?~^")]
    [InlineData("!!!")]
    public void Query_syntax_is_plain_text_and_never_an_error(string query)
    {
        var result = fixture.Search.Search(new SearchRequest { Query = query });
        Assert.NotNull(result);
    }

    [Fact]
    public void A_demand_is_matched_with_the_offers_that_fit_it_and_the_factors_add_up()
    {
        var demand = MarketCorpus.Snapshot(MarketCorpus.Entries.Single(e => e.Key == "d-battery"));
        var matches = fixture.Scorer.FindMatches(demand, 5);
        Assert.Equal(MarketCorpus.IdOf("ncm"), matches[0].Counterpart.Id);
        Assert.All(matches, m => Assert.Equal(ListingKind.Offer, m.Counterpart.Kind));
        Assert.All(matches, m => Assert.Equal(m.Score, m.Factors.Sum(f => f.Contribution)));
        Assert.Equal(["text", "field", "maturity", "price", "sub_market", "freshness"], matches[0].Factors.Select(f => f.Factor));
        Assert.Contains("同属新能源领域", matches[0].Explanation);

        var rail = fixture.Scorer.FindMatches(MarketCorpus.Snapshot(MarketCorpus.Entries.Single(e => e.Key == "d-rail")), 3);
        Assert.Equal(MarketCorpus.IdOf("railfault"), rail[0].Counterpart.Id);
        var soil = fixture.Scorer.FindMatches(MarketCorpus.Snapshot(MarketCorpus.Entries.Single(e => e.Key == "d-soil")), 3);
        Assert.Equal(MarketCorpus.IdOf("water"), soil[0].Counterpart.Id);
    }

    [Fact]
    public void An_offer_is_matched_with_demands_only()
    {
        var offer = MarketCorpus.Snapshot(MarketCorpus.Entries.Single(e => e.Key == "vision"));
        var matches = fixture.Scorer.FindMatches(offer, 5);
        Assert.Equal(MarketCorpus.IdOf("d-steel"), matches[0].Counterpart.Id);
        Assert.All(matches, m => Assert.NotEqual(ListingKind.Offer, m.Counterpart.Kind));
    }
}
