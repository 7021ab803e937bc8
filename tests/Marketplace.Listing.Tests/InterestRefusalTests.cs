using System.Net;
using Marketplace.Contracts;
using Marketplace.TestKit;

namespace Marketplace.Listing.Tests;

/// <summary>Every way an interest is refused: a clear ProblemDetails, and nothing changed.</summary>
public sealed class InterestRefusalTests(ListingApi api) : IClassFixture<ListingApi>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<(string ListingId, string Owner)> PublishedOffer()
    {
        var owner = api.University(ListingApi.NewOrg("uni"));
        return ((await _client.Publish(api, owner, Samples.Offer())).Id(), owner);
    }

    private async Task AssertNothingSent(string token)
    {
        Assert.Equal(0, (int)(await _client.Box(token, "sent"))["total"]!);
    }

    private async Task AssertStill(string token, string interestId, string status, long version)
    {
        var read = await _client.Read(token, interestId);
        Assert.Equal((status, version), ((string)read["status"]!, (long)read["version"]!));
    }

    [Fact]
    public async Task A_university_cannot_express_interest_in_its_own_listing()
    {
        var org = ListingApi.NewOrg("uni");
        var owner = api.University(org);
        var id = (await _client.Publish(api, owner, Samples.Offer())).Id();
        var problem = await (await _client.Express(owner, id)).Expect(422);
        Assert.EndsWith("/own-listing", (string)problem["type"]!);
        await (await _client.Express(api.Tokens.For(Roles.University, org, sub: "colleague"), id)).Expect(422);
        await AssertNothingSent(owner);
        Assert.Equal(0, (int)(await _client.Box(owner, "received"))["total"]!);
    }

    [Fact]
    public async Task Interest_is_only_for_listings_that_exist_and_are_published()
    {
        var enterprise = api.Enterprise(ListingApi.NewOrg("ent"));
        await (await _client.Express(enterprise, Guid.NewGuid().ToString())).Expect(404);

        var owner = api.University(ListingApi.NewOrg("uni"));
        var draft = (await _client.Create(owner, Samples.Offer())).Id();
        await (await _client.Express(enterprise, draft)).Expect(409);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{draft}/submit", owner)).Expect(200);
        await (await _client.Express(enterprise, draft)).Expect(409);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{draft}/approve", api.Operator())).Expect(200);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{draft}/withdraw", owner)).Expect(200);
        await (await _client.Express(enterprise, draft)).Expect(409);
        await AssertNothingSent(enterprise);
    }

    [Fact]
    public async Task An_organisation_holds_one_open_interest_per_listing()
    {
        var (listing, _) = await PublishedOffer();
        var org = ListingApi.NewOrg("ent");
        var enterprise = api.Enterprise(org);
        await _client.Interest(enterprise, listing);
        await (await _client.Express(enterprise, listing)).Expect(409);
        await (await _client.Express(api.Tokens.For(Roles.Enterprise, org, sub: "colleague"), listing)).Expect(409);
        Assert.Equal(1, (int)(await _client.Box(enterprise, "sent"))["total"]!);
    }

    [Fact]
    public async Task Interests_sent_at_the_same_moment_by_one_organisation_open_exactly_one()
    {
        var (listing, owner) = await PublishedOffer();
        var org = ListingApi.NewOrg("ent");
        var colleagues = Enumerable.Range(0, 8).Select(n => api.Tokens.For(Roles.Enterprise, org, sub: $"colleague-{n}")).ToList();

        var answers = await Task.WhenAll(colleagues.Select(c => _client.Express(c, listing)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        Assert.Equal(1, (int)(await _client.Box(owner, "received"))["total"]!);
    }

    [Fact]
    public async Task Only_the_listings_owner_accepts_or_declines_the_sender_gets_403_and_strangers_404()
    {
        var (listing, owner) = await PublishedOffer();
        var sender = api.Enterprise(ListingApi.NewOrg("ent"));
        var id = (await _client.Interest(sender, listing)).Id();
        var stranger = api.Enterprise(ListingApi.NewOrg("ent"));

        await (await _client.Act(sender, id, "accept")).Expect(403);
        await (await _client.Act(sender, id, "decline", new { reason = "自己拒绝自己" })).Expect(403);
        await (await _client.Act(stranger, id, "accept")).Expect(404);
        await (await _client.Act(stranger, id, "decline", new { reason = "与我无关的拒绝" })).Expect(404);
        await (await _client.Act(api.Operator(), id, "accept")).Expect(403);
        await (await _client.Act(api.Operator("zhuzhou"), id, "accept")).Expect(404);
        await (await _client.Act(owner, Guid.NewGuid().ToString(), "accept")).Expect(404);
        await AssertStill(owner, id, "open", 1);
    }

    [Fact]
    public async Task An_interest_is_decided_once()
    {
        var (listing, owner) = await PublishedOffer();
        var sender = api.Enterprise(ListingApi.NewOrg("ent"));
        var id = (await _client.Interest(sender, listing)).Id();
        await (await _client.Act(owner, id, "accept")).Expect(200);
        await (await _client.Act(owner, id, "accept")).Expect(409);
        await (await _client.Act(owner, id, "decline", new { reason = "改变主意了" })).Expect(409);
        await (await _client.Act(sender, id, "withdraw")).Expect(409);
        await AssertStill(owner, id, "accepted", 2);
    }

    [Fact]
    public async Task Only_the_sender_withdraws_and_only_while_open()
    {
        var (listing, owner) = await PublishedOffer();
        var sender = api.Enterprise(ListingApi.NewOrg("ent"));
        var id = (await _client.Interest(sender, listing)).Id();
        await (await _client.Act(owner, id, "withdraw")).Expect(403);
        await (await _client.Act(api.Enterprise(ListingApi.NewOrg("ent")), id, "withdraw")).Expect(404);
        await AssertStill(sender, id, "open", 1);
        await (await _client.Act(sender, id, "withdraw")).Expect(200);
        await (await _client.Act(sender, id, "withdraw")).Expect(409);
        await (await _client.Act(owner, id, "accept")).Expect(409);
        await AssertStill(owner, id, "withdrawn", 2);
    }

    [Fact]
    public async Task A_listing_that_left_the_market_takes_no_acceptance()
    {
        var (listing, owner) = await PublishedOffer();
        var sender = api.Enterprise(ListingApi.NewOrg("ent"));
        var id = (await _client.Interest(sender, listing)).Id();
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{listing}/withdraw", owner)).Expect(200);
        await (await _client.Act(owner, id, "accept")).Expect(409);
        await AssertStill(owner, id, "open", 1);
        // declining is still possible: the owner can close the conversation
        await (await _client.Act(owner, id, "decline", new { reason = "该成果已下架" })).Expect(200);
    }

    [Fact]
    public async Task A_stale_If_Match_is_412_and_changes_nothing()
    {
        var (listing, owner) = await PublishedOffer();
        var id = (await _client.Interest(api.Enterprise(ListingApi.NewOrg("ent")), listing)).Id();
        await (await _client.Act(owner, id, "accept", null, new Dictionary<string, string> { ["If-Match"] = "\"7\"" })).Expect(412);
        await (await _client.Act(owner, id, "accept", null, new Dictionary<string, string> { ["If-Match"] = "nonsense" })).Expect(400);
        await AssertStill(owner, id, "open", 1);
        var accepted = await _client.Act(owner, id, "accept", null, new Dictionary<string, string> { ["If-Match"] = "\"1\"" });
        await accepted.Expect(200);
        Assert.Equal("\"2\"", accepted.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Messages_are_for_the_parties_a_stranger_sees_nothing_and_operators_only_read()
    {
        var (listing, owner) = await PublishedOffer();
        var sender = api.Enterprise(ListingApi.NewOrg("ent"));
        var id = (await _client.Interest(sender, listing)).Id();
        await (await _client.Say(sender, id, "您好，想约个时间交流。")).Expect(201);
        var stranger = api.Enterprise(ListingApi.NewOrg("ent"));

        await (await _client.Say(stranger, id, "我也想插一句。")).Expect(404);
        await (await _client.Send(HttpMethod.Get, $"/api/interests/{id}/messages", stranger)).Expect(404);
        await (await _client.Say(api.Operator(), id, "运营人员代为留言。")).Expect(403);
        await (await _client.Say(api.Broker(), id, "未分配的经纪人留言。")).Expect(404);
        Assert.Equal(1, (int)(await _client.Messages(api.Operator(), id))["total"]!);
        Assert.Equal(1, (int)(await _client.Messages(owner, id))["total"]!);
    }

    public static TheoryData<string, string> BadInterests => new()
    {
        { """{"mode":"transfer"}""", "message" },
        { """{"message":"   "}""", "message" },
        { $$"""{"message":"{{new string('长', InterestRulesMax + 1)}}"}""", "message" },
        { """{"message":"请联系我们\u0007谢谢"}""", "message" },
        { """{"message":"正常文字\u202Egpj.exe"}""", "message" },
        { """{"message":"零宽\u200B字符"}""", "message" },
        { """{"message":"预算为负数的意向","budget":-1}""", "budget" },
        { """{"message":"预算过大的意向","budget":100000000000.01}""", "budget" },
        { """{"message":"预算有三位小数","budget":1.005}""", "budget" },
        { """{"message":"未知的合作方式","mode":"purchase"}""", "mode" },
        { """{"message":"类型不对的预算","budget":"很多"}""", "budget" },
        { """{"message":"类型不对的意愿","withoutBroker":"yes"}""", "withoutBroker" },
        { "[]", "body" },
    };

    private const int InterestRulesMax = 2000;

    [Theory, MemberData(nameof(BadInterests))]
    public async Task A_bad_interest_is_400_naming_the_field_and_nothing_is_sent(string body, string field)
    {
        var (listing, owner) = await PublishedOffer();
        var enterprise = api.Enterprise(ListingApi.NewOrg("ent"));
        var problem = await (await _client.Express(enterprise, listing, body)).Expect(400);
        Assert.True(problem["errors"]?[field] is not null, $"The problem does not name {field}: {problem.ToJsonString()}");
        await AssertNothingSent(enterprise);
        Assert.Equal(0, (int)(await _client.Box(owner, "received"))["total"]!);
    }

    [Fact]
    public async Task An_interest_without_a_body_is_400_naming_the_message()
    {
        var (listing, _) = await PublishedOffer();
        var enterprise = api.Enterprise(ListingApi.NewOrg("ent"));
        var response = await _client.Send(HttpMethod.Post, $"/api/listings/{listing}/interests", enterprise, "");
        var problem = await response.Expect(400);
        Assert.NotNull(problem["errors"]!["message"]);
        await AssertNothingSent(enterprise);
    }

    [Fact]
    public async Task A_decline_needs_a_reason_and_a_message_needs_text()
    {
        var (listing, owner) = await PublishedOffer();
        var sender = api.Enterprise(ListingApi.NewOrg("ent"));
        var id = (await _client.Interest(sender, listing)).Id();
        Assert.NotNull((await (await _client.Act(owner, id, "decline", new { })).Expect(400))["errors"]!["reason"]);
        Assert.NotNull((await (await _client.Act(owner, id, "decline", new { reason = "理由\u0000" })).Expect(400))["errors"]!["reason"]);
        // who may act is answered before the body: the sender's bad decline is a 403
        await (await _client.Act(sender, id, "decline", new { })).Expect(403);
        Assert.NotNull((await (await _client.Say(sender, id, "")).Expect(400))["errors"]!["text"]);
        Assert.NotNull((await (await _client.Say(sender, id, new string('字', 2001))).Expect(400))["errors"]!["text"]);
        Assert.NotNull((await (await _client.Say(sender, id, "bell\u0007")).Expect(400))["errors"]!["text"]);
        await AssertStill(owner, id, "open", 1);
        Assert.Equal(0, (int)(await _client.Messages(owner, id))["total"]!);
    }

    [Theory]
    [InlineData("", "box")]
    [InlineData("box=all", "box")]
    [InlineData("box=sent&status=pending", "status")]
    public async Task A_list_needs_a_known_box_and_status(string query, string parameter)
    {
        var problem = await (await _client.Send(HttpMethod.Get, "/api/interests?" + query, api.Enterprise("ent-lists"))).Expect(400);
        QueryBounds.AssertNames(problem, parameter);
    }
}
