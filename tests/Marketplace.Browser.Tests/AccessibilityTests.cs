using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.Browser.Tests;

/// <summary>
/// axe-core over every page of every user group, with data on them (a published offer, an accepted
/// introduction and its deal, a registered contract and a draft): no critical or serious violation, one h1 a
/// page and headings in order.
/// </summary>
public sealed class AccessibilityTests(PortalMarket market, ITestOutputHelper output) : IClassFixture<PortalMarket>
{
    /// <summary>Every page each user group can reach, as they reach it.</summary>
    private static (string? User, string[] Paths)[] Pages(PortalScene f) =>
    [
        (null, ["/", "/search", "/search?q=" + Uri.EscapeDataString("隔膜"), "/brokers", "/verify", $"/verify?number={f.Number}",
            $"/listings/{f.Offer}", "/signin", "/docs", "/no-such-page"]),
        ("demo-university", ["/", "/my/listings", "/my/listings/new", $"/my/listings/{f.Offer}/edit", $"/my/listings/{f.Offer}/matches",
            "/interests?box=received", $"/interests/{f.Interest}", "/deals", $"/deals/{f.Deal}", "/contracts", "/contracts/new",
            $"/contracts/{f.Registered}", $"/contracts/{f.Draft}/edit", $"/certificate/{f.Number}", "/notifications", "/settings/notifications"]),
        ("demo-enterprise", ["/my/listings", "/my/listings/new", "/interests", $"/listings/{f.Offer}", "/deals", $"/deals/{f.Deal}", "/contracts"]),
        ("demo-broker", ["/broker/leads", "/broker/deals", $"/broker/deals/{f.Deal}", "/broker/profile", "/interests", "/contracts", "/notifications"]),
        ("demo-registrar", ["/registrar/queue", $"/contracts/{f.Registered}"]),
        ("demo-tax", ["/tax", $"/tax?number={f.Number}"]),
        ("demo-operator", ["/operator/dashboard", "/review", "/operator/brokers", "/admin"]),
        ("demo-admin", ["/admin", "/denied"]),
    ];

    [BrowserFact]
    public async Task Every_page_of_every_user_group_has_no_critical_or_serious_axe_violation()
    {
        var fixtures = await PortalScene.ArrangeAsync(market);
        var found = new List<(string Who, string Path, AxeResultItem Rule)>();
        var visited = 0;
        var unready = new List<string>();
        var headings = new List<string>();
        foreach (var (user, paths) in Pages(fixtures))
        {
            var page = await market.OpenAsync(user);
            foreach (var path in paths)
            {
                await page.GotoAsync(path);
                // the sign-in page is a plain form; every other page is measured once its circuit has drawn it
                if (path != "/signin" && await page.Locator("[data-interactive=true]").CountAsync() == 0)
                {
                    try { await page.InteractiveAsync(); }
                    catch (TimeoutException) { unready.Add($"{path} as {user ?? "anonymous"}"); continue; }
                }
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                var result = await page.RunAxe();
                visited++;
                // besides every critical and serious violation: one h1 a page, headings in order (both "moderate" to axe)
                found.AddRange(result.Violations.Where(v => v.Impact is "critical" or "serious" || v.Id is "page-has-heading-one" or "heading-order")
                    .Select(v => (user ?? "anonymous", path, v)));
                if (await page.Locator("h1").CountAsync() is var h1s and not 1) headings.Add($"{path} as {user ?? "anonymous"}: {h1s} h1");
            }
            await page.Context.CloseAsync();
        }

        var byRule = found.GroupBy(f => f.Rule.Id).Select(g => $"{g.Key}: {g.Sum(f => f.Rule.Nodes.Length)} nodes on {g.Count()} pages");
        output.WriteLine($"{visited} pages; " + (found.Count == 0 ? "no critical or serious violations" : string.Join("; ", byRule)));
        var report = new StringBuilder();
        foreach (var (who, path, rule) in found)
        {
            report.AppendLine($"{rule.Id} ({rule.Impact}) on {path} as {who}: {rule.Help}");
            foreach (var node in rule.Nodes.Take(5)) report.AppendLine($"    {node.Target}  {node.Html[..Math.Min(node.Html.Length, 160)]}");
            if (rule.Nodes.Length > 5) report.AppendLine($"    … and {rule.Nodes.Length - 5} more");
        }
        Assert.True(found.Count == 0 && unready.Count == 0 && headings.Count == 0,
            $"{string.Join("; ", byRule)}\nnever became interactive: {string.Join(", ", unready)}\nnot one h1: {string.Join(", ", headings)}\n{report}");
    }

    [BrowserFact]
    public async Task A_keyboard_user_skips_the_navigation_and_always_sees_where_the_focus_is()
    {
        var page = await market.OpenAsync("demo-university");
        await page.GotoAsync("/my/listings");
        await page.InteractiveAsync();
        var skip = page.TestId("skip-link");
        // the skip link is the page's first stop for the keyboard, hidden until it has the focus
        Assert.True(await page.EvaluateAsync<bool>("""
            () => document.querySelector('a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])') === document.querySelector('[data-testid=skip-link]')
            """));
        Assert.True((await skip.BoundingBoxAsync())!.Y < 0);
        await skip.FocusAsync();
        await Expect(skip).ToHaveTextAsync("跳到主要内容");
        Assert.True((await skip.BoundingBoxAsync())!.Y >= 0);
        Assert.Equal("solid 3px", await skip.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle + ' ' + getComputedStyle(e).outlineWidth"));

        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("main")).ToBeFocusedAsync();
        Assert.EndsWith("/my/listings", new Uri(page.Url).AbsolutePath); // not taken to the home page by the base href
        // the next stop is the page's own first control, and it shows a ring too
        await page.Keyboard.PressAsync("Tab");
        Assert.True(await page.EvaluateAsync<bool>("() => document.querySelector('main').contains(document.activeElement)"));
        // Ant Design's buttons ease every property in over 0.3 s, the ring too
        var focused = page.Locator("main :focus");
        await Expect(focused).ToHaveCSSAsync("outline-style", "solid");
        await Expect(focused).ToHaveCSSAsync("outline-width", "3px");
    }
}
