using System.Text.Json.Nodes;
using Marketplace.TestKit;

namespace Marketplace.Broker.Tests;

/// <summary>A broker's profile: registered, edited, refused. One host for the class.</summary>
public sealed class BrokerProfileTests(BrokerApi api) : IClassFixture<BrokerApi>
{
    private HttpClient Client => api.Client;

    private static IEnumerable<string> Ids(JsonObject page) => page["items"]!.AsArray().Select(i => (string)i!["id"]!);

    [Fact]
    public async Task Editing_contact_keeps_the_broker_active_but_a_new_level_goes_back_to_review()
    {
        var (token, id, _) = await api.ActiveBroker("xiangtan", "materials");
        var read = await Client.Send(HttpMethod.Get, $"/api/brokers/{id}", token);
        var etag = read.Headers.ETag!.Tag;
        var profile = BrokerApi.Profile(["materials", "biomed"], "intermediate", name: "改名后的经纪人");
        await (await Client.Send(HttpMethod.Put, $"/api/brokers/{id}", token, profile)).Expect(428);
        await (await Client.Send(HttpMethod.Put, $"/api/brokers/{id}", token, profile, new Dictionary<string, string> { ["If-Match"] = "\"99\"" })).Expect(412);

        // a profile carries its certificate number: keep the current one
        var current = await (await Client.Send(HttpMethod.Get, $"/api/brokers/{id}", token)).Expect(200);
        var same = new
        {
            name = "改名后的经纪人", level = "intermediate", certificateNumber = (string)current["certificateNumber"]!, fields = new[] { "materials", "biomed" },
            contact = new { phone = "0731-58881234" }
        };
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
        var token = api.BrokerAccount("changsha");
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
