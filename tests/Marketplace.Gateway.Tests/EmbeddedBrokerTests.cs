using System.Text.Json.Nodes;
using Marketplace.Contracts.Registration;
using Marketplace.TestKit;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Gateway.Tests;

/// <summary>Embedded mode, all through the gateway: a matching pair becomes demo-broker's lead, then a deal that walks every stage.</summary>
public sealed class EmbeddedBrokerTests(EmbeddedGateway gateway) : IClassFixture<EmbeddedGateway>
{
    private readonly HttpClient _client = gateway.CreateClient();

    private async Task<string> Publish(string token, string approver, object listing)
    {
        var id = (string)(await (await _client.Send(HttpMethod.Post, "/api/listings", token, listing)).Expect(201))["id"]!;
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/submit", token)).Expect(200);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/approve", approver)).Expect(200);
        return id;
    }

    private async Task<JsonObject> Move(string token, JsonObject deal, object body) =>
        await (await _client.Send(HttpMethod.Post, $"/api/deals/{deal["id"]}/stage", token, body,
            new Dictionary<string, string> { ["If-Match"] = $"\"{(long)deal["version"]!}\"" })).Expect(200);

    [Fact]
    public async Task A_matching_pair_reaches_demo_broker_as_a_lead_and_the_deal_walks_to_closed()
    {
        var university = await gateway.SignIn("demo-university");
        var enterprise = await gateway.SignIn("demo-enterprise");
        var operatorToken = await gateway.SignIn("demo-operator");
        var broker = await gateway.SignIn("demo-broker");

        // the demo brokers are there, active, marked as demo data
        var directory = await (await _client.Send(HttpMethod.Get, "/api/brokers?subMarket=changsha")).Expect(200);
        Assert.True((int)directory["total"]! >= 2);
        Assert.All(directory["items"]!.AsArray(), b => Assert.True((bool)b!["isDemo"]!));
        foreach (var subMarket in new[] { "zhuzhou", "xiangtan", "hq" })
            Assert.True((int)(await (await _client.Send(HttpMethod.Get, $"/api/brokers?subMarket={subMarket}")).Expect(200))["total"]! >= 1);
        var me = await (await _client.Send(HttpMethod.Get, "/api/brokers/me", broker)).Expect(200);

        var offerId = await Publish(university, operatorToken, SampleData.SeparatorOffer("耐高温陶瓷涂覆锂电池隔膜制备技术"));
        var demandId = await Publish(enterprise, operatorToken, new
        {
            kind = "demand",
            title = "锂电池陶瓷涂覆隔膜技术需求",
            summary = "寻求耐高温陶瓷涂覆锂电池隔膜的制备工艺。",
            description = "公司生产动力锂电池，需要耐高温陶瓷涂覆隔膜的浆料配方与涂布工艺，提升电池热安全性能。",
            field = "new-energy",
            keywords = new[] { "锂电池", "隔膜" },
            budget = new { min = 100000m, max = 500000m },
            deadline = DateTimeOffset.UtcNow.AddDays(90),
        });

        JsonObject? lead = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (lead is null)
        {
            var leads = await (await _client.Send(HttpMethod.Get, "/api/leads", broker)).Expect(200);
            lead = leads["items"]!.AsArray().Select(l => l!.AsObject()).FirstOrDefault(l => (string)l["offerId"]! == offerId && (string)l["demandId"]! == demandId);
            Assert.True(lead is not null || DateTime.UtcNow < deadline, "the matching pair never became demo-broker's lead");
            if (lead is null) await Task.Delay(200);
        }
        Assert.Equal((string)me["id"]!, (string)lead!["brokerId"]!);
        Assert.Empty((await (await _client.Send(HttpMethod.Get, "/api/leads", await gateway.SignIn("demo-broker-cs2"))).Expect(200))["items"]!.AsArray());

        var deal = await (await _client.Send(HttpMethod.Post, $"/api/leads/{lead["id"]}/accept", broker)).Expect(201);
        Assert.True((bool)deal["isDemo"]!);
        deal = await Move(broker, deal, new { to = "contacted", note = "已联系校企双方" });
        deal = await Move(broker, deal, new { to = "negotiating" });
        deal = await Move(broker, deal, new { to = "agreed", commission = new { kind = "percentage", percent = 10m } });
        deal = await Move(broker, deal, new { to = "contract_signed" });

        // registered by the university, a party to the deal (it owns the offer)
        var seller = (string)(await (await _client.Send(HttpMethod.Get, $"/api/listings/{offerId}", university)).Expect(200))["ownerOrg"]!;
        await gateway.Services.GetRequiredService<IBus>().Publish(new ContractRegistered
        {
            ContractId = Guid.NewGuid(), RegistrationNumber = "2026430101000123", DealId = Guid.Parse((string)deal["id"]!), ApplicantOrg = seller,
            Type = "technology_license", RegistrationPoint = "changsha", ContractAmount = 300_000m, TechnologyTransactionAmount = 300_000m,
            RegisteredAt = DateTimeOffset.UtcNow,
        });
        deadline = DateTime.UtcNow.AddSeconds(15);
        while ((string)deal["stage"]! != "registered")
        {
            Assert.True(DateTime.UtcNow < deadline, "ContractRegistered never moved the deal");
            await Task.Delay(100);
            deal = await (await _client.Send(HttpMethod.Get, $"/api/deals/{deal["id"]}", broker)).Expect(200);
        }
        deal = await Move(broker, deal, new { to = "closed" });
        Assert.Equal(30_000m, (decimal)deal["commissionAmount"]!);

        var stats = await (await _client.Send(HttpMethod.Get, $"/api/brokers/{me["id"]}/stats", operatorToken)).Expect(200);
        Assert.Equal(1, (int)stats["closed"]!);
        Assert.Equal(300_000m, (decimal)stats["closedAmount"]!);
    }
}
