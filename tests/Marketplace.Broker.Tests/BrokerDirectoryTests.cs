using System.Text.Json.Nodes;
using Marketplace.TestKit;

namespace Marketplace.Broker.Tests;

/// <summary>The directory from review to suspension. A fresh host, so the directory holds only this test's brokers.</summary>
public sealed class BrokerDirectoryTests : IDisposable
{
    private readonly BrokerApi _api = new();

    public void Dispose() => _api.Dispose();

    private HttpClient Client => _api.Client;

    private static IEnumerable<string> Ids(JsonObject page) => page["items"]!.AsArray().Select(i => (string)i!["id"]!);

    [Fact]
    public async Task A_broker_registers_for_review_and_the_directory_shows_only_active_brokers()
    {
        var token = _api.BrokerAccount("changsha");
        var created = await (await Client.Send(HttpMethod.Post, "/api/brokers", token, BrokerApi.Profile(["materials", "equipment"], "senior"))).Expect(201);
        var id = (string)created["id"]!;
        Assert.Equal("pending", (string)created["status"]!);
        Assert.Equal("高级", (string)created["levelName"]!);
        Assert.Equal("changsha", (string)created["subMarket"]!);
        Assert.Equal("agency-changsha", (string)created["organisation"]!);
        await (await Client.Send(HttpMethod.Post, "/api/brokers", token, BrokerApi.Profile(["materials"]))).Expect(409);

        Assert.DoesNotContain(id, Ids(await (await Client.Send(HttpMethod.Get, "/api/brokers")).Expect(200)));
        Assert.Contains(id, Ids(await (await Client.Send(HttpMethod.Get, "/api/brokers?status=pending", _api.Operator())).Expect(200)));

        await (await Client.Send(HttpMethod.Post, $"/api/brokers/{id}/approve", _api.Operator())).Expect(200);
        await (await Client.Send(HttpMethod.Post, $"/api/brokers/{id}/approve", _api.Operator())).Expect(409);
        var other = await _api.ActiveBroker("zhuzhou", "transport");

        var all = await (await Client.Send(HttpMethod.Get, "/api/brokers")).Expect(200);
        Assert.Contains(id, Ids(all));
        Assert.Null(all["items"]!.AsArray().First(i => (string)i!["id"]! == id)!["contact"]); // anonymous: no contact
        Assert.Null(all["items"]!.AsArray().First(i => (string)i!["id"]! == id)!["history"]);
        var signedIn = await (await Client.Send(HttpMethod.Get, "/api/brokers", _api.Tokens.For("enterprise", "ent-1"))).Expect(200);
        Assert.Equal("13800138000", (string)signedIn["items"]!.AsArray().First(i => (string)i!["id"]! == id)!["contact"]!["phone"]!);

        Assert.Equal([id], Ids(await (await Client.Send(HttpMethod.Get, "/api/brokers?field=equipment")).Expect(200)));
        Assert.Equal([id], Ids(await (await Client.Send(HttpMethod.Get, "/api/brokers?subMarket=changsha&level=senior")).Expect(200)));
        Assert.Equal([other.Id], Ids(await (await Client.Send(HttpMethod.Get, "/api/brokers?subMarket=zhuzhou")).Expect(200)));
        Assert.Empty(Ids(await (await Client.Send(HttpMethod.Get, "/api/brokers?field=biomed")).Expect(200)));
        var paged = await (await Client.Send(HttpMethod.Get, "/api/brokers?pageSize=1&page=2")).Expect(200);
        Assert.Equal(2, (int)paged["total"]!);
        Assert.Single(paged["items"]!.AsArray());

        await (await Client.Send(HttpMethod.Post, $"/api/brokers/{id}/suspend", _api.Operator(), new { reason = "" })).Expect(400);
        var suspended = await (await Client.Send(HttpMethod.Post, $"/api/brokers/{id}/suspend", _api.Operator("hq"), new { reason = "投诉核查期间暂停" })).Expect(200);
        Assert.Equal("suspended", (string)suspended["status"]!);
        Assert.DoesNotContain(id, Ids(await (await Client.Send(HttpMethod.Get, "/api/brokers")).Expect(200)));
        var self = await (await Client.Send(HttpMethod.Get, "/api/brokers/me", token)).Expect(200);
        Assert.Equal("投诉核查期间暂停", (string)self["statusReason"]!);
        Assert.Equal(["registered", "approved", "suspended"], self["history"]!.AsArray().Select(h => (string)h!["action"]!));
    }
}
