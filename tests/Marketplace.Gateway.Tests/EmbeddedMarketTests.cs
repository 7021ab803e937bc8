using Marketplace.TestKit;

namespace Marketplace.Gateway.Tests;

/// <summary>The README's first command: one process, demo accounts, a listing from draft to public.</summary>
public sealed class EmbeddedMarketTests(EmbeddedGateway gateway) : IClassFixture<EmbeddedGateway>
{
    [Fact]
    public async Task Demo_university_posts_demo_operator_approves_and_an_anonymous_visitor_reads_it()
    {
        var client = gateway.CreateClient();
        var university = await gateway.SignIn("demo-university");
        var operatorToken = await gateway.SignIn("demo-operator");
        var created = await (await client.Send(HttpMethod.Post, "/api/listings", university, new
        {
            kind = "offer",
            title = "稻田智能灌溉与水肥一体化系统",
            summary = "基于土壤墒情传感与模型预测的水稻田智能灌溉系统，节水 30% 以上。",
            description = "系统由墒情传感器、边缘网关和云端决策模型组成，已在湘潭两个示范基地应用三年，可按亩收费服务或整体转让。",
            field = "agriculture",
            keywords = new[] { "水稻", "智能灌溉", "水肥一体化" },
            maturity = 8,
            transferModes = new[] { "transfer", "tech_service" },
            price = new { negotiable = true },
            ipItems = new[] { new { type = "utility_model", number = Marketplace.ServiceDefaults.Validation.PatentApplicationNumber.WithCheck("202120123456") } },
        })).Expect(201);
        var id = (string)created["id"]!;
        Assert.True((bool)created["isDemo"]!);
        Assert.Equal("changsha", (string)created["subMarket"]!);
        Assert.Equal("湖南示范大学（演示）", (string)created["ownerOrgName"]!);

        await (await client.Send(HttpMethod.Post, $"/api/listings/{id}/submit", university)).Expect(200);
        await (await client.Send(HttpMethod.Post, $"/api/listings/{id}/approve", await gateway.SignIn("demo-enterprise"))).Expect(403);
        await (await client.Send(HttpMethod.Post, $"/api/listings/{id}/approve", operatorToken)).Expect(200);

        var read = await (await client.Send(HttpMethod.Get, $"/api/listings/{id}")).Expect(200);
        Assert.Equal("published", (string)read["status"]!);
        Assert.Equal("产业化", (string)read["maturityStage"]!);
        var fields = await client.GetStringAsync("/api/reference/fields");
        Assert.Contains("新一代信息技术", fields);
        var subMarkets = await client.GetStringAsync("/api/reference/sub-markets");
        Assert.Contains("430200", subMarkets);
    }
}
