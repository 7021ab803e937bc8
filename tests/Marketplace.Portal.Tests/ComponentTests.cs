using System.Text.Json;
using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Shared;
using Marketplace.Portal.Components.Shell;

namespace Marketplace.Portal.Tests;

/// <summary>The portal's components with logic: forms, how API errors are shown, the role-aware navigation.</summary>
public sealed class ComponentTests : PortalTestContext
{
    private static ApiProblem Problem(int status, params (string Field, string Message)[] errors) =>
        new(status, "标题 / Title", null, errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()));

    [Fact]
    public void Each_message_of_the_API_appears_next_to_its_field_and_the_rest_at_the_top()
    {
        var problem = Problem(400, ("title", "标题至少 4 个字"), ("keywords[1]", "关键词长度为 1–20 个字"), ("price.min", "金额不能为负"), ("contact", "联系电话格式不对"));
        var form = Render<ListingForm>(p => p.Add(f => f.Model, new ListingModel()).Add(f => f.Problem, problem).Add(f => f.IsNew, true));
        Assert.Equal("标题至少 4 个字", form.Find("[data-testid=error-title]").TextContent);
        Assert.Equal("关键词长度为 1–20 个字", form.Find("[data-testid=error-keywords]").TextContent);
        Assert.Equal("金额不能为负", form.Find("[data-testid=error-price]").TextContent);
        Assert.Empty(form.FindAll("[data-testid=error-summary]"));

        var banner = Render<ProblemBanner>(p => p.Add(b => b.Problem, problem).Add(b => b.PlacedFields, ListingForm.Fields));
        Assert.Contains("请修改标出的内容", banner.Markup);
        var unplaced = banner.FindAll(".portal-problem-list li").Select(li => li.TextContent).ToList();
        Assert.Equal(["联系电话格式不对"], unplaced); // only what no field shows
    }

    [Fact]
    public void A_number_the_form_cannot_read_is_marked_and_nothing_is_sent()
    {
        var saves = 0;
        var model = new ListingModel
        {
            Title = "固态电解质膜制备技术", Summary = "一种硫化物固态电解质薄膜的干法连续制备工艺。",
            Description = "成果包括电解质粉体改性、干法成膜与热压致密化工艺，已完成中试线验证。", Field = "new-energy",
            Keywords = "固态电池、电解质膜", Maturity = "6", PriceMin = "三十万",
        };
        model.TransferModes.Add(TransferMode.Transfer);
        var form = Render<ListingForm>(p => p.Add(f => f.Model, model).Add(f => f.IsNew, true).Add(f => f.OnSave, () => saves++));
        form.Find("form").Submit();
        Assert.Equal(0, saves);
        Assert.Contains("请输入金额", form.Find("[data-testid=error-price]").TextContent);

        form.Find("[data-testid=price-min]").Change("300000");
        form.Find("form").Submit();
        Assert.Equal(1, saves);
        Assert.Empty(form.FindAll("[data-testid=error-price]"));
    }

    [Fact]
    public void A_demand_asks_for_budget_and_deadline_instead_of_maturity_and_price()
    {
        var model = new ListingModel();
        var form = Render<ListingForm>(p => p.Add(f => f.Model, model).Add(f => f.IsNew, true));
        Assert.NotEmpty(form.FindAll("[data-testid=maturity]"));
        form.Find("[data-testid=kind]").Change("demand");
        Assert.Empty(form.FindAll("[data-testid=maturity]"));
        Assert.NotEmpty(form.FindAll("[data-testid=deadline]"));
        Assert.NotEmpty(form.FindAll("[data-testid=budget-min]"));
    }

    [Fact]
    public void What_the_form_sends_is_what_the_API_expects()
    {
        var model = new ListingModel
        {
            Kind = ListingKind.Demand, Title = " 盐碱地水稻耐盐育种 ", Summary = "s", Description = "d", Field = "agriculture",
            Keywords = "耐盐、水稻, 育种  种子", BudgetMin = "", BudgetMax = "800000", Deadline = "2027-03-31",
        };
        var json = JsonSerializer.SerializeToElement(model.ToRequest(), MarketApi.Json);
        Assert.Equal("盐碱地水稻耐盐育种", json.GetProperty("title").GetString());
        Assert.Equal(["耐盐", "水稻", "育种", "种子"], json.GetProperty("keywords").EnumerateArray().Select(k => k.GetString()));
        Assert.Equal(800000m, json.GetProperty("budget").GetProperty("max").GetDecimal());
        Assert.False(json.GetProperty("budget").TryGetProperty("min", out _)); // left empty: not sent
        // the end of the chosen day in Beijing time
        Assert.Equal(new DateTimeOffset(2027, 3, 31, 23, 59, 59, TimeSpan.FromHours(8)), json.GetProperty("deadline").GetDateTimeOffset());
        Assert.False(json.TryGetProperty("price", out _));
    }

    [Fact]
    public void An_offer_without_a_price_is_sent_as_negotiable_as_the_form_says()
    {
        var model = new ListingModel { Kind = ListingKind.Offer, Title = "t", Summary = "s", Description = "d", Field = "new-energy", Keywords = "k" };
        var json = JsonSerializer.SerializeToElement(model.ToRequest(), MarketApi.Json);
        Assert.True(json.GetProperty("price").GetProperty("negotiable").GetBoolean());
        Assert.False(json.GetProperty("price").TryGetProperty("min", out _));

        model.PriceMax = "500000";
        json = JsonSerializer.SerializeToElement(model.ToRequest(), MarketApi.Json);
        Assert.Equal(500000m, json.GetProperty("price").GetProperty("max").GetDecimal());
        Assert.False(json.GetProperty("price").GetProperty("negotiable").GetBoolean());
    }

    [Fact]
    public void An_offers_patent_numbers_go_out_with_the_listing_and_an_empty_row_does_not()
    {
        var model = new ListingModel { Kind = ListingKind.Offer, Title = "t", Summary = "s", Description = "d", Field = "new-energy", Keywords = "k" };
        var form = Render<ListingForm>(p => p.Add(f => f.Model, model).Add(f => f.IsNew, true));
        form.Find("[data-testid=add-ip]").Click();
        form.Find("[data-testid=add-ip]").Click();
        form.FindAll("[data-testid=ip-number]")[0].Change(" ZL201710601862.3 ");
        form.FindAll("[data-testid=ip-title]")[0].Change("一种固态电解质膜的制备方法");
        form.FindAll("[data-testid=ip-type]")[1].Change("software_copyright");

        var items = JsonSerializer.SerializeToElement(model.ToRequest(), MarketApi.Json).GetProperty("ipItems").EnumerateArray().ToList();
        var item = Assert.Single(items); // the second row has no number
        Assert.Equal("invention_patent", item.GetProperty("type").GetString());
        Assert.Equal("ZL201710601862.3", item.GetProperty("number").GetString());
        Assert.Equal("一种固态电解质膜的制备方法", item.GetProperty("title").GetString());

        // an edit reads them back: saving again keeps them
        var again = ListingModel.From(new ListingView { Kind = ListingKind.Offer, IpItems = [new ListingIpItem(IpType.UtilityModel, "202320123456.1", null)] });
        Assert.Equal(IpType.UtilityModel, Assert.Single(again.IpItems).Type);
        // a demand has none (the API refuses IP items on a demand)
        model.Kind = ListingKind.Demand;
        Assert.False(JsonSerializer.SerializeToElement(model.ToRequest(), MarketApi.Json).TryGetProperty("ipItems", out _));
    }

    [Fact]
    public void A_stale_version_explains_itself_and_offers_a_reload_a_server_fault_offers_a_retry()
    {
        var reloads = 0;
        var stale = Render<ProblemBanner>(p => p.Add(b => b.Problem, Problem(412)).Add(b => b.OnReload, () => reloads++));
        Assert.Contains("已被他人修改", stale.Markup);
        Assert.Empty(stale.FindAll("[data-testid=retry]"));
        stale.Find("[data-testid=reload]").Click();
        Assert.Equal(1, reloads);

        var retries = 0;
        var fault = Render<ProblemBanner>(p => p.Add(b => b.Problem, Problem(503)).Add(b => b.OnRetry, () => retries++));
        Assert.Contains("稍后重试", fault.Markup);
        Assert.DoesNotContain("Exception", fault.Markup);
        fault.Find("[data-testid=retry]").Click();
        Assert.Equal(1, retries);

        var offline = Render<ProblemBanner>(p => p.Add(b => b.Problem, ApiProblem.Unreachable).Add(b => b.OnRetry, () => retries++));
        Assert.Contains("无法连接", offline.Markup);
        Assert.NotEmpty(offline.FindAll("[data-testid=retry]"));
    }

    [Theory]
    [InlineData(null, "/my/listings", false)]
    [InlineData("university", "/my/listings", true)]
    [InlineData("enterprise", "/my/listings", true)]
    [InlineData("enterprise", "/review", false)]
    [InlineData("operator", "/review", true)]
    [InlineData("operator", "/my/listings", false)]
    [InlineData("broker", "/review", false)]
    [InlineData("enterprise", "/interests", true)]
    [InlineData("university", "/interests", true)]
    [InlineData("broker", "/interests", true)]
    [InlineData("operator", "/interests", false)]
    [InlineData(null, "/interests", false)]
    public void The_navigation_shows_only_pages_the_user_may_use(string? role, string href, bool shown)
    {
        var items = PortalNavigation.For(role).Select(i => i.Href).ToList();
        Assert.Equal(shown, items.Contains(href));
        Assert.Contains("/search", items);
        Assert.Contains("/verify", items);
    }

    [Theory]
    [InlineData("/my/listings", "/my/listings")]
    [InlineData("https://evil.example/", "/")]
    [InlineData("//evil.example", "/")]
    [InlineData("/\\evil.example", "/")]
    [InlineData(null, "/")]
    public void Sign_in_goes_back_only_to_a_page_of_this_site(string? returnUrl, string expected) =>
        Assert.Equal(expected, PortalSetup.SafeReturnUrl(returnUrl));
}
