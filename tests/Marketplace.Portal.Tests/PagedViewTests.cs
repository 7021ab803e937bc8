using System.Net;
using System.Net.Http.Json;
using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Shared;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Portal.Tests;

/// <summary>The one paged list every list page uses: loading, the API's problem, the empty state and the pages.</summary>
public sealed class PagedViewTests : PortalTestContext
{
    private readonly List<string> _requests = [];
    private Func<Uri, Task<HttpResponseMessage>> _answer = _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));

    public PagedViewTests()
    {
        Services.AddSingleton<AuthenticationStateProvider>(new Anonymous());
        Services.AddSingleton(sp => new MarketApi(new HttpClient(new Handler(this)) { BaseAddress = new Uri("http://market.test") },
            sp.GetRequiredService<AuthenticationStateProvider>(), new PortalVisitor(new Microsoft.AspNetCore.Http.HttpContextAccessor())));
    }

    private static ListingView Listing(int n) => new() { Id = Guid.NewGuid(), Kind = ListingKind.Offer, Status = ListingStatus.Draft, Title = $"成果 {n}" };

    /// <summary>The page of <paramref name="total"/> listings that <paramref name="uri"/> asks for (page=, pageSize=), numbered from 1.</summary>
    private static HttpResponseMessage Page(Uri uri, int total, bool capped)
    {
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        var (page, size) = (int.Parse(query["page"]!), int.Parse(query["pageSize"]!));
        var items = Enumerable.Range((page - 1) * size + 1, size).Select(Listing).ToList();
        // as the API answers a total it stopped counting at (DESIGN.md §4)
        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = JsonContent.Create(new { items, total, page, pageSize = size, totalCapped = capped }, options: MarketApi.Json),
        };
    }

    private static HttpResponseMessage Page(Uri uri, int total)
    {
        var query = System.Web.HttpUtility.ParseQueryString(uri.Query);
        var (page, size) = (int.Parse(query["page"]!), int.Parse(query["pageSize"]!));
        var items = Enumerable.Range((page - 1) * size + 1, Math.Max(0, Math.Min(size, total - (page - 1) * size))).Select(Listing).ToList();
        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = JsonContent.Create(new PagedList<ListingView> { Items = items, Total = total, Page = page, PageSize = size }, options: MarketApi.Json),
        };
    }

    private IRenderedComponent<PagedView<ListingView>> RenderList(int pageSize = 20) => Render<PagedView<ListingView>>(p => p
        .Add(v => v.Path, "/api/listings?mine=true")
        .Add(v => v.PageSize, pageSize)
        .Add(v => v.EmptyText, "还没有发布信息")
        .Add(v => v.ChildContent, listings => string.Concat(listings.Select(l => $"<p class=\"row\">{l.Title}</p>"))));

    private static List<string> Rows(IRenderedComponent<PagedView<ListingView>> list) => [.. list.FindAll(".row").Select(r => r.TextContent)];

    [Fact]
    public void A_list_shows_it_is_loading_until_its_first_page_arrives_then_the_rows_and_the_total()
    {
        var arrived = new TaskCompletionSource<HttpResponseMessage>();
        _answer = _ => arrived.Task;
        var list = RenderList();
        Assert.NotEmpty(list.FindAll("[data-testid=list-loading]"));
        Assert.Empty(Rows(list));

        arrived.SetResult(Page(new Uri("http://market.test/api/listings?mine=true&page=1&pageSize=20"), 3));
        list.WaitForAssertion(() => Assert.Equal(["成果 1", "成果 2", "成果 3"], Rows(list)));
        Assert.Empty(list.FindAll("[data-testid=list-loading]"));
        Assert.Equal("共 3 条", list.Find("[data-testid=list-total]").TextContent);
        Assert.Empty(list.FindAll("[data-testid=pager]")); // one page: nothing to turn
        Assert.Equal(["/api/listings?mine=true&page=1&pageSize=20"], _requests);
    }

    [Fact]
    public void A_total_the_API_stopped_counting_at_is_shown_as_more_than_it()
    {
        _answer = uri => Task.FromResult(Page(uri, 10_000, capped: true));
        var list = RenderList();
        list.WaitForAssertion(() => Assert.Equal("共 10000+ 条", list.Find("[data-testid=list-total]").TextContent));

        _answer = uri => Task.FromResult(Page(uri, 10_000, capped: false));
        var exact = RenderList();
        exact.WaitForAssertion(() => Assert.Equal("共 10000 条", exact.Find("[data-testid=list-total]").TextContent));
    }

    [Fact]
    public void A_list_the_API_cannot_give_says_why_and_retrying_loads_it()
    {
        _answer = _ => Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));
        var list = RenderList();
        list.WaitForAssertion(() => Assert.Contains("稍后重试", list.Find("[data-testid=problem]").TextContent));
        Assert.Empty(list.FindAll("[data-testid=list-loading]"));
        Assert.Empty(list.FindAll("[data-testid=list-empty]")); // a failure is not an empty list

        _answer = uri => Task.FromResult(Page(uri, 2));
        list.Find("[data-testid=retry]").Click();
        list.WaitForAssertion(() => Assert.Equal(["成果 1", "成果 2"], Rows(list)));
        Assert.Empty(list.FindAll("[data-testid=problem]"));
    }

    [Fact]
    public void An_empty_list_says_so_in_the_pages_own_words()
    {
        _answer = uri => Task.FromResult(Page(uri, 0));
        var list = RenderList();
        list.WaitForAssertion(() => Assert.Contains("还没有发布信息", list.Find("[data-testid=list-empty]").TextContent));
        Assert.Empty(list.FindAll("[data-testid=pager]"));
    }

    [Fact]
    public void The_rows_past_the_first_page_are_one_click_away_and_the_total_counts_them_all()
    {
        _answer = uri => Task.FromResult(Page(uri, 101));
        var list = RenderList();
        list.WaitForAssertion(() => Assert.Equal(20, Rows(list).Count));
        Assert.Equal("共 101 条", list.Find("[data-testid=list-total]").TextContent);

        list.Find("[data-testid=page-2]").Click();
        list.WaitForAssertion(() => Assert.Equal("成果 21", Rows(list).First()));
        Assert.Equal("/api/listings?mine=true&page=2&pageSize=20", _requests.Last());

        // the last page holds the 101st
        list.Find("[data-testid=page-6]").Click();
        list.WaitForAssertion(() => Assert.Equal(["成果 101"], Rows(list)));
        Assert.True(list.Find("[data-testid=page-next]").HasAttribute("disabled"));
        list.Find("[data-testid=page-prev]").Click();
        list.WaitForAssertion(() => Assert.Equal("成果 81", Rows(list).First()));
    }

    [Fact]
    public void When_the_last_row_of_the_last_page_goes_away_the_list_shows_the_page_before()
    {
        var total = 21;
        _answer = uri => Task.FromResult(Page(uri, total));
        var list = RenderList();
        list.WaitForAssertion(() => Assert.NotEmpty(list.FindAll("[data-testid=page-2]")));
        list.Find("[data-testid=page-2]").Click();
        list.WaitForAssertion(() => Assert.Equal(["成果 21"], Rows(list)));

        total = 20; // approved by someone: gone from the queue
        list.InvokeAsync(() => list.Instance.ReloadAsync());
        list.WaitForAssertion(() => Assert.Equal(20, Rows(list).Count));
        Assert.Empty(list.FindAll("[data-testid=pager]"));
    }

    private sealed class Anonymous : AuthenticationStateProvider
    {
        public override Task<AuthenticationState> GetAuthenticationStateAsync() =>
            Task.FromResult(new AuthenticationState(new System.Security.Claims.ClaimsPrincipal()));
    }

    private sealed class Handler(PagedViewTests test) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            test._requests.Add(request.RequestUri!.PathAndQuery);
            return test._answer(request.RequestUri);
        }
    }
}
