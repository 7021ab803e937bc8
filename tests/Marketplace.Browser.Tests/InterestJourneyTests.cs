using System.Collections.Concurrent;
using System.Globalization;
using System.Text.RegularExpressions;
using Marketplace.TestKit;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.Browser.Tests;

/// <summary>An introduction (对接意向) from first click to a deal: an enterprise asks, the university answers, the broker takes it on.</summary>
public sealed class InterestJourneyTests(PortalMarket market) : IClassFixture<PortalMarket>
{
    /// <summary>What a page wrote to the browser's console as an error (Lighthouse counts them against the page).</summary>
    private static ConcurrentBag<string> ConsoleErrors(IPage page)
    {
        var errors = new ConcurrentBag<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error") errors.Add($"{page.Url}: {message.Text}");
        };
        page.PageError += (_, error) => errors.Add($"{page.Url}: {error}");
        return errors;
    }

    /// <summary>The university's unread count once the notification of the offer's approval is among them.</summary>
    private async Task<int> UnreadOnceApprovedAsync(string token, string offer)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var page = await (await market.Api.Send(HttpMethod.Get, "/api/notifications?unread=true&pageSize=100", token)).Expect(200);
            if (page["items"]!.AsArray().Any(n => (string)n!["link"]! == $"/listings/{offer}")) return (int)page["unread"]!;
            Assert.True(DateTime.UtcNow < deadline, "the approval of the offer was never notified");
            await Task.Delay(200);
        }
    }

    [BrowserFact]
    public async Task An_enterprise_asks_for_an_introduction_the_university_accepts_from_its_bell_and_both_sides_and_the_broker_see_the_deal()
    {
        var tag = Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        var title = $"高镍正极材料表面包覆改性技术（{tag}）";
        // the university's offer is on the market, with the person to contact (new-energy in Changsha: demo-broker's field)
        var universityToken = await market.TokenAsync("demo-university");
        var offer = await market.PublishAsync(universityToken, await market.TokenAsync("demo-operator"), new
        {
            kind = "offer", title, summary = "一种高镍三元正极材料的原子层沉积表面包覆工艺，提升循环寿命。",
            description = "成果包括包覆前驱体配方、原子层沉积工艺参数与批量化装备方案，已完成公斤级中试，循环 1000 次容量保持率 92%。",
            field = "new-energy", keywords = new[] { "锂电池", "正极材料", "表面包覆" }, maturity = 6,
            transferModes = new[] { "exclusive_license", "transfer" }, price = new { min = 500000m, max = 900000m },
            contact = new { name = "李老师", phone = "0731-88885678", email = "tto-li@example.edu.cn" },
        });

        // the university's technology office has 我的对接 open already, and its bell shows what is unread
        var university = await market.OpenAsync("demo-university");
        var universityErrors = ConsoleErrors(university);
        await university.GotoAsync("/interests?box=received");
        await university.InteractiveAsync();
        // the approval's notification arrives first (and whatever earlier tests of this market left): the bell counts it
        var before = await UnreadOnceApprovedAsync(universityToken, offer);
        var bell = university.TestId("bell");
        await Expect(bell).ToHaveAttributeAsync("data-unread", before.ToString(CultureInfo.InvariantCulture));

        // the enterprise opens the offer and clicks 我要对接
        var enterprise = await market.OpenAsync("demo-enterprise");
        var enterpriseErrors = ConsoleErrors(enterprise);
        await enterprise.GotoAsync($"/listings/{offer}");
        await enterprise.InteractiveAsync();
        await Expect(enterprise.TestId("listing-title")).ToHaveTextAsync(title);
        await Expect(enterprise.GetByText("0731-88885678")).ToHaveCountAsync(0); // no contact before an accepted introduction
        await enterprise.TestId("express").ClickAsync();
        await enterprise.TestId("interest-send").ClickAsync();
        await Expect(enterprise.TestId("error-message")).ToBeVisibleAsync(); // the message is required: said next to it
        await enterprise.EnterAsync("interest-message", "我司动力电池产线拟引进该包覆技术，希望洽谈独占许可，可安排到校考察中试线。");
        await enterprise.PickAsync("interest-mode", "exclusive_license");
        await enterprise.EnterAsync("interest-budget", "600000");
        await enterprise.ShotAsync("enterprise-express-interest");
        await enterprise.TestId("interest-send").ClickAsync();
        await Expect(enterprise.TestId("interest-link")).ToBeVisibleAsync();
        var interestPath = (await enterprise.TestId("interest-link").GetAttributeAsync("href"))!;

        // a second one is not offered: the button waits for the answer
        await enterprise.ReloadAsync();
        await enterprise.InteractiveAsync();
        await Expect(enterprise.TestId("interest-open")).ToBeVisibleAsync();
        await Expect(enterprise.TestId("express")).ToBeDisabledAsync();

        // the university's bell rings on the page it had open — no reload
        await Expect(bell).ToHaveAttributeAsync("data-unread", (before + 1).ToString(CultureInfo.InvariantCulture), new() { Timeout = 30_000 });
        await bell.ClickAsync();
        await university.WaitForURLAsync(new Regex("/notifications$"));
        var notification = university.Locator("[data-testid=notification]", new() { HasText = title }).Filter(new() { HasText = "收到对接意向" }); // the kind, as the page names it
        await Expect(notification).ToHaveAttributeAsync("data-read", "false");
        await university.ShotAsync("university-notifications");
        await notification.Locator("[data-testid=notification-open]").ClickAsync();
        await university.WaitForURLAsync(new Regex(Regex.Escape(interestPath) + "$"));
        await Expect(university.TestId("interest-text")).ToContainTextAsync("独占许可");

        // accepting asks first
        await university.TestId("accept").ClickAsync();
        await Expect(university.TestId("accept-confirm")).ToBeVisibleAsync();
        await university.TestId("accept-confirmed").ClickAsync();
        await Expect(university.TestId("interest-status")).ToHaveTextAsync("已接受");
        await Expect(bell).ToHaveAttributeAsync("data-unread", before.ToString(CultureInfo.InvariantCulture)); // opened: read
        await Expect(university.TestId("deal-link")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await university.ShotAsync("university-interest-accepted");

        // the enterprise now sees the listing's contact, on the interest and on the listing
        await enterprise.GotoAsync(interestPath);
        await enterprise.InteractiveAsync();
        await Expect(enterprise.TestId("interest-status")).ToHaveTextAsync("已接受");
        await Expect(enterprise.TestId("interest-contact")).ToContainTextAsync("0731-88885678");
        await Expect(enterprise.TestId("interest-contact")).ToContainTextAsync("李老师");
        await enterprise.GotoAsync($"/listings/{offer}");
        await enterprise.InteractiveAsync();
        await Expect(enterprise.GetByText("tto-li@example.edu.cn", new() { Exact = false })).ToBeVisibleAsync();

        // the university sees the enterprise's person on the deal
        await university.TestId("deal-link").ClickAsync();
        await university.WaitForURLAsync(new Regex("/deals/[0-9a-f-]+$"));
        await Expect(university.TestId("deal-title")).ToHaveTextAsync(title);
        var interested = university.Locator("[data-testid=deal-contact]", new() { HasText = "意向单位" });
        await Expect(interested).ToContainTextAsync("长沙示范智造有限公司");
        await Expect(interested).ToContainTextAsync("演示企业用户");
        await Expect(university.TestId("deal-stage")).ToHaveTextAsync("已联系");
        await university.ShotAsync("university-deal");

        // demo-broker covers new-energy in Changsha: the deal is on the broker's board, at contacted, with both sides
        var broker = await market.OpenAsync("demo-broker");
        var brokerErrors = ConsoleErrors(broker);
        await broker.GotoAsync("/broker/deals");
        await broker.InteractiveAsync();
        var deal = broker.Locator("[data-stage=contacted] [data-testid=deal]", new() { HasText = title });
        await Expect(deal).ToHaveCountAsync(1);
        await deal.Locator("a.portal-deal-title").ClickAsync();
        await Expect(broker.TestId("deal-parties")).ToContainTextAsync("湖南示范大学");
        await Expect(broker.TestId("deal-parties")).ToContainTextAsync("0731-88885678");

        Assert.Empty(universityErrors.Concat(enterpriseErrors).Concat(brokerErrors));
    }
}
