using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Marketplace.TestKit;
using static Microsoft.Playwright.Assertions;

namespace Marketplace.Browser.Tests;

/// <summary>Issue 18's first three defects, in the browser against the embedded market (bUnit tests hold the details).</summary>
public sealed class PortalDefectTests(PortalMarket market) : IClassFixture<PortalMarket>
{
    [BrowserFact]
    public async Task A_note_added_to_a_deal_shows_at_once_and_the_deals_title_stage_and_history_stay()
    {
        var scene = await PortalScene.ArrangeAsync(market);
        var broker = await market.OpenAsync("demo-broker");
        await broker.GotoAsync($"/broker/deals/{scene.Deal}");
        await broker.InteractiveAsync();
        var title = (await broker.TestId("deal-title").TextContentAsync())!;
        var stage = (await broker.TestId("deal-stage").TextContentAsync())!;
        var history = await broker.Locator("[data-testid=history] li").CountAsync();
        Assert.NotEmpty(title);

        await broker.EnterAsync("note", "已与双方约定下周三面谈。");
        await broker.TestId("add-note").ClickAsync();

        await Expect(broker.TestId("notes")).ToContainTextAsync("已与双方约定下周三面谈。");
        await Expect(broker.TestId("deal-title")).ToHaveTextAsync(title);
        await Expect(broker.TestId("deal-stage")).ToHaveTextAsync(stage);
        Assert.True(await broker.Locator("[data-testid=history] li").CountAsync() >= history);
        await Expect(broker.TestId("note")).ToHaveValueAsync("");
    }

    [BrowserFact]
    public async Task A_university_posts_an_offer_at_negotiable_price_by_ticking_the_box()
    {
        var title = $"硫化物固态电解质膜连续干法制备技术（面议 {Random.Shared.Next(1000, 9999)}）";
        var university = await market.OpenAsync("demo-university");
        await university.GotoAsync("/my/listings/new");
        await university.InteractiveAsync();
        await university.PickAsync("kind", "offer");
        await university.EnterAsync("title", title);
        await university.EnterAsync("summary", "一种硫化物固态电解质薄膜的干法连续制备工艺。");
        await university.EnterAsync("description", "成果包括电解质粉体改性、干法成膜与热压致密化工艺，已完成中试线验证。");
        await university.PickAsync("field", "new-energy");
        await university.EnterAsync("keywords", "固态电池、电解质膜");
        await university.PickAsync("maturity", "6");
        await university.TestId("mode-transfer").CheckAsync();
        await university.TestId("price-negotiable").CheckAsync();
        await Expect(university.TestId("price-min")).ToBeDisabledAsync();
        await university.TestId("save").ClickAsync();

        await university.WaitForURLAsync(new Regex("/my/listings$"));
        var mine = university.Locator("[data-testid=my-listing]", new() { HasText = title });
        await Expect(mine.Locator("[data-testid=my-listing-status]")).ToHaveTextAsync("草稿");
        var id = await mine.GetAttributeAsync("data-id");
        var listing = await (await market.Api.Send(HttpMethod.Get, $"/api/listings/{id}", await market.TokenAsync("demo-university"))).Expect(200);
        Assert.True((bool)listing["price"]!["negotiable"]!, listing.ToJsonString());
        Assert.Null(listing["price"]!["min"]);
        Assert.Null(listing["price"]!["max"]);
    }

    [BrowserFact]
    public async Task An_untitled_draft_is_refused_a_titled_one_is_saved_once_and_a_draft_can_be_deleted()
    {
        var token = await market.TokenAsync("demo-university");
        async Task<List<JsonObject>> Drafts() =>
            (await (await market.Api.Send(HttpMethod.Get, "/api/contracts?pageSize=100", token)).Expect(200))["items"]!.AsArray()
                .Select(a => a!.AsObject()).ToList();
        var before = (await Drafts()).Count;
        var title = $"牵引电机故障诊断算法技术开发合同（{Random.Shared.Next(1000, 9999)}）";

        var university = await market.OpenAsync("demo-university");
        await university.GotoAsync("/contracts/new");
        await university.InteractiveAsync();
        await university.TestId("c-save").ClickAsync();
        await Expect(university.TestId("error-title")).ToContainTextAsync("请至少填写合同名称");
        Assert.Equal(before, (await Drafts()).Count);

        await university.EnterAsync("c-title", title);
        await university.TestId("c-save").ClickAsync();
        await university.WaitForURLAsync(new Regex("/contracts$"));
        var row = university.Locator("[data-testid=contract]", new() { HasText = title });
        await Expect(row).ToHaveCountAsync(1);
        Assert.Equal(before + 1, (await Drafts()).Count);

        await row.Locator("[data-testid=c-delete]").ClickAsync();
        await university.TestId("delete-confirmed").ClickAsync();
        await Expect(university.TestId("notice")).ToContainTextAsync("已删除");
        await Expect(row).ToHaveCountAsync(0);
        Assert.DoesNotContain(await Drafts(), a => (string?)a["title"] == title);
    }
}
