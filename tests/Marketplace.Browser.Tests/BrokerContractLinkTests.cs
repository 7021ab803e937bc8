using static Microsoft.Playwright.Assertions;

namespace Marketplace.Browser.Tests;

/// <summary>A contract the university registered without naming its deal: the broker links it on the deal's page, by its registration number.</summary>
public sealed class BrokerContractLinkTests(PortalMarket market) : IClassFixture<PortalMarket>
{
    [BrowserFact]
    public async Task The_broker_links_a_contract_registered_without_naming_the_deal_and_the_deal_shows_it_registered()
    {
        // the scene's deal (demo-broker's, between the university and the enterprise) and a contract the university registered naming no deal
        var scene = await PortalScene.ArrangeAsync(market);
        var broker = await market.OpenAsync("demo-broker");
        await broker.GotoAsync($"/broker/deals/{scene.Deal}");
        await broker.InteractiveAsync();
        await Expect(broker.TestId("deal-contract-link-hint")).ToBeVisibleAsync();

        // a number no contract has is refused at the field, in Chinese
        await broker.EnterAsync("registration-number", "2026430100999999");
        await broker.TestId("link-contract-submit").ClickAsync();
        await Expect(broker.TestId("error-registrationNumber")).ToContainTextAsync("未找到登记号为 2026430100999999 的已登记合同");
        await Expect(broker.TestId("deal-stage")).Not.ToContainTextAsync("合同已登记");

        // the registration reaches the broker service through the bus: until it has, the answer says to try again shortly
        await broker.EnterAsync("registration-number", scene.Number);
        for (var attempt = 0; attempt < 60 && await broker.TestId("deal-contract").CountAsync() == 0; attempt++)
        {
            await broker.TestId("link-contract-submit").ClickAsync();
            await broker.WaitForTimeoutAsync(500);
        }
        await Expect(broker.TestId("deal-contract")).ToContainTextAsync(scene.Number);
        await Expect(broker.TestId("deal-stage")).ToContainTextAsync("合同已登记");
        await Expect(broker.TestId("link-contract")).ToHaveCountAsync(0);
        await Expect(broker.TestId("history")).ToContainTextAsync(scene.Number);

        // read again, the deal is registered with that contract
        await broker.ReloadAsync();
        await broker.InteractiveAsync();
        await Expect(broker.TestId("deal-contract")).ToContainTextAsync(scene.Number);
    }
}
