using System.Text.Json.Nodes;
using Marketplace.TestKit;

namespace Marketplace.Listing.Tests;

/// <summary>Bad input is a 400 (or 412/413/428) ProblemDetails naming the field, and changes nothing.</summary>
public sealed class ListingInputTests(ListingApi api) : IClassFixture<ListingApi>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<JsonObject> Refused(string token, object body, string field)
    {
        var problem = await (await _client.Send(HttpMethod.Post, "/api/listings", token, body)).Expect(400);
        Assert.True(problem["errors"]?[field] is not null, $"no error for {field}: {problem}");
        return problem;
    }

    private static Dictionary<string, object?> With(Dictionary<string, object?> body, string key, object? value)
    {
        body[key] = value;
        return body;
    }

    [Fact]
    public async Task Malformed_json_and_unknown_codes_are_400_and_nothing_is_created()
    {
        var org = ListingApi.NewOrg("uni");
        var token = api.University(org);
        await (await _client.Send(HttpMethod.Post, "/api/listings", token, "{\"kind\": \"offer\", ")).Expect(400);
        await (await _client.Send(HttpMethod.Post, "/api/listings", token, "not json")).Expect(400);
        await Refused(token, With(Samples.Offer(), "kind", "patent"), "kind");
        await Refused(token, With(Samples.Offer(), "transferModes", new[] { "sell" }), "transferModes[0]");
        await Refused(token, With(Samples.Offer(), "maturity", "six"), "maturity");
        var mine = await (await _client.Send(HttpMethod.Get, "/api/listings?mine=true", token)).Expect(200);
        Assert.Equal(0, (int)mine["total"]!);
    }

    [Fact]
    public async Task Missing_fields_are_each_named()
    {
        var problem = await (await _client.Send(HttpMethod.Post, "/api/listings", api.University("uni-m"), new { kind = "offer" })).Expect(400);
        foreach (var field in new[] { "title", "summary", "description", "field", "keywords", "maturity", "transferModes" })
            Assert.True(problem["errors"]![field] is not null, $"missing error for {field}");
        await Refused(api.University("uni-m"), new { title = "只有标题的信息" }, "kind");
    }

    [Fact]
    public async Task Lengths_codes_and_ranges_are_checked()
    {
        var token = api.University("uni-v");
        await Refused(token, With(Samples.Offer(), "title", new string('长', 101)), "title");
        await Refused(token, With(Samples.Offer(), "title", "短"), "title");
        await Refused(token, With(Samples.Offer(), "field", "quantum"), "field");
        await Refused(token, With(Samples.Offer(), "keywords", Enumerable.Range(0, 11).Select(i => $"词{i}").ToArray()), "keywords");
        await Refused(token, With(Samples.Offer(), "keywords", new[] { "锂电池", "锂电池" }), "keywords");
        await Refused(token, With(Samples.Offer(), "maturity", 10), "maturity");
        await Refused(token, With(Samples.Offer(), "price", new { min = 3000000m, max = 1000000m }), "price");
        await Refused(token, With(Samples.Offer(), "price", new { min = -1m }), "price.min");
        await Refused(token, With(Samples.Offer(), "price", new { min = 10.005m }), "price.min");
        await Refused(token, With(Samples.Offer(), "contact", new { phone = "12345" }), "contact.phone");
        var problem = await (await _client.Send(HttpMethod.Post, "/api/listings", token, With(Samples.Offer(), "subMarket", "beijing"))).Expect(400);
        Assert.NotNull(problem["errors"]!["subMarket"]);
    }

    [Fact]
    public async Task Patent_numbers_are_checked_with_their_check_digit_and_type()
    {
        var token = api.University("uni-p");
        var bad = await Refused(token, With(Samples.Offer(), "ipItems", new[] { new { type = "invention_patent", number = "201710601862.4" } }), "ipItems[0].number");
        Assert.Contains("校验位", bad["errors"]!["ipItems[0].number"]![0]!.ToString());
        await Refused(token, With(Samples.Offer(), "ipItems", new[] { new { type = "utility_model", number = "201710601862.3" } }), "ipItems[0].number");
        await Refused(token, With(Samples.Offer(), "ipItems", new[] { new { type = "software_copyright", number = "SR123" } }), "ipItems[0].number");
        await _client.Create(token, With(Samples.Offer(), "ipItems", new object[]
        {
            new { type = "invention_patent", number = "ZL201710601862.3" },
            new { type = "software_copyright", number = "2023SR0123456" },
            new { type = "trade_secret", number = "KM-2024-07" },
        }));
    }

    [Fact]
    public async Task Demands_need_a_future_deadline_and_challenges_a_bounty()
    {
        var token = api.Enterprise("ent-v");
        var now = api.Clock.Now;
        await Refused(token, With(Samples.Demand(now), "deadline", now.AddDays(-1)), "deadline");
        await Refused(token, With(Samples.Demand(now), "budget", null), "budget");
        await Refused(token, With(Samples.Demand(now, "challenge"), "bounty", null), "bounty");
        await Refused(token, With(Samples.Demand(now, "challenge"), "proposalDeadline", now.AddDays(90)), "proposalDeadline");
        await Refused(token, With(Samples.Demand(now), "maturity", 5), "kind");
    }

    [Fact]
    public async Task Updates_need_a_current_If_Match()
    {
        var token = api.University(ListingApi.NewOrg("uni"));
        var id = (string)(await _client.Create(token, Samples.Offer()))["id"]!;
        await (await _client.Send(HttpMethod.Put, $"/api/listings/{id}", token, Samples.Offer("没有带版本号的修改"))).Expect(428);
        await (await _client.Send(HttpMethod.Put, $"/api/listings/{id}", token, Samples.Offer("正确版本号的修改"), new Dictionary<string, string> { ["If-Match"] = "\"1\"" })).Expect(200);
        var stale = await (await _client.Send(HttpMethod.Put, $"/api/listings/{id}", token, Samples.Offer("过期版本号的修改"), new Dictionary<string, string> { ["If-Match"] = "\"1\"" })).Expect(412);
        Assert.Contains("版本", (string)stale["detail"]!);
        await (await _client.Send(HttpMethod.Put, $"/api/listings/{id}", token, Samples.Offer("乱写的版本号"), new Dictionary<string, string> { ["If-Match"] = "abc" })).Expect(400);
        await (await _client.Send(HttpMethod.Put, $"/api/listings/{id}", token, Samples.Offer("乱写的版本号"), new Dictionary<string, string> { ["If-Match"] = "\"abc\"" })).Expect(412);
        await (await _client.Send(HttpMethod.Put, $"/api/listings/{id}", token, With(Samples.Offer(), "kind", "demand"), new Dictionary<string, string> { ["If-Match"] = "\"2\"" })).Expect(400);
        var read = await (await _client.Send(HttpMethod.Get, $"/api/listings/{id}", token)).Expect(200);
        Assert.Equal("正确版本号的修改", (string)read["title"]!);
        Assert.Equal(2, (long)read["version"]!);
    }

    [Theory]
    [InlineData("W/\"1\"", 412)]        // a weak tag never matches a write (strong comparison)
    [InlineData("\"abc\"", 412)]        // well-formed, but no version of ours: a mismatch, not a bad request
    [InlineData("\"7\", \"9\"", 412)] // a list none of whose tags matches
    [InlineData("1", 400)]              // unquoted: not an entity tag
    [InlineData("\"1\" \"2\"", 400)]  // two tags without the comma between them
    [InlineData("*, \"1\"", 400)]       // * stands alone
    [InlineData("\"9\", \"1\"", 200)] // a list matches if any tag does
    [InlineData("*", 200)]              // * matches the existing listing whatever its version
    public async Task If_Match_is_compared_as_RFC_9110_says(string ifMatch, int status)
    {
        var token = api.University(ListingApi.NewOrg("uni"));
        var id = (string)(await _client.Create(token, Samples.Offer()))["id"]!;
        await (await _client.Send(HttpMethod.Put, $"/api/listings/{id}", token, Samples.Offer("按条件修改的标题"),
            new Dictionary<string, string> { ["If-Match"] = ifMatch })).Expect(status);
        var read = await (await _client.Send(HttpMethod.Get, $"/api/listings/{id}", token)).Expect(200);
        Assert.Equal(status == 200 ? 2 : 1, (long)read["version"]!);
    }

    [Fact]
    public async Task Oversize_bodies_unknown_ids_and_bad_paging_are_clear_errors()
    {
        var token = api.University("uni-o");
        var huge = With(Samples.Offer(), "description", new string('字', 600_000));
        await (await _client.Send(HttpMethod.Post, "/api/listings", token, huge)).Expect(413);
        await (await _client.Send(HttpMethod.Post, "/api/listings", token, With(Samples.Offer(), "description", new string('字', 20_001)))).Expect(400);
        await (await _client.Send(HttpMethod.Get, $"/api/listings/{Guid.NewGuid()}")).Expect(404);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{Guid.NewGuid()}/submit", token)).Expect(404);
        await (await _client.Send(HttpMethod.Get, "/api/listings?pageSize=101")).Expect(400);
        await (await _client.Send(HttpMethod.Get, "/api/listings?page=0")).Expect(400);
        await (await _client.Send(HttpMethod.Get, "/api/listings?page=2147483647&pageSize=100")).Expect(400);
        await (await _client.Send(HttpMethod.Get, "/api/listings?page=101&pageSize=100")).Expect(400);
        await (await _client.Send(HttpMethod.Get, "/api/listings?status=live", api.Operator())).Expect(400);
    }
}
