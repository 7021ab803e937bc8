using Marketplace.TestKit;
using Microsoft.Playwright;

namespace Marketplace.Browser.Tests;

/// <summary>
/// Loading the pages Lighthouse measures (home, a search, a listing) on a phone-sized screen, from the
/// first byte until the circuit has connected: ant-design-blazor.js is fetched once, the prerendered page
/// holds the page's content already, and the circuit's first render takes it over as it is — the
/// content never leaves the page to come back, and nothing shifts.
/// </summary>
public sealed class PageLoadTests(PortalMarket market) : IClassFixture<PortalMarket>
{
    /// <summary>
    /// Runs before the page's own scripts: sums the layout shifts (as Lighthouse's CLS does) and counts the
    /// times the element named by <c>window.__watched</c>, present once the HTML is parsed, was missing.
    /// </summary>
    private const string Watch = """
        window.__shifts = 0;
        window.__missing = 0;
        new PerformanceObserver(list => {
            for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shifts += entry.value;
        }).observe({ type: 'layout-shift', buffered: true });
        document.addEventListener('DOMContentLoaded', () => {
            window.__present = document.querySelector(window.__watched) !== null;
            new MutationObserver(() => {
                if (document.querySelector(window.__watched) === null) window.__missing++;
            }).observe(document.body, { childList: true, subtree: true });
        });
        """;

    private async Task<string> PublishedListingAsync()
    {
        var title = "固态电解质薄膜连续制备工艺（页面加载）";
        var id = await market.PublishAsync(await market.TokenAsync("demo-university"), await market.TokenAsync("demo-operator"), SampleData.SeparatorOffer(title));
        // set-up: search learns of the approval through the bus, a moment later
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((long)(await (await market.Api.Send(HttpMethod.Get, "/api/search?q=" + Uri.EscapeDataString(title))).Expect(200))["total"]! == 0
               && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }
        return id;
    }

    /// <summary>The pages measured, each with the element that shows its content.</summary>
    private async Task<(string Path, string Content)[]> PagesAsync()
    {
        var id = await PublishedListingAsync();
        return
        [
            ("/", "[data-testid=turnover]"),
            ("/search?q=" + Uri.EscapeDataString("固态电解质"), "[data-testid=hit]"),
            ($"/listings/{id}", "[data-testid=listing-title]"),
        ];
    }

    /// <summary>Opens the page on a phone-sized screen, watched from its first byte, until the circuit has connected and drawn.</summary>
    private async Task<IPage> LoadAsync(string path, string content, List<string>? antDesignScripts = null)
    {
        var page = await market.OpenAsync(width: 412, height: 823);
        if (antDesignScripts is not null)
        {
            page.Request += (_, request) =>
            {
                var url = new Uri(request.Url);
                if (url.AbsolutePath.Contains("/ant-design-blazor", StringComparison.Ordinal) && url.AbsolutePath.EndsWith(".js", StringComparison.Ordinal))
                {
                    lock (antDesignScripts) antDesignScripts.Add(url.AbsolutePath);
                }
            };
        }
        await page.AddInitScriptAsync($"window.__watched = '{content}';\n{Watch}");
        await page.GotoAsync(path);
        await page.InteractiveAsync();
        // the layout shifts of the frames drawn so far are reported by the next one
        await page.EvaluateAsync("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))");
        return page;
    }

    [BrowserFact]
    public async Task A_page_loads_ant_design_blazor_js_once()
    {
        foreach (var (path, content) in await PagesAsync())
        {
            var scripts = new List<string>();
            var page = await LoadAsync(path, content, scripts);
            // Ant Design's initializer (run as the circuit starts) added a second copy at the plain URL
            Assert.Equal(1, await page.EvaluateAsync<int>("() => document.querySelectorAll('script[src*=\"ant-design-blazor\"]').length"));
            lock (scripts) Assert.Single(scripts);
            await page.Context.CloseAsync();
        }
    }

    [BrowserFact]
    public async Task A_page_holds_its_content_while_the_circuit_connects_and_nothing_shifts()
    {
        foreach (var (path, content) in await PagesAsync())
        {
            var page = await LoadAsync(path, content);
            Assert.True(await page.EvaluateAsync<bool>("() => window.__present"), $"{path}: {content} is not in the prerendered page");
            // the circuit's first render used to ask the API again and show a spinner (or nothing) meanwhile
            Assert.Equal(0, await page.EvaluateAsync<int>("() => window.__missing"));
            var shifts = await page.EvaluateAsync<double>("() => window.__shifts");
            Assert.True(shifts < 0.1, $"{path}: layout shifts add up to {shifts}");
            await page.Context.CloseAsync();
        }
    }

    [BrowserFact]
    public async Task A_listings_details_are_in_the_prerendered_page_written_as_Chinese()
    {
        var id = await PublishedListingAsync();
        // Ant Design's Descriptions added the rows only once the circuit had connected, pushing the rest of the
        // page down; and the text is Chinese as such, not &#x...; references (eight bytes a character)
        var listing = await market.Api.GetStringAsync($"/listings/{id}");
        foreach (var label in new[] { "发布单位", "技术领域", "分市场", "关键词", "技术成熟度", "价格" })
        {
            Assert.Contains($"<th scope=\"row\" class=\"ant-descriptions-item-label\">{label}</th>", listing);
        }
        Assert.DoesNotContain("&#x", listing);

        // what HTML needs escaped still is: a query comes back as the search box's value, not as markup
        var search = await market.Api.GetStringAsync("/search?q=" + Uri.EscapeDataString("<i>锂电池\""));
        Assert.Contains("value=\"&lt;i&gt;锂电池&quot;\"", search);
        Assert.DoesNotContain("<i>锂电池", search);
    }
}
