using System.Net;
using System.Text.Json;
using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Pages;
using Marketplace.Portal.Components.Shared;

namespace Marketplace.Portal.Tests;

/// <summary>面议: an offer is posted at a negotiable price with a box like a demand's budget; each organisation starts with the kind it posts.</summary>
public sealed class NegotiablePriceTests : SignedInTestContext
{
    private void FillOffer(IRenderedComponent<ListingEditor> page)
    {
        page.Find("[data-testid=title]").Change("硫化物固态电解质膜连续干法制备技术");
        page.Find("[data-testid=summary]").Change("一种硫化物固态电解质薄膜的干法连续制备工艺。");
        page.Find("[data-testid=description]").Change("成果包括电解质粉体改性、干法成膜与热压致密化工艺，已完成中试线验证。");
        page.Find("[data-testid=field]").Change("new-energy");
        page.Find("[data-testid=keywords]").Change("固态电池、电解质膜");
        page.Find("[data-testid=maturity]").Change("6");
        page.Find("[data-testid=mode-transfer]").Change(true);
    }

    [Fact]
    public void A_university_posts_an_offer_at_negotiable_by_ticking_the_box()
    {
        SignIn(Roles.University, "demo-university-org");
        Api.On("POST /api/listings", new ListingView { Id = Guid.NewGuid(), Kind = ListingKind.Offer }, HttpStatusCode.Created);
        var page = Render<ListingEditor>();
        FillOffer(page);
        page.Find("[data-testid=price-min]").Change("五十万");
        page.Find("[data-testid=price-negotiable]").Change(true);
        Assert.True(page.Find("[data-testid=price-min]").HasAttribute("disabled"));
        Assert.True(page.Find("[data-testid=price-max]").HasAttribute("disabled"));

        page.Find("form").Submit();

        // what was typed in the price before 面议 was ticked is neither an error nor sent
        var sent = Assert.Single(Api.Sent("POST", "/api/listings"));
        var price = JsonDocument.Parse(sent.Body!).RootElement.GetProperty("price");
        Assert.True(price.GetProperty("negotiable").GetBoolean());
        Assert.False(price.TryGetProperty("min", out _));
        Assert.Empty(page.FindAll("[data-testid=error-price]"));
    }

    [Fact]
    public void An_offer_at_negotiable_opens_for_editing_with_the_box_ticked()
    {
        Assert.True(ListingModel.From(new ListingView { Kind = ListingKind.Offer, Price = new PriceRange(null, null, Negotiable: true) }).PriceNegotiable);
        Assert.True(ListingModel.From(new ListingView { Kind = ListingKind.Offer }).PriceNegotiable);
        var priced = ListingModel.From(new ListingView { Kind = ListingKind.Offer, Price = new PriceRange(300000m, null) });
        Assert.False(priced.PriceNegotiable);
        var form = Render<ListingForm>(p => p.Add(f => f.Model, ListingModel.From(new ListingView { Kind = ListingKind.Offer, Price = new PriceRange(null, null, true) })));
        Assert.True(form.Find("[data-testid=price-negotiable]").HasAttribute("checked"));
    }

    [Fact]
    public void An_enterprises_new_listing_starts_as_a_demand()
    {
        SignIn(Roles.Enterprise, "demo-enterprise-org");
        var page = Render<ListingEditor>();
        Assert.Equal("demand", page.Find("[data-testid=kind]").GetAttribute("value"));
        Assert.NotEmpty(page.FindAll("[data-testid=budget-negotiable]"));
        Assert.Empty(page.FindAll("[data-testid=maturity]"));
    }

    [Fact]
    public void A_universitys_new_listing_starts_as_an_offer()
    {
        SignIn(Roles.University, "demo-university-org");
        var page = Render<ListingEditor>();
        Assert.Equal("offer", page.Find("[data-testid=kind]").GetAttribute("value"));
        Assert.NotEmpty(page.FindAll("[data-testid=price-negotiable]"));
    }
}
