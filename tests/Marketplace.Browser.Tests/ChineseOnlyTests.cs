using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.Browser.Tests;

/// <summary>
/// The portal speaks Chinese only, as its users read it: no English halves of the API's messages, no raw codes in
/// histories and tables, a Chinese 404 page for an unknown address (the API keeps its ProblemDetails), a favicon.
/// </summary>
public sealed partial class ChineseOnlyTests(PortalMarket market) : IClassFixture<PortalMarket>
{
    /// <summary>Latin words a Chinese page may show: product and format names.</summary>
    private static readonly HashSet<string> Allowed = ["API", "OpenAPI", "PDF", "JSON", "SHA", "JWT", "TRL", "MB", "KB", "QR", "Excel", "PEM", "ZL"];

    [GeneratedRegex(@"(?<![A-Za-z0-9@.\-_/])[A-Za-z]{3,}(?![A-Za-z0-9@\-_])")]
    private static partial Regex LatinWord();

    /// <summary>The Latin words in what the page's main area shows, other than the allowed ones.</summary>
    private static async Task<string[]> EnglishOnAsync(IPage page) =>
        [.. LatinWord().Matches(await page.Locator("main").InnerTextAsync()).Select(m => m.Value).Where(w => !Allowed.Contains(w)).Distinct()];

    [BrowserFact]
    public async Task Histories_tables_reliefs_and_refusals_read_in_Chinese()
    {
        var scene = await PortalScene.ArrangeAsync(market);
        var pages = new[]
        {
            ("demo-university", $"/contracts/{scene.Registered}"),
            ("demo-university", $"/deals/{scene.Deal}"),
            ("demo-broker", $"/broker/deals/{scene.Deal}"),
            ("demo-registrar", $"/contracts/{scene.Registered}"),
            (null, "/verify?number=2026430101999999"),
            (null, "/verify?number=12345"),
        };
        foreach (var (user, path) in pages)
        {
            var page = await market.OpenAsync(user);
            await page.GotoAsync(path);
            await page.InteractiveAsync();
            await Expect(page.Locator("main h1")).ToHaveCountAsync(1);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.True((await EnglishOnAsync(page)).Length == 0, $"{path} as {user ?? "a visitor"} shows {string.Join(", ", await EnglishOnAsync(page))}");
            await page.Context.CloseAsync();
        }

        // the contract's history and the rules engine's card (the history said "drafted → submitted", the card "Findings")
        var university = await market.OpenAsync("demo-university");
        await university.GotoAsync($"/contracts/{scene.Registered}");
        await university.InteractiveAsync();
        await Expect(university.Locator("main")).ToContainTextAsync("起草");
        await Expect(university.Locator("main")).ToContainTextAsync("提交登记");
        await Expect(university.Locator("main")).ToContainTextAsync("增值税免征");

        // the tax office records a check: the table says what it saw in Chinese ("registered" before), and a check
        // without its case number is refused with the API's Chinese message only
        var tax = await market.OpenAsync("demo-tax");
        await tax.GotoAsync($"/tax?number={scene.Number}");
        await tax.InteractiveAsync();
        await tax.TestId("tax-record").ClickAsync();
        await Expect(tax.TestId("problem")).ToBeVisibleAsync();
        Assert.Empty(await EnglishOnAsync(tax));
        await tax.EnterAsync("tax-case", "湘税减免-2026-00456");
        await tax.TestId("tax-record").ClickAsync();
        await Expect(tax.TestId("tax-checks")).ToContainTextAsync("有效（已登记）");
        Assert.Empty(await EnglishOnAsync(tax));

        // a registration number nobody issued: said in Chinese
        var visitor = await market.OpenAsync();
        await visitor.GotoAsync("/verify?number=2026430101999999");
        await Expect(visitor.TestId("verify-result")).ToContainTextAsync("未找到该编号");
    }

    [BrowserFact]
    public async Task An_unknown_address_gets_the_portals_404_page_and_an_unknown_API_route_its_ProblemDetails()
    {
        var visitor = await market.OpenAsync();
        var response = await visitor.GotoAsync("/no-such-page/at-all?x=1");
        Assert.Equal(404, response!.Status);
        Assert.StartsWith("text/html", (await response.AllHeadersAsync())["content-type"]);
        await visitor.InteractiveAsync();
        await Expect(visitor.Locator("main h1")).ToHaveTextAsync("页面不存在");
        await Expect(visitor).ToHaveTitleAsync(new Regex("^页面不存在"));
        // the circuit's router shows the same page; its link goes home
        await visitor.Locator("main").GetByRole(AriaRole.Link, new() { Name = "返回首页" }).ClickAsync();
        await visitor.WaitForURLAsync(new Regex("/$"));
        await Expect(visitor.TestId("stats")).ToBeVisibleAsync();

        var api = await market.Api.GetAsync("/api/no-such-route");
        Assert.Equal(404, (int)api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);
        // other statuses of portal addresses keep their answers: a wrong method is not a missing page
        var wrongMethod = await market.Api.DeleteAsync("/portal/signout");
        Assert.Equal(405, (int)wrongMethod.StatusCode);
        Assert.DoesNotContain("页面不存在", await wrongMethod.Content.ReadAsStringAsync());
    }

    [BrowserFact]
    public async Task Every_page_names_its_favicon_and_the_icon_is_served()
    {
        var visitor = await market.OpenAsync();
        await visitor.GotoAsync("/");
        var href = await visitor.Locator("head link[rel=icon]").GetAttributeAsync("href");
        Assert.NotNull(href);
        var icon = await market.Api.GetAsync(href);
        Assert.Equal(200, (int)icon.StatusCode);
        Assert.Equal("image/svg+xml", icon.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<svg", await icon.Content.ReadAsStringAsync());
    }
}
