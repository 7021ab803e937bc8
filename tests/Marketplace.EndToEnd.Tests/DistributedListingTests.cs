using System.Collections.Concurrent;
using Marketplace.TestKit;

namespace Marketplace.EndToEnd.Tests;

public sealed class DistributedListingTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "e2e-probe-" + Guid.NewGuid().ToString("N"));

    public DistributedListingTests() => Directory.CreateDirectory(_directory);

    [RabbitFact]
    public async Task A_listing_approved_through_the_gateway_is_announced_on_the_real_broker()
    {
        using var market = new DistributedMarket();
        await market.StartAsync();
        await using var probe = await EventProbe.StartAsync(RabbitFactAttribute.Uri!, _directory);

        var university = await market.SignIn("demo-university");
        var operatorToken = await market.SignIn("demo-operator");
        var id = await market.CreateAndSubmit(university, 1);
        await (await market.Client.Send(HttpMethod.Post, $"/api/listings/{id}/approve", operatorToken)).Expect(200);

        await probe.WaitForAsync([Guid.Parse(id)], TimeSpan.FromSeconds(30));
        var read = await (await market.Client.Send(HttpMethod.Get, $"/api/listings/{id}")).Expect(200);
        Assert.Equal("published", (string)read["status"]!);
    }

    [RabbitFact]
    public async Task A_listing_approved_through_the_gateway_is_found_by_search_and_a_matching_demand_is_suggested_once()
    {
        using var market = new DistributedMarket();
        await market.StartAsync();
        await using var probe = await EventProbe.StartAsync(RabbitFactAttribute.Uri!, _directory);
        var university = await market.SignIn("demo-university");
        var enterprise = await market.SignIn("demo-enterprise");
        var operatorToken = await market.SignIn("demo-operator");

        var offerId = await market.CreateAndSubmit(university, 7);
        await (await market.Client.Send(HttpMethod.Post, $"/api/listings/{offerId}/approve", operatorToken)).Expect(200);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var found = await (await market.Client.Send(HttpMethod.Get, "/api/search?q=" + Uri.EscapeDataString("陶瓷涂覆隔膜"))).Expect(200);
            if (found["items"]!.AsArray().Any(i => (string)i!["id"]! == offerId)) break;
            Assert.True(DateTime.UtcNow < deadline, "the approved listing never became searchable through the gateway");
            await Task.Delay(200);
        }

        var demand = await (await market.Client.Send(HttpMethod.Post, "/api/listings", enterprise, new
        {
            kind = "demand",
            title = "锂电池陶瓷涂覆隔膜技术需求",
            summary = "寻求耐高温陶瓷涂覆锂电池隔膜的制备工艺。",
            description = "公司生产动力锂电池，需要耐高温陶瓷涂覆隔膜的浆料配方与涂布工艺，提升电池热安全性能。",
            field = "new-energy",
            keywords = new[] { "锂电池", "隔膜" },
            budget = new { min = 100000m, max = 500000m },
            deadline = DateTimeOffset.UtcNow.AddDays(90),
        })).Expect(201);
        var demandId = (string)demand["id"]!;
        await (await market.Client.Send(HttpMethod.Post, $"/api/listings/{demandId}/submit", enterprise)).Expect(200);
        await (await market.Client.Send(HttpMethod.Post, $"/api/listings/{demandId}/approve", operatorToken)).Expect(200);

        deadline = DateTime.UtcNow.AddSeconds(30);
        while (!probe.Suggestions.Any(s => s.OfferId == Guid.Parse(offerId) && s.DemandId == Guid.Parse(demandId)))
        {
            Assert.True(DateTime.UtcNow < deadline, "no MatchSuggested arrived for the pair");
            await Task.Delay(200);
        }
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Single(probe.Suggestions, s => s.OfferId == Guid.Parse(offerId) && s.DemandId == Guid.Parse(demandId));

        var matches = await (await market.Client.Send(HttpMethod.Get, $"/api/matches/{demandId}", enterprise)).Expect(200);
        Assert.Equal(offerId, (string)matches["items"]![0]!["listingId"]!);
    }

    [RabbitFact]
    public async Task The_proxy_forwards_only_listed_routes_and_the_services_check_tokens_themselves()
    {
        using var market = new DistributedMarket();
        await market.StartAsync();
        await (await market.Client.Send(HttpMethod.Post, "/api/listings", null, DistributedMarket.Offer(1))).Expect(401);
        await (await market.Client.Send(HttpMethod.Post, "/api/listings", await market.SignIn("demo-broker"), DistributedMarket.Offer(1))).Expect(403);
        Assert.Equal(404, (int)(await market.Client.GetAsync("/api/not-a-service/x")).StatusCode);
        var fields = await market.Client.GetStringAsync("/api/reference/fields");
        Assert.Contains("info-tech", fields);
        Assert.Contains("/api/listings", await market.Client.GetStringAsync("/openapi/listing.json"));

        // a token the gateway never issued is refused by the listing service itself
        using var direct = new HttpClient { BaseAddress = market.Listing.BaseAddress };
        await (await direct.Send(HttpMethod.Post, "/api/listings", new TestTokens().For("university", "forged-org"), DistributedMarket.Offer(1))).Expect(401);

        // a backend that is down takes out its own routes, not the gateway: search still answers
        market.Listing.Kill();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await market.Client.GetAsync("/health/backends")).IsSuccessStatusCode)
        {
            Assert.True(DateTime.UtcNow < deadline, "the gateway never noticed its listing backend was down");
            await Task.Delay(250);
        }
        Assert.Contains("listing", await (await market.Client.GetAsync("/health/backends")).Content.ReadAsStringAsync());
        Assert.True((await market.Client.GetAsync("/health/ready")).IsSuccessStatusCode, "one backend down took the gateway out");
        var down = await market.Client.GetAsync("/api/reference/fields");
        Assert.Equal(503, (int)down.StatusCode);
        Assert.Equal(200, (int)(await market.Client.GetAsync("/api/search?q=" + Uri.EscapeDataString("电池"))).StatusCode);
    }

    [RabbitFact]
    public async Task Listings_approved_while_the_listing_process_is_killed_are_all_announced_exactly_once()
    {
        using var market = new DistributedMarket();
        await market.StartAsync();
        await using var probe = await EventProbe.StartAsync(RabbitFactAttribute.Uri!, _directory);
        var university = await market.SignIn("demo-university");
        var operatorToken = await market.SignIn("demo-operator");

        var ids = new List<string>();
        for (var i = 0; i < 40; i++) ids.Add(await market.CreateAndSubmit(university, i));

        // Approve with four concurrent operators; SIGKILL the listing process once ten have succeeded.
        var queue = new ConcurrentQueue<string>(ids);
        var unanswered = new ConcurrentBag<string>();
        var approvedBeforeKill = 0;
        var killed = 0;
        var workers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (queue.TryDequeue(out var id))
            {
                try
                {
                    var response = await market.Client.Send(HttpMethod.Post, $"/api/listings/{id}/approve", operatorToken);
                    if (response.IsSuccessStatusCode)
                    {
                        if (Interlocked.Increment(ref approvedBeforeKill) >= 10 && Interlocked.Exchange(ref killed, 1) == 0)
                            market.Listing.Kill();
                        continue;
                    }
                }
                catch (HttpRequestException) { }
                catch (TaskCanceledException) { }
                unanswered.Add(id);
            }
        })).ToList();
        await Task.WhenAll(workers);
        Assert.Equal(1, killed);
        Assert.NotEmpty(unanswered);

        market.Listing.Start();
        await market.StartAsync();

        // The approvals that got no answer: either they committed before the kill (409 now) or they did not (200 now).
        foreach (var id in unanswered)
        {
            var status = (int)(await market.Client.Send(HttpMethod.Post, $"/api/listings/{id}/approve", operatorToken)).StatusCode;
            Assert.True(status is 200 or 409, $"approve {id} answered {status}");
        }
        foreach (var id in ids)
            Assert.Equal("published", (string)(await market.Get(id, university))["status"]!);

        var all = ids.Select(Guid.Parse).ToList();
        await probe.WaitForAsync(all, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(2)); // let any redelivery arrive before counting
        Assert.All(all, id => Assert.Equal(1, probe.Effects[id]));
        Assert.All(all, id => Assert.True(probe.Deliveries[id] >= 1));
    }

    public void Dispose()
    {
        try { Directory.Delete(_directory, true); } catch (IOException) { }
    }
}
