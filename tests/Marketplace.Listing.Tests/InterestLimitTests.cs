using System.Net;
using Marketplace.Contracts;
using Marketplace.TestKit;

namespace Marketplace.Listing.Tests;

/// <summary>An organisation expresses at most so many new interests per day (China time); refusals do not count.</summary>
public sealed class InterestLimitTests(ListingApi api) : IClassFixture<ListingApi>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<List<string>> Offers(int count)
    {
        var owner = api.University(ListingApi.NewOrg("uni"));
        var ids = new List<string>();
        for (var i = 0; i < count; i++) ids.Add((await _client.Publish(api, owner, Samples.Offer($"每日上限测试成果第{i + 1}项"))).Id());
        return ids;
    }

    [Fact]
    public async Task An_organisation_past_its_daily_limit_is_told_to_come_back_after_midnight_China_time()
    {
        var listings = await Offers(ListingApi.DailyInterestLimit + 1);
        var org = ListingApi.NewOrg("ent");
        var enterprise = api.Enterprise(org);

        // refusals first: none of them uses a slot of the day
        await (await _client.Express(enterprise, listings[0], new { message = "" })).Expect(400);
        await (await _client.Express(enterprise, listings[0], new { message = "预算为负数的意向", budget = -5m })).Expect(400);
        await (await _client.Express(enterprise, Guid.NewGuid().ToString())).Expect(404);
        await _client.Interest(enterprise, listings[0]);
        for (var i = 0; i < 3; i++) await (await _client.Express(enterprise, listings[0])).Expect(409);

        foreach (var listing in listings.Skip(1).Take(ListingApi.DailyInterestLimit - 1)) await _client.Interest(enterprise, listing);
        var refused = await _client.Express(api.Tokens.For(Roles.Enterprise, org, sub: "colleague"), listings[^1]);
        var problem = await refused.Expect(429);
        Assert.EndsWith("/too-many-requests", (string)problem["type"]!);
        var retryAfter = int.Parse(refused.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        var chinaNow = api.Clock.Now.ToOffset(TimeSpan.FromHours(8));
        var midnight = new DateTimeOffset(chinaNow.Date.AddDays(1), TimeSpan.FromHours(8));
        Assert.InRange(retryAfter, (int)(midnight - api.Clock.Now).TotalSeconds, (int)Math.Ceiling((midnight - api.Clock.Now).TotalSeconds));
        Assert.Equal(ListingApi.DailyInterestLimit, (int)(await _client.Box(enterprise, "sent"))["total"]!);

        // a withdrawn interest still was one of the day's: the limit counts what was expressed
        await (await _client.Act(enterprise, (await _client.Box(enterprise, "sent"))["items"]![0]!.AsObject().Id(), "withdraw")).Expect(200);
        await (await _client.Express(enterprise, listings[^1])).Expect(429);

        // the next day in China time has a fresh allowance
        api.Clock.Now = midnight.AddMinutes(1);
        await _client.Interest(enterprise, listings[^1]);
    }

    [Fact]
    public async Task Racing_interests_of_one_organisation_never_pass_the_daily_limit()
    {
        var listings = await Offers(ListingApi.DailyInterestLimit + 4);
        var org = ListingApi.NewOrg("ent");
        var colleagues = listings.Select((_, n) => api.Tokens.For(Roles.Enterprise, org, sub: $"colleague-{n}")).ToList();

        var answers = await Task.WhenAll(listings.Select((listing, n) => _client.Express(colleagues[n], listing)));

        Assert.Equal(ListingApi.DailyInterestLimit, answers.Count(a => a.StatusCode == HttpStatusCode.Created));
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created), a => Assert.Equal(HttpStatusCode.TooManyRequests, a.StatusCode));
        Assert.Equal(ListingApi.DailyInterestLimit, (int)(await _client.Box(colleagues[0], "sent"))["total"]!);
    }

    [Fact]
    public async Task Another_organisation_has_an_allowance_of_its_own()
    {
        var listings = await Offers(ListingApi.DailyInterestLimit + 1);
        var busy = api.Enterprise(ListingApi.NewOrg("ent"));
        foreach (var listing in listings.Take(ListingApi.DailyInterestLimit)) await _client.Interest(busy, listing);
        await (await _client.Express(busy, listings[^1])).Expect(429);
        await _client.Interest(api.Enterprise(ListingApi.NewOrg("ent")), listings[^1]);
    }
}
