using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Pages;

namespace Marketplace.Portal.Tests;

/// <summary>A deal as its parties see it, and the operator's introduction funnel.</summary>
public sealed class DealPageTests : SignedInTestContext
{
    private static readonly Guid DealId = Guid.Parse("0d6f3c52-0000-0000-0000-0000000000d1");

    private static DealView Deal(bool withBroker) => new()
    {
        Id = DealId, Title = "耐高温陶瓷涂覆锂电池隔膜制备技术", Field = "new-energy", SubMarket = "changsha", Stage = DealStage.Contacted, NextStage = DealStage.Negotiating,
        Version = 2, BrokerId = withBroker ? Guid.NewGuid() : null, InterestId = Guid.NewGuid(),
        Parties = [new DealParty("demo-enterprise-org", "长沙示范智造有限公司（演示）"), new DealParty("demo-university-org", "湖南示范大学（演示）")],
        Contacts = new DealContacts(
            new PartyContact("demo-university-org", "湖南示范大学（演示）", "李老师", "0731-88881234", "tto@example.edu.cn"),
            new PartyContact("demo-enterprise-org", "长沙示范智造有限公司（演示）", "王经理", null, null)),
        History = [new DealChange(DateTimeOffset.UtcNow, null, DealStage.Contacted, "从对接意向开启")],
    };

    [Fact]
    public void The_university_sees_the_enterprises_person_on_the_deal_page()
    {
        SignIn(Roles.University, "demo-university-org");
        Api.On($"GET /api/deals/{DealId}", Deal(withBroker: true), version: 2);
        var page = Render<PartyDeal>(p => p.Add(d => d.Id, DealId));
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=deal-contact]").Count));
        var interested = page.FindAll("[data-testid=deal-contact]")[1].TextContent;
        Assert.Contains("长沙示范智造有限公司", interested);
        Assert.Contains("王经理", interested);
        Assert.Contains("0731-88881234", page.FindAll("[data-testid=deal-contact]")[0].TextContent);
        // a broker runs it: the parties follow it and move nothing
        Assert.Empty(page.FindAll("[data-testid=advance]"));
        Assert.Contains("技术经纪人", page.Find("[data-testid=deal-broker]").TextContent);
    }

    [Fact]
    public void The_parties_of_a_deal_without_a_broker_move_it_themselves()
    {
        SignIn(Roles.Enterprise, "demo-enterprise-org");
        Api.On($"GET /api/deals/{DealId}", Deal(withBroker: false), version: 2);
        Api.On($"POST /api/deals/{DealId}/stage", Deal(withBroker: false) with { Stage = DealStage.Negotiating, NextStage = DealStage.Agreed, Version = 3 }, version: 3);
        var page = Render<PartyDeal>(p => p.Add(d => d.Id, DealId));
        page.WaitForAssertion(() => page.Find("[data-testid=advance]").Click());
        page.WaitForAssertion(() => Assert.Contains("洽谈中", page.Find("[data-testid=deal-stage]").TextContent));
        Assert.Equal("\"2\"", Api.Sent("POST", $"/api/deals/{DealId}/stage").Single().IfMatch);
        Assert.Contains("自行推进", page.Find("[data-testid=deal-broker]").TextContent);
        Assert.Empty(page.FindAll("[data-testid=commission-value]")); // agreeing next asks for no commission
        Assert.NotEmpty(page.FindAll("[data-testid=add-note]"));
    }

    [Fact]
    public void The_operator_dashboard_shows_the_introduction_funnel_and_its_rate()
    {
        SignIn(Roles.Operator, "xiangjiang-operator-org");
        Api.On("GET /api/interests/funnel", new FunnelView
        {
            SubMarkets =
            [
                new FunnelRow { SubMarket = "changsha", Interests = 8, Accepted = 2, Deals = 2, Registered = 1, IntroductionRate = 0.25m },
                new FunnelRow { SubMarket = "zhuzhou", Interests = 3, Accepted = 1, Deals = 1, Registered = 0, IntroductionRate = 0.3333m },
            ],
            Totals = new FunnelRow { Interests = 11, Accepted = 3, Deals = 3, Registered = 1, IntroductionRate = 0.2727m },
        });
        var page = Render<OperatorDashboard>();
        page.WaitForAssertion(() => Assert.Equal(3, page.FindAll("[data-testid=funnel-row]").Count));
        var changsha = page.Find("[data-testid=funnel-row][data-sub-market=changsha]");
        Assert.Contains("长沙", changsha.TextContent);
        Assert.Equal(["长沙分市场", "8", "2", "2", "1", "25%"], changsha.Children.Select(c => c.TextContent.Trim()));
        Assert.Equal("33.3%", page.Find("[data-testid=funnel-row][data-sub-market=zhuzhou] [data-testid=introduction-rate]").TextContent);
        Assert.Equal("27.3%", page.Find("[data-testid=funnel-row][data-sub-market=total] [data-testid=introduction-rate]").TextContent);
        foreach (var heading in new[] { "对接意向", "已接受", "已成交（交易）", "已登记合同", "对接成功率" })
            Assert.Contains(heading, page.Find("[data-testid=funnel] thead").TextContent);
    }
}
