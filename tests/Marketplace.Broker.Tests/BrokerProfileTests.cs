using System.Text.Json.Nodes;
using Marketplace.TestKit;

namespace Marketplace.Broker.Tests;

public sealed class BrokerProfileTests : IDisposable
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

    [Fact]
    public async Task Editing_contact_keeps_the_broker_active_but_a_new_level_goes_back_to_review()
    {
        var (token, id, _) = await _api.ActiveBroker("xiangtan", "materials");
        var read = await Client.Send(HttpMethod.Get, $"/api/brokers/{id}", token);
        var etag = read.Headers.ETag!.Tag;
        var profile = BrokerApi.Profile(["materials", "biomed"], "intermediate", name: "改名后的经纪人");
        await (await Client.Send(HttpMethod.Put, $"/api/brokers/{id}", token, profile)).Expect(428);
        await (await Client.Send(HttpMethod.Put, $"/api/brokers/{id}", token, profile, new Dictionary<string, string> { ["If-Match"] = "\"99\"" })).Expect(412);

        // a profile carries its certificate number: keep the current one
        var current = await (await Client.Send(HttpMethod.Get, $"/api/brokers/{id}", token)).Expect(200);
        var same = new { name = "改名后的经纪人", level = "intermediate", certificateNumber = (string)current["certificateNumber"]!, fields = new[] { "materials", "biomed" },
            contact = new { phone = "0731-58881234" } };
        var edited = await (await Client.Send(HttpMethod.Put, $"/api/brokers/{id}", token, same, new Dictionary<string, string> { ["If-Match"] = etag })).Expect(200);
        Assert.Equal("active", (string)edited["status"]!);
        Assert.Equal("改名后的经纪人", (string)edited["name"]!);

        var promoted = same with { level = "senior" };
        var again = await (await Client.Send(HttpMethod.Put, $"/api/brokers/{id}", token, promoted,
            new Dictionary<string, string> { ["If-Match"] = $"\"{(long)edited["version"]!}\"" })).Expect(200);
        Assert.Equal("pending", (string)again["status"]!);
        Assert.DoesNotContain(id, Ids(await (await Client.Send(HttpMethod.Get, "/api/brokers")).Expect(200)));
        var moved = same with { level = "senior" };
        await (await Client.Send(HttpMethod.Put, $"/api/brokers/{id}", token, new { moved.name, moved.level, moved.certificateNumber, moved.fields, moved.contact, subMarket = "changsha" },
            new Dictionary<string, string> { ["If-Match"] = $"\"{(long)again["version"]!}\"" })).Expect(400);
    }

    [Fact]
    public async Task Bad_profiles_are_400s_naming_each_field_and_nothing_is_saved()
    {
        var token = _api.BrokerAccount("changsha");
        var problem = await (await Client.Send(HttpMethod.Post, "/api/brokers", token, new
        {
            name = "", level = (string?)null, certificateNumber = "证书#1", fields = new[] { "quantum", "materials", "materials" },
            contact = new { phone = "12345", email = "not-an-email" }, subMarket = "beijing",
        })).Expect(400);
        foreach (var field in new[] { "name", "level", "certificateNumber", "fields", "contact.phone", "contact.email" })
            Assert.True(problem["errors"]![field] is not null, $"no error for {field}: {problem}");
        await (await Client.Send(HttpMethod.Post, "/api/brokers", token, BrokerApi.Profile(["materials"], subMarket: "beijing"))).Expect(400);
        await (await Client.Send(HttpMethod.Post, "/api/brokers", token, BrokerApi.Profile(["materials"], level: "master"))).Expect(400);
        await (await Client.Send(HttpMethod.Post, "/api/brokers", token, new { name = "无联系方式", level = "junior", certificateNumber = "A-1234", fields = new[] { "materials" } })).Expect(400);
        await (await Client.Send(HttpMethod.Post, "/api/brokers", token, "{\"name\":")).Expect(400);
        await (await Client.Send(HttpMethod.Get, "/api/brokers?field=quantum")).Expect(400);
        await (await Client.Send(HttpMethod.Get, "/api/brokers?level=master")).Expect(400);
        await (await Client.Send(HttpMethod.Get, "/api/brokers?page=0")).Expect(400);
        await (await Client.Send(HttpMethod.Get, $"/api/brokers/{Guid.NewGuid()}")).Expect(404);
        await (await Client.Send(HttpMethod.Get, "/api/brokers/me", token)).Expect(404);
    }
}
