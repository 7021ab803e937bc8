using System.Text.Json.Nodes;
using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Listing;
using Marketplace.TestKit;

namespace Marketplace.EndToEnd.Tests;

/// <summary>
/// Introductions across processes over the real RabbitMQ: the interest lives in the listing
/// service, the deal it opens in the broker service, the notifications in their own service, the
/// directory of users from the gateway's account events.
/// </summary>
public sealed class DistributedIntroductionTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "e2e-intro-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { if (Directory.Exists(_directory)) Directory.Delete(_directory, true); } catch (IOException) { }
    }

    private static async Task<T> Eventually<T>(Func<Task<T?>> probe, string what, int seconds = 45) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await probe() is { } found) return found;
            Assert.True(DateTime.UtcNow < deadline, what);
            await Task.Delay(200);
        }
    }

    private static async Task<JsonArray> Notifications(DistributedMarket market, string token) =>
        (await (await market.Client.Send(HttpMethod.Get, "/api/notifications?pageSize=100", token)).Expect(200))["items"]!.AsArray();

    private static Task<JsonObject> Notified(DistributedMarket market, string token, string kind, string what) =>
        Eventually(async () => (await Notifications(market, token)).Select(n => n!.AsObject()).FirstOrDefault(n => (string)n["kind"]! == kind), what);

    [RabbitFact]
    public async Task An_accepted_interest_opens_a_deal_in_the_broker_process_and_tells_both_parties_and_a_replay_changes_nothing()
    {
        using var market = new DistributedMarket();
        await market.StartAsync();
        await using var probe = await EventProbe.StartAsync(RabbitFactAttribute.Uri!, _directory);
        var university = await market.SignIn("demo-university");
        var enterprise = await market.SignIn("demo-enterprise");
        var broker = await market.SignIn("demo-broker");

        // new-energy in Changsha: demo-broker is the only active broker there with that field
        var offer = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(DistributedMarket.Offer(7)))!.AsObject();
        offer["contact"] = new JsonObject { ["name"] = "张老师", ["phone"] = "0731-88881234", ["email"] = "zhang@demo-university.edu.cn" };
        var offerId = (string)(await (await market.Client.Send(HttpMethod.Post, "/api/listings", university, offer)).Expect(201))["id"]!;
        await (await market.Client.Send(HttpMethod.Post, $"/api/listings/{offerId}/submit", university)).Expect(200);
        await (await market.Client.Send(HttpMethod.Post, $"/api/listings/{offerId}/approve", await market.SignIn("demo-operator"))).Expect(200);
        var interest = await (await market.Client.Send(HttpMethod.Post, $"/api/listings/{offerId}/interests", enterprise,
            new { message = "我司希望独占许可该隔膜工艺，请联系。", mode = "exclusive_license", budget = 200000m })).Expect(201);
        var interestId = (string)interest["id"]!;

        var received = await Notified(market, university, "interest_received", "the university was never told of the interest");
        Assert.Equal($"/interests/{interestId}", (string)received["link"]!);
        Assert.DoesNotContain(await Notifications(market, enterprise), n => (string)n!["kind"]! == "interest_received");

        await (await market.Client.Send(HttpMethod.Post, $"/api/interests/{interestId}/accept", university)).Expect(200);

        // the broker process opens the deal; the listing service learns its id from the deal's first stage change
        var accepted = await Eventually(async () =>
        {
            var current = await (await market.Client.Send(HttpMethod.Get, $"/api/interests/{interestId}", enterprise)).Expect(200);
            return current["dealId"] is null ? null : current;
        }, "the interest never learnt its deal");
        Assert.Equal("demo-broker", (string?)accepted["brokerSubject"]);
        Assert.Equal("0731-88881234", (string?)accepted["contact"]?["phone"]);
        Assert.Equal("0731-88881234", (string?)(await market.Get(offerId, enterprise))["contact"]?["phone"]);
        var dealId = (string)accepted["dealId"]!;
        var deal = await (await market.Client.Send(HttpMethod.Get, $"/api/deals/{dealId}", enterprise)).Expect(200);
        Assert.Equal("contacted", (string)deal["stage"]!);
        Assert.Equal(["demo-enterprise-org", "demo-university-org"], deal["parties"]!.AsArray().Select(p => (string)p!["id"]!).Order());
        Assert.Equal(offerId, (string?)deal["offerId"]);
        await (await market.Client.Send(HttpMethod.Get, $"/api/deals/{dealId}", broker)).Expect(200);

        await Notified(market, enterprise, "interest_accepted", "the enterprise was never told of the acceptance");
        await Notified(market, enterprise, "deal_stage_changed", "the enterprise was never told of the deal");
        await Notified(market, broker, "deal_stage_changed", "the broker was never told of the deal");
        // the university opened the deal by accepting: it is not told what it did itself
        Assert.DoesNotContain(await Notifications(market, university), n => (string)n!["kind"]! == "deal_stage_changed");

        var counts = new Dictionary<string, int>();
        foreach (var (name, token) in new[] { ("university", university), ("enterprise", enterprise), ("broker", broker) })
            counts[name] = (await Notifications(market, token)).Count;
        var enterpriseDeals = (int)(await (await market.Client.Send(HttpMethod.Get, "/api/deals", enterprise)).Expect(200))["total"]!;

        // the same events again, with the ids they had (a publisher that crashed before marking them sent)
        var replayed = probe.Captured.Where(c => c.Message switch
        {
            InterestExpressed e => e.Interest.InterestId.ToString() == interestId,
            InterestAccepted a => a.Interest.InterestId.ToString() == interestId,
            DealStageChanged d => d.DealId.ToString() == dealId,
            _ => false,
        }).ToList();
        Assert.Contains(replayed, c => c.Message is InterestAccepted);
        Assert.Contains(replayed, c => c.Message is DealStageChanged);
        foreach (var (message, messageId) in replayed) await probe.RepublishAsync(message, messageId);

        // a fresh event behind them on the same queues: once it has made its notification, the replays were handled too
        await (await market.Client.Send(HttpMethod.Post, $"/api/interests/{interestId}/messages", enterprise, new { text = "收到，期待下周面谈。" })).Expect(201);
        await Notified(market, university, "interest_message", "the message never made a notification");
        await Notified(market, broker, "interest_message", "the broker never heard of the message");

        Assert.Equal(counts["university"] + 1, (await Notifications(market, university)).Count);
        Assert.Equal(counts["enterprise"], (await Notifications(market, enterprise)).Count);
        Assert.Equal(counts["broker"] + 1, (await Notifications(market, broker)).Count);
        Assert.Equal(enterpriseDeals, (int)(await (await market.Client.Send(HttpMethod.Get, "/api/deals", enterprise)).Expect(200))["total"]!);
        deal = await (await market.Client.Send(HttpMethod.Get, $"/api/deals/{dealId}", enterprise)).Expect(200);
        Assert.Single(deal["history"]!.AsArray());
    }
}
