using System.Text.Json.Nodes;
using Marketplace.TestKit;

namespace Marketplace.Broker.Tests;

/// <summary>A broker host whose plan target is set in configuration.</summary>
public sealed class BrokerApiWithTarget : BrokerApi
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
    [
        .. base.Settings,
        new("Broker:Target:NewBrokers", "30"),
        new("Broker:Target:FromYear", "2026"),
        new("Broker:Target:Years", "3"),
        new("Broker:Target:SubMarketNewBrokers:changsha", "12"),
    ];
}

/// <summary>New active brokers per year, against the plan's target (1,500 in three years by default).</summary>
public sealed class BrokerGrowthTests : IDisposable
{
    private readonly BrokerApi _api = new();

    public void Dispose() => _api.Dispose();

    private static DateTimeOffset At(int year, int month) => new(year, month, 10, 2, 0, 0, TimeSpan.Zero);

    private static Dictionary<int, JsonNode> Years(JsonObject growth) => growth["years"]!.AsArray().ToDictionary(y => (int)y!["year"]!, y => y!);

    [Fact]
    public async Task New_active_brokers_are_counted_in_the_year_of_their_first_approval_against_the_default_target()
    {
        _api.Clock.Now = At(2026, 3);
        var (_, first, _) = await _api.ActiveBroker("changsha", "materials");
        var (secondToken, second, _) = await _api.ActiveBroker("changsha", "equipment");
        await _api.ActiveBroker("zhuzhou", "transport");
        // registered but never approved: not a new active broker
        await (await _api.Client.Send(HttpMethod.Post, "/api/brokers", _api.BrokerAccount("xiangtan"), BrokerApi.Profile(["materials"]))).Expect(201);

        _api.Clock.Now = At(2027, 2);
        await _api.ActiveBroker("changsha", "info-tech");
        // suspended in 2027: still one of 2026's new brokers, no longer active
        await (await _api.Client.Send(HttpMethod.Post, $"/api/brokers/{first}/suspend", _api.Operator(), new { reason = "投诉核查期间暂停" })).Expect(200);
        // re-approved in 2027 after an edit sent it back to review: new in 2026, not again in 2027
        var current = await _api.Client.Send(HttpMethod.Get, $"/api/brokers/{second}", secondToken);
        await (await _api.Client.Send(HttpMethod.Put, $"/api/brokers/{second}", secondToken, BrokerApi.Profile(["equipment", "materials"], "senior"),
            new Dictionary<string, string> { ["If-Match"] = current.Headers.ETag!.Tag })).Expect(200);
        await (await _api.Client.Send(HttpMethod.Post, $"/api/brokers/{second}/approve", _api.Operator())).Expect(200);

        var growth = await (await _api.Client.Send(HttpMethod.Get, "/api/brokers/growth")).Expect(200);
        var years = Years(growth);
        Assert.Equal([2025, 2026, 2027], years.Keys.Order());
        Assert.Equal(3, (int)years[2026]["newActive"]!);
        Assert.Equal(2, (int)years[2026]["stillActive"]!);
        Assert.Equal(1, (int)years[2027]["newActive"]!);
        Assert.Equal(0, (int)years[2025]["newActive"]!);
        Assert.All(years.Values, y => Assert.Equal(500, (int)y["target"]!));   // 1,500 over 2025–2027
        var target = growth["target"]!;
        Assert.Equal(1500, (int)target["total"]!);
        Assert.Equal(2027, (int)target["toYear"]!);
        Assert.Equal(4, (int)target["achieved"]!);
        Assert.Equal(0.0027m, (decimal)target["progress"]!);   // 4 / 1,500

        // a city's own brokers; the plan's target is the province's (hq is the province)
        var changsha = await (await _api.Client.Send(HttpMethod.Get, "/api/brokers/growth?subMarket=changsha")).Expect(200);
        Assert.Equal(2, (int)Years(changsha)[2026]["newActive"]!);
        Assert.Equal(1, (int)Years(changsha)[2027]["newActive"]!);
        Assert.Null(changsha["target"]);
        var hq = await (await _api.Client.Send(HttpMethod.Get, "/api/brokers/growth?subMarket=hq")).Expect(200);
        Assert.Equal(4, (int)hq["target"]!["achieved"]!);

        var problem = await (await _api.Client.Send(HttpMethod.Get, "/api/brokers/growth?subMarket=shenzhen")).Expect(400);
        Assert.True(problem["errors"]!.AsObject().ContainsKey("subMarket"));
    }

    [Fact]
    public async Task The_target_and_a_citys_share_come_from_configuration()
    {
        using var api = new BrokerApiWithTarget();
        api.Clock.Now = At(2026, 5);
        await api.ActiveBroker("changsha", "materials");
        var growth = await (await api.Client.Send(HttpMethod.Get, "/api/brokers/growth")).Expect(200);
        Assert.Equal(10, (int)Years(growth)[2026]["target"]!);
        Assert.Equal(30, (int)growth["target"]!["total"]!);
        Assert.Equal(2028, (int)growth["target"]!["toYear"]!);
        var changsha = await (await api.Client.Send(HttpMethod.Get, "/api/brokers/growth?subMarket=changsha")).Expect(200);
        Assert.Equal(12, (int)changsha["target"]!["total"]!);
        Assert.Equal(4, (int)Years(changsha)[2026]["target"]!);
        Assert.Equal(1, (int)changsha["target"]!["achieved"]!);
    }
}
