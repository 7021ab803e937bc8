using System.Globalization;
using Marketplace.ServiceDefaults.Validation;
using Marketplace.TestKit;
using MiniExcelLibs;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.Browser.Tests;

/// <summary>
/// Lists longer than the API's largest page (100): the 101st row is a page further, the deal board
/// shows every deal, and an Excel download holds every row. The rows are set up through the API.
/// </summary>
public sealed class PagingTests(PortalMarket market) : IClassFixture<PortalMarket>
{
    private const int Many = 101;

    private static string Title(int n) => $"分页测试成果第{n.ToString("000", CultureInfo.InvariantCulture)}号";

    /// <summary>A new university of the Changsha sub-market (demo-operator reviews there), with an account of its own.</summary>
    private async Task<(string Username, string Password)> NewUniversityAsync()
    {
        var admin = await market.TokenAsync("demo-admin");
        var org = "paging-univ-" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        await (await market.Api.Send(HttpMethod.Post, "/api/admin/organisations", admin, new
        {
            id = org, name = "分页测试大学", creditCode = CreditCode.WithCheck("12430100MA4L0P0G1"), kind = "university", subMarket = "changsha",
        })).Expect(201);
        var (username, password) = (org + "-office", "Paging-2026-secret");
        await (await market.Api.Send(HttpMethod.Post, "/api/admin/accounts", admin, new
        {
            username, displayName = "成果转化办公室", password, role = "university", organisationId = org,
        })).Expect(201);
        return (username, password);
    }

    private static object Offer(int n) => new
    {
        kind = "offer",
        title = Title(n),
        summary = "一种用于分页测试的科技成果简介，长度足够。",
        description = "该成果用于检验门户的分页：第一百零一条也要能看到，导出的表格也要包含每一条记录。",
        field = "new-energy",
        keywords = new[] { "分页", "测试" },
        maturity = 5,
        transferModes = new[] { "transfer" },
        price = new { negotiable = true },
    };

    [BrowserFact]
    public async Task The_101st_listing_is_a_page_further_and_the_review_export_holds_every_row()
    {
        var (username, password) = await NewUniversityAsync();
        var owner = await market.TokenAsync(username, password);
        for (var n = 1; n <= Many; n++)
        {
            var id = (string)(await (await market.Api.Send(HttpMethod.Post, "/api/listings", owner, Offer(n))).Expect(201))["id"]!;
            await (await market.Api.Send(HttpMethod.Post, $"/api/listings/{id}/submit", owner)).Expect(200);
        }

        // the university sees all 101, newest first: the first one it posted is on the last page
        var university = await market.OpenAsync(username, password: password);
        await university.GotoAsync("/my/listings");
        await university.InteractiveAsync();
        await Expect(university.TestId("list-total")).ToHaveTextAsync($"共 {Many} 条");
        await Expect(university.TestId("my-listing")).ToHaveCountAsync(20);
        await Expect(university.TestId("my-listing").First).ToContainTextAsync(Title(Many));
        await university.TestId("page-6").ClickAsync();
        await Expect(university.TestId("my-listing")).ToHaveCountAsync(1);
        await Expect(university.TestId("my-listing")).ToContainTextAsync(Title(1));
        await Expect(university.TestId("my-listing-status")).ToHaveTextAsync("待审核");

        // the operator's queue counts them all, and its Excel download holds every row
        var operatorPage = await market.OpenAsync("demo-operator");
        await operatorPage.GotoAsync("/review");
        await operatorPage.InteractiveAsync();
        await Expect(operatorPage.TestId("list-total")).ToContainTextAsync("共");
        var queued = long.Parse((await operatorPage.TestId("list-total").TextContentAsync())!.Trim('共', '条', ' '), CultureInfo.InvariantCulture);
        Assert.True(queued >= Many, $"the queue counts {queued}");

        var download = await operatorPage.APIRequest.GetAsync("/portal/export/review-queue.xlsx");
        Assert.Equal(200, download.Status);
        using var sheet = new MemoryStream(await download.BodyAsync());
        var titles = sheet.Query(useHeaderRow: true).Select(row => (string)((IDictionary<string, object>)row)["标题"]).ToList();
        Assert.Equal(queued, titles.Count);
        Assert.All(Enumerable.Range(1, Many), n => Assert.Contains(Title(n), titles));
    }

    [BrowserFact]
    public async Task The_deal_board_shows_every_deal_even_past_the_first_hundred()
    {
        var brokerToken = await market.TokenAsync("demo-broker");
        var marker = "分页交易" + Random.Shared.Next(1000, 9999).ToString(CultureInfo.InvariantCulture);
        for (var n = 1; n <= Many; n++)
            await (await market.Api.Send(HttpMethod.Post, "/api/deals", brokerToken, new
            {
                title = $"{marker}第{n}号", subMarket = "changsha", field = "new-energy",
            })).Expect(201);

        var broker = await market.OpenAsync("demo-broker");
        await broker.GotoAsync("/broker/deals");
        await broker.InteractiveAsync();
        var leads = broker.Locator("[data-stage=lead] [data-testid=deal]", new() { HasText = marker });
        await Expect(leads).ToHaveCountAsync(Many);
        // the oldest (the 101st when newest come first) is there too
        await Expect(broker.Locator("[data-stage=lead] [data-testid=deal]", new() { HasText = $"{marker}第1号" })).ToHaveCountAsync(1);
    }
}
