using System.Collections.Concurrent;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.Browser.Tests;

/// <summary>The portal and the API reference work under their Content-Security-Policy: the browser refuses nothing they load.</summary>
public sealed class ContentSecurityTests(PortalMarket market) : IClassFixture<PortalMarket>
{
    [BrowserFact]
    public async Task A_visitor_browses_the_portal_and_the_reference_and_the_browser_refuses_nothing()
    {
        var page = await market.OpenAsync();
        var refused = new ConcurrentBag<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) refused.Add(message.Text);
        };
        foreach (var path in new[] { "/", "/search", "/signin", "/docs" })
        {
            var response = await page.GotoAsync(path);
            Assert.Contains("default-src 'self'", (await response!.AllHeadersAsync())["content-security-policy"]);
        }
        // the circuit starts under the policy (the journeys use it throughout)
        await page.GotoAsync("/search");
        await page.InteractiveAsync();

        await page.GotoAsync("/docs/reference/");
        await Expect(page.GetByText("Listings 挂牌信息").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        Assert.Empty(refused);
    }
}
