using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Shared;

namespace Marketplace.Portal.Tests;

/// <summary>Turning a page at the pager, below the rows, brings the user back to the top of the list.</summary>
public sealed class PagedViewFocusTests : SignedInTestContext
{
    public PagedViewFocusTests()
    {
        SignIn(Roles.University, "hnu");
        Api.On("GET /api/listings", request =>
        {
            var query = System.Web.HttpUtility.ParseQueryString(request.RequestUri!.Query);
            var (page, size) = (int.Parse(query["page"]!), int.Parse(query["pageSize"]!));
            var items = Enumerable.Range((page - 1) * size + 1, Math.Min(size, 45 - (page - 1) * size))
                .Select(n => new ListingView { Id = Guid.NewGuid(), Kind = ListingKind.Offer, Status = ListingStatus.Draft, Title = $"成果 {n}" }).ToList();
            return FakeApi.Json(new PagedList<ListingView> { Items = items, Total = 45, Page = page, PageSize = size });
        });
    }

    [Fact]
    public void The_next_page_puts_the_focus_on_the_list_so_it_scrolls_back_to_its_first_row()
    {
        var list = Render<PagedView<ListingView>>(p => p
            .Add(v => v.Path, "/api/listings?mine=true")
            .Add(v => v.ChildContent, listings => string.Concat(listings.Select(l => $"<p class=\"row\">{l.Title}</p>"))));
        list.WaitForAssertion(() => Assert.Equal("成果 1", list.Find(".row").TextContent));
        Assert.Empty(JSInterop.Invocations["Blazor._internal.domWrapper.focus"]); // the first page does not take the focus

        list.Find("[data-testid=page-next]").Click();
        list.WaitForAssertion(() => Assert.Equal("成果 21", list.Find(".row").TextContent));
        Assert.IsType<Microsoft.AspNetCore.Components.ElementReference>(JSInterop.VerifyFocusAsyncInvoke().Arguments[0]);
        Assert.Equal("-1", list.Find(".portal-paged").GetAttribute("tabindex"));

        list.Find("[data-testid=page-3]").Click();
        list.WaitForAssertion(() => Assert.Equal("成果 41", list.Find(".row").TextContent));
        Assert.Equal(2, JSInterop.Invocations["Blazor._internal.domWrapper.focus"].Count);
    }
}
