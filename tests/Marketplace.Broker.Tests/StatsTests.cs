using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.Contracts.Registration;
using Marketplace.TestKit;

namespace Marketplace.Broker.Tests;

/// <summary>A scripted set of deals on a hand-moved clock, and the statistics worked out by hand.</summary>
public sealed class StatsTests(BrokerApi api) : IClassFixture<BrokerApi>
{
    private readonly DateTimeOffset _start = new(2026, 3, 2, 1, 0, 0, TimeSpan.Zero);

    private HttpClient Client => api.Client;

    private void At(double days) => api.Clock.Now = _start.AddDays(days);

    private async Task<JsonObject> Move(string token, JsonObject deal, object body)
    {
        var headers = new Dictionary<string, string> { ["If-Match"] = $"\"{(long)deal["version"]!}\"" };
        return await (await Client.Send(HttpMethod.Post, $"/api/deals/{deal["id"]}/stage", token, body, headers)).Expect(200);
    }

    private async Task<JsonObject> Register(string token, JsonObject deal, decimal amount)
    {
        await api.Registered(new ContractRegistered
        {
            ContractId = Guid.NewGuid(), RegistrationNumber = "2026430101" + Random.Shared.Next(100000, 999999),
            DealId = Guid.Parse((string)deal["id"]!), ApplicantOrg = "hnu", Type = "technology_development", RegistrationPoint = "changsha",
            ContractAmount = amount, TechnologyTransactionAmount = amount, RegisteredAt = api.Clock.Now,
        });
        return await (await Client.Send(HttpMethod.Get, $"/api/deals/{deal["id"]}", token)).Expect(200);
    }

    [Fact]
    public async Task Stats_equal_the_numbers_worked_out_by_hand()
    {
        At(0);
        var (token, id, _) = await api.ActiveBroker("changsha", "materials");
        var deals = new JsonObject[5];
        for (var i = 0; i < deals.Length; i++)
        {
            var (offerId, demandId) = await api.Parties("hnu", "zz-rail");
            deals[i] = await (await Client.Send(HttpMethod.Post, "/api/deals", token, new { title = $"统计用交易 {i}", field = "materials", offerId, demandId })).Expect(201);
        }
        var (a, b, c, d, _) = (deals[0], deals[1], deals[2], deals[3], deals[4]);

        At(1); a = await Move(token, a, new { to = "contacted" }); d = await Move(token, d, new { to = "contacted" });
        At(2); b = await Move(token, b, new { to = "contacted" });
        At(3); a = await Move(token, a, new { to = "negotiating" });
        At(4); b = await Move(token, b, new { to = "negotiating" }); c = await Move(token, c, new { to = "contacted" });
        At(5); b = await Move(token, b, new { to = "agreed", commission = new { kind = "fixed", amount = 20_000m } });
        c = await Move(token, c, new { to = "lost", reason = "企业转向自主研发" });
        At(6); a = await Move(token, a, new { to = "agreed", commission = new { kind = "percentage", percent = 10m } });
        At(9); b = await Move(token, b, new { to = "contract_signed" });
        At(10); a = await Move(token, a, new { to = "contract_signed" }); b = await Register(token, b, 500_000m);
        At(11); await Move(token, b, new { to = "closed", amount = 600_000m });
        At(12); a = await Register(token, a, 1_000_000m);
        At(15); await Move(token, a, new { to = "closed" });

        var stats = await (await Client.Send(HttpMethod.Get, $"/api/brokers/{id}/stats", token)).Expect(200);
        Assert.Equal(5, (int)stats["deals"]!);
        var open = stats["openByStage"]!.AsObject();
        Assert.Equal(1, (int)open["lead"]!);
        Assert.Equal(1, (int)open["contacted"]!);
        foreach (var stage in new[] { "negotiating", "agreed", "contract_signed", "registered" }) Assert.Equal(0, (int)open[stage]!);
        Assert.Equal(2, (int)stats["open"]!);
        Assert.Equal(2, (int)stats["closed"]!);
        Assert.Equal(1, (int)stats["lost"]!);
        Assert.Equal(1_600_000m, (decimal)stats["closedAmount"]!);       // 1,000,000 (registered amount) + 600,000
        Assert.Equal(120_000m, (decimal)stats["commission"]!);           // 10% of 1,000,000 + fixed 20,000
        Assert.Equal(0.4m, (decimal)stats["conversion"]!);               // 2 closed of 5 opened
        var median = stats["medianDaysPerStage"]!.AsObject();
        Assert.Equal(1.5m, (decimal)median["lead"]!);                    // 1, 1, 2, 4
        Assert.Equal(2m, (decimal)median["contacted"]!);                 // 1, 2, 2
        Assert.Equal(2m, (decimal)median["negotiating"]!);               // 1, 3
        Assert.Equal(4m, (decimal)median["agreed"]!);                    // 4, 4
        Assert.Equal(1.5m, (decimal)median["contract_signed"]!);         // 1, 2
        Assert.Equal(2m, (decimal)median["registered"]!);                // 1, 3
        Assert.Null(median["closed"]);

        // the sub-market's operators see them too; nobody else does
        await (await Client.Send(HttpMethod.Get, $"/api/brokers/{id}/stats", api.Operator())).Expect(200);
        await (await Client.Send(HttpMethod.Get, $"/api/brokers/{id}/stats", api.Operator("hq"))).Expect(200);
        await (await Client.Send(HttpMethod.Get, $"/api/brokers/{id}/stats", api.Operator("zhuzhou"))).Expect(403);
        await (await Client.Send(HttpMethod.Get, $"/api/brokers/{id}/stats", api.BrokerAccount())).Expect(403);
        await (await Client.Send(HttpMethod.Get, $"/api/brokers/{id}/stats", api.Tokens.For(Roles.University, "uni-x"))).Expect(403);
        await (await Client.Send(HttpMethod.Get, $"/api/brokers/{id}/stats")).Expect(401);
        await (await Client.Send(HttpMethod.Get, $"/api/brokers/{Guid.NewGuid()}/stats", api.Operator())).Expect(404);
    }

    [Fact]
    public async Task A_broker_without_deals_has_empty_stats()
    {
        var (token, id, _) = await api.ActiveBroker("zhuzhou", "transport");
        var stats = await (await Client.Send(HttpMethod.Get, $"/api/brokers/{id}/stats", token)).Expect(200);
        Assert.Equal(0, (int)stats["deals"]!);
        Assert.Null(stats["conversion"]);
        Assert.Empty(stats["medianDaysPerStage"]!.AsObject());
    }
}
