using System.Text.Json;
using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Pages;

namespace Marketplace.Portal.Tests;

/// <summary>The broker's leads: best match first, each naming the listings it is about, and 不接受 only with a reason and after confirming.</summary>
public sealed class LeadTests : SignedInTestContext
{
    private static LeadView Lead(string offer, string demand, decimal score) => new()
    {
        Id = Guid.NewGuid(), OfferId = Guid.NewGuid(), DemandId = Guid.NewGuid(), Title = $"{offer} ↔ {demand}", OfferTitle = offer, DemandTitle = demand,
        Score = score, Field = "new-energy", SubMarket = "changsha", Summary = "关键词相符",
    };

    [Fact]
    public void Leads_are_listed_best_match_first_with_links_to_the_offer_and_the_demand()
    {
        SignIn(Roles.Broker, "demo-broker-org");
        var low = Lead("锂电池回收技术", "废旧电池回收需求", 0.41m);
        var high = Lead("陶瓷涂覆隔膜制备技术", "隔膜技术需求", 0.92m);
        var middle = Lead("固态电解质配方", "电解质需求", 0.66m);
        Api.On("GET /api/leads", Page(low, high, middle)); // the API lists them oldest first
        var page = Render<BrokerLeads>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=lead]").Count));

        Assert.Equal([high.Id.ToString(), middle.Id.ToString(), low.Id.ToString()], page.FindAll("[data-testid=lead]").Select(l => l.GetAttribute("data-id")));
        var first = page.Find("[data-testid=lead]");
        Assert.Equal($"/listings/{high.OfferId}", first.QuerySelector("[data-testid=lead-title] [data-testid=lead-offer]")!.GetAttribute("href"));
        Assert.Equal($"/listings/{high.DemandId}", first.QuerySelector("[data-testid=lead-title] [data-testid=lead-demand]")!.GetAttribute("href"));
        Assert.Equal("隔膜技术需求", first.QuerySelector("[data-testid=lead-demand]")!.TextContent);
    }

    [Fact]
    public void Declining_a_lead_needs_a_reason_and_a_confirmation()
    {
        SignIn(Roles.Broker, "demo-broker-org");
        var lead = Lead("陶瓷涂覆隔膜制备技术", "隔膜技术需求", 0.92m);
        Api.On("GET /api/leads", Page(lead));
        Api.On($"POST /api/leads/{lead.Id}/decline", lead);
        var page = Render<BrokerLeads>();
        page.WaitForAssertion(() => page.Find("[data-testid=decline]").Click());
        Assert.Empty(Api.Sent("POST", $"/api/leads/{lead.Id}/decline"));

        // no reason: said in Chinese, nothing sent
        page.Find("[data-testid=decline-confirmed]").Click();
        Assert.Equal("请填写不接受的理由", page.Find("[data-testid=decline-error]").TextContent);
        page.Find("[data-testid=decline-reason]").Change("   ");
        page.Find("[data-testid=decline-confirmed]").Click();
        Assert.Equal("请填写不接受的理由", page.Find("[data-testid=decline-error]").TextContent);
        Assert.Empty(Api.Sent("POST", $"/api/leads/{lead.Id}/decline"));
        Assert.Equal("decline-reason-" + lead.Id, page.Find("[data-testid=decline-confirm] label").GetAttribute("for"));

        page.Find("[data-testid=decline-reason]").Change("该领域本月已满负荷");
        page.Find("[data-testid=decline-confirmed]").Click();
        page.WaitForAssertion(() => Assert.Contains("已婉拒", page.Find("[data-testid=notice]").TextContent));
        var body = JsonDocument.Parse(Api.Sent("POST", $"/api/leads/{lead.Id}/decline").Single().Body!);
        Assert.Equal("该领域本月已满负荷", body.RootElement.GetProperty("reason").GetString());
    }
}
