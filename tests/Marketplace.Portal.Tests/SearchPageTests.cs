using Marketplace.Portal.Components.Pages;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Portal.Tests;

/// <summary>The search page: the sort, the did-you-mean and the suggestions as you type (issue 17).</summary>
public sealed class SearchPageTests : SignedInTestContext
{
    private static object Answer(string? didYouMean = null) =>
        new { items = Array.Empty<object>(), total = 0, page = 1, pageSize = 10, facets = new { kind = Array.Empty<object>(), field = Array.Empty<object>(), subMarket = Array.Empty<object>() }, didYouMean };

    private string Location => Services.GetRequiredService<NavigationManager>().Uri;

    private IRenderedComponent<Search> Open(string address)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo(address);
        return Render<Search>();
    }

    [Fact]
    public void A_misspelt_query_offers_the_corrected_one_as_a_link_keeping_the_filters()
    {
        AddAuthorization();
        Api.On("GET /api/search", Answer(didYouMean: "故障诊断"));
        var page = Open("/search?q=" + Uri.EscapeDataString("故障诊段") + "&field=equipment");
        page.WaitForAssertion(() => Assert.Contains("您是不是要找", page.Find("[data-testid=did-you-mean]").TextContent, StringComparison.Ordinal));
        var link = page.Find("[data-testid=did-you-mean] a");
        Assert.Equal("故障诊断", link.TextContent);
        Assert.Equal("/search?q=" + Uri.EscapeDataString("故障诊断") + "&field=equipment", link.GetAttribute("href"));
    }

    [Fact]
    public void No_correction_no_did_you_mean()
    {
        AddAuthorization();
        Api.On("GET /api/search", Answer());
        var page = Open("/search?q=" + Uri.EscapeDataString("故障诊断"));
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=search-total]")));
        Assert.Empty(page.FindAll("[data-testid=did-you-mean]"));
    }

    [Fact]
    public void Related_listings_are_marked_and_explained_apart_from_the_ones_holding_the_terms()
    {
        AddAuthorization();
        object Hit(string id, string title, bool related) => new { id, kind = "offer", title, titleHighlighted = title, snippet = "", field = "new-energy", subMarket = "changsha", related };
        Api.On("GET /api/search", new
        {
            items = new[] { Hit("7d0b6a3e-0000-4000-8000-000000000001", "锂电池正极材料", false), Hit("7d0b6a3e-0000-4000-8000-000000000002", "高镍三元前驱体", true) },
            total = 2, page = 1, pageSize = 10,
            facets = new { kind = Array.Empty<object>(), field = Array.Empty<object>(), subMarket = Array.Empty<object>() },
        });
        var page = Open("/search?q=" + Uri.EscapeDataString("锂电池"));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=hit]").Count));
        Assert.Contains("不含检索词", page.Find("[data-testid=related-note]").TextContent, StringComparison.Ordinal);
        var hits = page.FindAll("[data-testid=hit]");
        Assert.Empty(hits[0].QuerySelectorAll("[data-testid=hit-related]"));
        Assert.Contains("相关推荐", hits[1].QuerySelector("[data-testid=hit-related]")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void The_chosen_sort_goes_into_the_address_and_to_the_API()
    {
        AddAuthorization();
        Api.On("GET /api/search", Answer());
        var page = Open("/search?q=" + Uri.EscapeDataString("锂电池"));
        page.Find("[data-testid=search-sort]").Change("newest");
        page.Find("[data-testid=search-form]").Submit();
        Assert.EndsWith("/search?q=" + Uri.EscapeDataString("锂电池") + "&sort=newest", Location, StringComparison.Ordinal);

        var sorted = Open("/search?q=" + Uri.EscapeDataString("锂电池") + "&sort=price");
        sorted.WaitForAssertion(() => Assert.Contains(Api.Sent("GET", "/api/search?"), r => r.PathAndQuery.EndsWith("&sort=price", StringComparison.Ordinal)));
        Assert.Equal("price", sorted.Find("[data-testid=search-sort]").GetAttribute("value"));
    }

    [Fact]
    public void Typing_asks_for_completions_and_offers_them_with_their_counts()
    {
        AddAuthorization();
        Api.On("GET /api/search", Answer());
        Api.On("GET /api/search/suggest", new { query = "轨道", items = new[] { new { text = "轨道交通", listings = 2 }, new { text = "轨道车辆", listings = 1 } } });
        var page = Render<Search>();
        page.Find("[data-testid=search-q]").Input("轨道");
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("#search-suggestions option").Count));
        Assert.Contains(Api.Sent("GET", "/api/search/suggest"), r => r.PathAndQuery == "/api/search/suggest?q=" + Uri.EscapeDataString("轨道"));
        Assert.Equal(["轨道交通", "轨道车辆"], page.FindAll("#search-suggestions option").Select(o => o.GetAttribute("value")));
        Assert.Equal("search-suggestions", page.Find("[data-testid=search-q]").GetAttribute("list"));

        // nothing typed: nothing asked, nothing offered
        var asked = Api.Sent("GET", "/api/search/suggest").Count();
        page.Find("[data-testid=search-q]").Input("  ");
        page.WaitForAssertion(() => Assert.Empty(page.FindAll("#search-suggestions option")));
        Assert.Equal(asked, Api.Sent("GET", "/api/search/suggest").Count());
    }

    [Fact]
    public void A_failed_suggestion_ask_leaves_the_search_working()
    {
        AddAuthorization();
        Api.On("GET /api/search", Answer());
        Api.Problem("GET /api/search/suggest", System.Net.HttpStatusCode.ServiceUnavailable, "暂不可用 / Unavailable");
        var page = Render<Search>();
        page.Find("[data-testid=search-q]").Input("轨道");
        page.WaitForAssertion(() => Assert.Single(Api.Sent("GET", "/api/search/suggest")));
        Assert.Empty(page.FindAll("#search-suggestions option"));
        Assert.True(page.FindAll(".portal-problem").Count == 0, page.Markup);
    }

    [Fact]
    public void Facets_are_real_links_to_the_narrowed_results_keeping_the_query_and_the_sort()
    {
        AddAuthorization();
        Api.On("GET /api/search", new
        {
            items = Array.Empty<object>(), total = 3, page = 1, pageSize = 10,
            facets = new { kind = Array.Empty<object>(), field = new[] { new { value = "new-energy", count = 3 } }, subMarket = Array.Empty<object>() },
        });
        var page = Open("/search?q=" + Uri.EscapeDataString("锂电池") + "&sort=newest");
        page.WaitForAssertion(() => Assert.NotEmpty(page.FindAll("[data-testid=facet-field-new-energy]")));
        Assert.Equal("/search?q=" + Uri.EscapeDataString("锂电池") + "&field=new-energy&sort=newest",
            page.Find("[data-testid=facet-field-new-energy]").GetAttribute("href"));
    }
}
