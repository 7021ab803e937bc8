using static Microsoft.Playwright.Assertions;

namespace Marketplace.Browser.Tests;

/// <summary>A developer finds the interactive API reference from the docs page and reads the market's operations there.</summary>
public sealed class ApiReferenceTests(PortalMarket market) : IClassFixture<PortalMarket>
{
    [BrowserFact]
    public async Task A_developer_opens_the_interactive_API_reference_from_the_docs_page_and_sees_the_operations()
    {
        var page = await market.OpenAsync();
        await page.GotoAsync("/docs");
        var link = page.TestId("api-reference");
        await Expect(link).ToBeVisibleAsync();
        var href = await link.GetAttributeAsync("href");
        Assert.Equal("/docs/reference/", href);

        // anonymous, as any visitor: the reference loads the embedded market's one document
        await page.GotoAsync(href!);
        await Expect(page.GetByText("Listings 挂牌信息").First).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await Expect(page.GetByText("Auth 登录").First).ToBeVisibleAsync();
        await Expect(page.GetByText("Contracts 技术合同认定登记").First).ToBeVisibleAsync();
        await Expect(page.GetByText("Sign in: username and password for an ES256 JWT").First).ToBeAttachedAsync();
    }
}
