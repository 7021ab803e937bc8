using System.Text.Json.Nodes;
using Marketplace.Contracts.Matching;
using Marketplace.TestKit;

namespace Marketplace.EndToEnd.Tests;

public sealed class DistributedBrokerTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "e2e-broker-" + Guid.NewGuid().ToString("N"));

    public DistributedBrokerTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        try { Directory.Delete(_directory, true); } catch (IOException) { }
    }

    private static async Task<JsonArray> Leads(DistributedMarket market, string token, string query = "") =>
        (await (await market.Client.Send(HttpMethod.Get, "/api/leads" + query, token)).Expect(200))["items"]!.AsArray();

    [RabbitFact]
    public async Task A_MatchSuggested_on_the_real_broker_becomes_one_lead_for_the_chosen_broker_through_the_gateway()
    {
        using var market = new DistributedMarket();
        await market.StartAsync();
        await using var probe = await EventProbe.StartAsync(RabbitFactAttribute.Uri!, _directory);
        var broker = await market.SignIn("demo-broker");          // changsha, covers materials
        var other = await market.SignIn("demo-broker-cs2");       // changsha, does not
        var operatorToken = await market.SignIn("demo-operator");
        var brokerId = (string)(await (await market.Client.Send(HttpMethod.Get, "/api/brokers/me", broker)).Expect(200))["id"]!;

        var match = new MatchSuggested
        {
            MatchId = Guid.NewGuid(), OfferId = Guid.NewGuid(), DemandId = Guid.NewGuid(), Score = 82m, Field = "materials", SubMarket = "changsha",
            Summary = "文本高度相关，同属新材料领域", OfferTitle = "硬质合金刀具涂层技术", DemandTitle = "数控刀具耐磨涂层需求", SuggestedAt = DateTimeOffset.UtcNow,
        };
        await probe.PublishAsync(match);

        JsonObject? lead = null;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (lead is null)
        {
            lead = (await Leads(market, broker)).Select(l => l!.AsObject()).FirstOrDefault(l => (string)l["id"]! == match.MatchId.ToString());
            Assert.True(lead is not null || DateTime.UtcNow < deadline, "the MatchSuggested never became demo-broker's lead");
            if (lead is null) await Task.Delay(200);
        }
        Assert.Equal("offered", (string)lead!["status"]!);
        Assert.Equal(brokerId, (string)lead["brokerId"]!);
        Assert.DoesNotContain(await Leads(market, other), l => (string)l!["id"]! == match.MatchId.ToString());

        // the same suggestion again: still one lead
        await probe.PublishAsync(match);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(await Leads(market, broker), l => (string)l!["id"]! == match.MatchId.ToString());
        Assert.Single(await Leads(market, operatorToken, "?status=offered"), l => (string)l!["id"]! == match.MatchId.ToString());
        var read = await (await market.Client.Send(HttpMethod.Get, $"/api/leads/{match.MatchId}", operatorToken)).Expect(200);
        Assert.Single(read["offers"]!.AsArray());
    }
}
