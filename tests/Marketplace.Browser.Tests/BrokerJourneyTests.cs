using System.Text.RegularExpressions;
using Marketplace.TestKit;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.Browser.Tests;

/// <summary>An enterprise's demand meets a university's offer; the broker takes the lead and runs the deal.</summary>
public sealed class BrokerJourneyTests(PortalMarket market) : IClassFixture<PortalMarket>
{
    [BrowserFact]
    public async Task An_enterprise_demand_becomes_a_lead_the_broker_accepts_and_moves_to_contract_signed()
    {
        var tag = Random.Shared.Next(1000, 9999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var operatorToken = await market.TokenAsync("demo-operator");
        // the university's offer is on the market already
        await market.PublishAsync(await market.TokenAsync("demo-university"), operatorToken, SampleData.SeparatorOffer($"耐高温陶瓷涂覆锂电池隔膜制备技术（{tag}）"));

        // the enterprise posts its demand in the portal
        var demandTitle = $"锂电池陶瓷涂覆隔膜技术需求（{tag}）";
        var enterprise = await market.OpenAsync("demo-enterprise");
        await enterprise.GotoAsync("/my/listings/new");
        await enterprise.InteractiveAsync();
        await enterprise.PickAsync("kind", "demand");
        await enterprise.EnterAsync("title", demandTitle);
        await enterprise.EnterAsync("summary", "寻求耐高温陶瓷涂覆锂电池隔膜的制备工艺。");
        await enterprise.EnterAsync("description", "公司生产动力锂电池，需要耐高温陶瓷涂覆隔膜的浆料配方与涂布工艺，提升电池热安全性能。");
        await enterprise.PickAsync("field", "new-energy");
        await enterprise.EnterAsync("keywords", "锂电池、隔膜");
        await enterprise.EnterAsync("budget-max", "500000");
        await enterprise.EnterAsync("deadline", DateTime.UtcNow.AddDays(90).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        await enterprise.TestId("save").ClickAsync();
        await enterprise.WaitForURLAsync(new Regex("/my/listings$"));
        var demand = enterprise.Locator("[data-testid=my-listing]", new() { HasText = demandTitle });
        await demand.Locator("[data-testid=submit]").ClickAsync();
        await Expect(demand.Locator("[data-testid=my-listing-status]")).ToHaveTextAsync("待审核");
        var demandId = await demand.GetAttributeAsync("data-id");
        await (await market.Api.Send(HttpMethod.Post, $"/api/listings/{demandId}/approve", operatorToken)).Expect(200);

        // the match reaches demo-broker as a lead
        var broker = await market.OpenAsync("demo-broker");
        var lead = broker.Locator("[data-testid=lead]", new() { HasText = demandTitle });
        for (var attempt = 0; attempt < 60; attempt++)
        {
            await broker.GotoAsync("/broker/leads");
            await broker.InteractiveAsync();
            if (await lead.CountAsync() > 0) break;
            await broker.WaitForTimeoutAsync(500);
        }
        await Expect(lead).ToBeVisibleAsync();
        await broker.ShotAsync("broker-leads");
        await lead.Locator("[data-testid=accept]").ClickAsync();
        await broker.WaitForURLAsync(new Regex("/broker/deals"));
        await broker.InteractiveAsync();

        var deal = broker.Locator("[data-testid=deal]", new() { HasText = "隔膜" }).First;
        await Expect(deal).ToHaveAttributeAsync("data-stage", "lead");
        foreach (var stage in new[] { "contacted", "negotiating" })
        {
            await deal.Locator("[data-testid=advance]").ClickAsync();
            await Expect(broker.Locator($"[data-stage={stage}] [data-testid=deal]", new() { HasText = "隔膜" })).ToHaveCountAsync(1);
            deal = broker.Locator($"[data-stage={stage}] [data-testid=deal]", new() { HasText = "隔膜" });
        }
        // agreeing needs the commission: without it the API's reason shows next to the input
        await deal.Locator("[data-testid=advance]").ClickAsync();
        await Expect(deal.Locator("[data-testid=error-commission]")).ToBeVisibleAsync();
        await deal.Locator("[data-testid=commission-value]").FillAsync("5");
        await deal.Locator("[data-testid=commission-value]").DispatchEventAsync("change");
        await deal.Locator("[data-testid=advance]").ClickAsync();
        deal = broker.Locator("[data-stage=agreed] [data-testid=deal]", new() { HasText = "隔膜" });
        await Expect(deal).ToHaveCountAsync(1);
        await deal.Locator("[data-testid=advance]").ClickAsync();
        deal = broker.Locator("[data-stage=contract_signed] [data-testid=deal]", new() { HasText = "隔膜" });
        await Expect(deal).ToHaveCountAsync(1);
        // "registered" comes from the contract's registration, not from a button…
        await Expect(deal.Locator("[data-testid=advance]")).ToHaveCountAsync(0);
        await Expect(deal.Locator("[data-testid=awaiting-registration]")).ToBeVisibleAsync();
        await broker.ShotAsync("broker-deals");

        // …and the history says how it got there
        await deal.Locator("a.portal-deal-title").ClickAsync();
        await Expect(broker.TestId("history")).ToContainTextAsync("已签合同");
    }
}
