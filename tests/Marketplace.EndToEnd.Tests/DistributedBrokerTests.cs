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

    /// <summary>The matching replica's own queues (the index's and the announcements') are declared with x-expires, so a replica gone for good leaves no queue behind.</summary>
    private static async Task MatchingQueueExpiresWhenIdle(string instance)
    {
        var node = Environment.GetEnvironmentVariable("RABBITMQ_NODENAME");
        if (string.IsNullOrEmpty(node)) return; // a RabbitMQ not started by ./test.sh: its queues are not ours to list
        using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("rabbitmqctl", $"-q -n {node} list_queues name arguments")
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        // one line per queue: its name, a tab, its arguments
        foreach (var queue in new[] { "matching-" + instance, "matching-" + instance + "-matches" })
        {
            var line = output.Split('\n').Single(l => l.StartsWith(queue + "\t", StringComparison.Ordinal));
            Assert.Contains("x-expires", line);
            Assert.Contains("3600000", line);
        }
    }

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
        await MatchingQueueExpiresWhenIdle(market.MatchingInstance);

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

public sealed class DistributedRegistrationTests
{
    [RabbitFact]
    public async Task A_contract_registered_for_a_deal_moves_the_brokers_deal_to_registered_across_processes()
    {
        using var market = new DistributedMarket();
        await market.StartAsync();
        var broker = await market.SignIn("demo-broker");
        var seller = await market.SignIn("demo-university");
        var registrar = await market.SignIn("demo-registrar");

        // a contract names only a deal its applicant is a party to: the deal is about the university's offer
        var offerId = await market.CreateAndSubmit(seller, 3);
        await (await market.Client.Send(HttpMethod.Post, $"/api/listings/{offerId}/approve", await market.SignIn("demo-operator"))).Expect(200);
        var deal = await (await market.Client.Send(HttpMethod.Post, "/api/deals", broker, new { title = "隔膜技术许可交易", field = "new-energy", offerId })).Expect(201);
        foreach (var step in new object[]
        {
            new { to = "contacted" }, new { to = "negotiating" },
            new { to = "agreed", commission = new { kind = "percentage", percent = 5m } }, new { to = "contract_signed" },
        })
        {
            deal = await (await market.Client.Send(HttpMethod.Post, $"/api/deals/{deal["id"]}/stage", broker, step,
                new Dictionary<string, string> { ["If-Match"] = $"\"{(long)deal["version"]!}\"" })).Expect(200);
        }

        var today = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));
        var application = new
        {
            title = "耐高温陶瓷涂覆隔膜技术开发合同",
            type = "development",
            subtype = "commissioned",
            field = "new-energy",
            seller = new { name = "湖南示范大学（演示）", creditCode = Marketplace.ServiceDefaults.Validation.CreditCode.WithCheck("12430100MA4L00001"), regionCode = "430104" },
            buyer = new { name = "长沙示范智造有限公司（演示）", creditCode = Marketplace.ServiceDefaults.Validation.CreditCode.WithCheck("91430100MA4L00002"), regionCode = "430104" },
            signedOn = today.AddDays(-1).ToString("yyyy-MM-dd"),
            validFrom = today.AddDays(-1).ToString("yyyy-MM-dd"),
            validTo = today.AddYears(2).ToString("yyyy-MM-dd"),
            totalAmount = 600_000m,
            dealId = (string)deal["id"]!,
        };
        // the registration service learns the deal and the offer's owner from their events: until then, 422
        var filed = DateTime.UtcNow.AddSeconds(30);
        HttpResponseMessage created;
        while ((created = await market.Client.Send(HttpMethod.Post, "/api/contracts", seller, application)).StatusCode == System.Net.HttpStatusCode.UnprocessableEntity
            && DateTime.UtcNow < filed)
        {
            await Task.Delay(250);
        }
        var draft = await created.Expect(201);
        await market.Client.AttachContractText(draft["id"]!, seller);
        await (await market.Client.Send(HttpMethod.Post, $"/api/contracts/{draft["id"]}/submit", seller)).Expect(200);
        var registered = await (await market.Client.Send(HttpMethod.Post, $"/api/contracts/{draft["id"]}/register", registrar)).Expect(200);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((string)deal["stage"]! != "registered")
        {
            Assert.True(DateTime.UtcNow < deadline, "ContractRegistered never reached the broker service");
            await Task.Delay(200);
            deal = await (await market.Client.Send(HttpMethod.Get, $"/api/deals/{deal["id"]}", broker)).Expect(200);
        }
        Assert.Equal((string)registered["registrationNumber"]!, (string)deal["contract"]!["registrationNumber"]!);
        Assert.Equal(600_000m, (decimal)deal["contract"]!["contractAmount"]!);
    }
}
