using Marketplace.Contracts;
using Marketplace.TestKit;

namespace Marketplace.Listing.Tests;

/// <summary>Every listing route refuses anonymous callers, wrong roles, other organisations and other sub-markets, and changes nothing.</summary>
public sealed class ListingAccessTests(ListingApi api) : IClassFixture<ListingApi>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<(string Id, string Owner)> Draft()
    {
        var owner = api.University(ListingApi.NewOrg("uni"));
        var created = await _client.Create(owner, Samples.Offer());
        return ((string)created["id"]!, owner);
    }

    private async Task AssertUnchanged(string id, string owner, string status, long version)
    {
        var read = await (await _client.Send(HttpMethod.Get, $"/api/listings/{id}", owner)).Expect(200);
        Assert.Equal(status, (string)read["status"]!);
        Assert.Equal(version, (long)read["version"]!);
    }

    public static TheoryData<string, string> Writes => new()
    {
        { "POST", "submit" }, { "POST", "withdraw" }, { "POST", "approve" }, { "POST", "reject" },
        { "PUT", "" }, { "POST", "proposals" }, { "POST", "award" },
    };

    [Theory, MemberData(nameof(Writes))]
    public async Task Anonymous_callers_get_401_on_every_write(string method, string action)
    {
        var (id, owner) = await Draft();
        var url = action == "" ? $"/api/listings/{id}" : $"/api/listings/{id}/{action}";
        await (await _client.Send(new HttpMethod(method), url, null, Samples.Offer())).Expect(401);
        await AssertUnchanged(id, owner, "draft", 1);
    }

    [Theory]
    [InlineData(Roles.Broker)]
    [InlineData(Roles.Operator)]
    [InlineData(Roles.Registrar)]
    [InlineData(Roles.Tax)]
    [InlineData(Roles.Admin)]
    public async Task Only_universities_and_enterprises_post_listings(string role)
    {
        var org = ListingApi.NewOrg(role);
        var token = api.Tokens.For(role, org);
        await (await _client.Send(HttpMethod.Post, "/api/listings", token, Samples.Offer())).Expect(403);
        var mine = await (await _client.Send(HttpMethod.Get, "/api/listings?mine=true", token)).Expect(200);
        Assert.Equal(0, (int)mine["total"]!);
    }

    [Fact]
    public async Task Another_organisation_cannot_read_edit_submit_or_withdraw_a_draft()
    {
        var (id, owner) = await Draft();
        var stranger = api.University(ListingApi.NewOrg("uni"));
        await (await _client.Send(HttpMethod.Get, $"/api/listings/{id}")).Expect(401);
        await (await _client.Send(HttpMethod.Get, $"/api/listings/{id}", stranger)).Expect(403);
        await (await _client.Send(HttpMethod.Put, $"/api/listings/{id}", stranger, Samples.Offer("别人改的标题内容"), new Dictionary<string, string> { ["If-Match"] = "\"1\"" })).Expect(403);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/submit", stranger)).Expect(403);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/withdraw", stranger)).Expect(403);
        await AssertUnchanged(id, owner, "draft", 1);
        // operators do not see drafts either
        await (await _client.Send(HttpMethod.Get, $"/api/listings/{id}", api.Operator())).Expect(403);
    }

    [Fact]
    public async Task Operators_review_only_their_own_sub_market_and_the_provincial_operators_any()
    {
        var (id, owner) = await Draft();
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/submit", owner)).Expect(200);

        var zhuzhou = api.Operator("zhuzhou");
        await (await _client.Send(HttpMethod.Get, $"/api/listings/{id}", zhuzhou)).Expect(403);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/approve", zhuzhou)).Expect(403);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/reject", zhuzhou, new { reason = "不属于本分市场" })).Expect(403);
        await (await _client.Send(HttpMethod.Get, "/api/listings?status=pending_review&subMarket=changsha", zhuzhou)).Expect(403);
        var zhuzhouQueue = await (await _client.Send(HttpMethod.Get, "/api/listings?status=pending_review", zhuzhou)).Expect(200);
        Assert.DoesNotContain(zhuzhouQueue["items"]!.AsArray(), i => (string)i!["id"]! == id);

        // the owner cannot approve its own listing, nor can an enterprise
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/approve", owner)).Expect(403);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/approve", api.Enterprise("ent-x"))).Expect(403);
        await AssertUnchanged(id, owner, "pending_review", 2);

        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/approve", api.Operator(ReferenceData.ProvincialMarket))).Expect(200);
    }

    [Fact]
    public async Task Who_may_act_and_whether_the_listing_exists_are_answered_before_the_body_is_checked()
    {
        var enterprise = api.Enterprise(ListingApi.NewOrg("ent"));
        var id = (string)(await _client.Publish(api, enterprise, Samples.Demand(api.Clock.Now, "challenge")))["id"]!;
        var empty = new { };
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{Guid.NewGuid()}/proposals", api.University("uni-b"), empty)).Expect(404);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{Guid.NewGuid()}/reject", api.Operator(), empty)).Expect(404);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/reject", api.Operator("zhuzhou"), empty)).Expect(403);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/award", api.Enterprise("ent-other"), empty)).Expect(403);
        // the owner with a bad body: a validation error naming the field
        var problem = await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/award", enterprise, empty)).Expect(400);
        Assert.NotNull(problem["errors"]!["proposalId"]);
    }

    [Fact]
    public async Task A_token_with_a_critical_header_extension_is_refused()
    {
        var org = ListingApi.NewOrg("uni");
        var plain = api.Tokens.For(Roles.University, org);
        await (await _client.Send(HttpMethod.Get, "/api/listings?mine=true", plain)).Expect(200);
        var critical = api.Tokens.For(Roles.University, org, header: new Dictionary<string, object>
        {
            ["crit"] = new[] { "urn:example:must-understand" }, ["urn:example:must-understand"] = true,
        });
        await (await _client.Send(HttpMethod.Get, "/api/listings?mine=true", critical)).Expect(401);
        await (await _client.Send(HttpMethod.Post, "/api/listings", critical, Samples.Offer())).Expect(401);
        var mine = await (await _client.Send(HttpMethod.Get, "/api/listings?mine=true", plain)).Expect(200);
        Assert.Equal(0, (long)mine["total"]!);
    }

    [Fact]
    public async Task Review_queues_are_for_operators_only()
    {
        await (await _client.Send(HttpMethod.Get, "/api/listings?status=pending_review")).Expect(401);
        await (await _client.Send(HttpMethod.Get, "/api/listings?status=pending_review", api.University("uni-q"))).Expect(403);
        await (await _client.Send(HttpMethod.Get, "/api/listings?status=draft", api.Operator())).Expect(403);
        await (await _client.Send(HttpMethod.Get, "/api/listings?mine=true")).Expect(401);
    }

    [Fact]
    public async Task Only_universities_answer_challenges_and_not_the_owner_itself()
    {
        var enterpriseOrg = ListingApi.NewOrg("ent");
        var enterprise = api.Enterprise(enterpriseOrg);
        var id = (string)(await _client.Publish(api, enterprise, Samples.Demand(api.Clock.Now, "challenge")))["id"]!;
        var proposal = new { summary = "一个足够长的揭榜方案概要说明。" };
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/proposals", api.Enterprise("ent-other"), proposal)).Expect(403);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/proposals", api.Tokens.For(Roles.University, enterpriseOrg), proposal)).Expect(403);
        var read = await (await _client.Send(HttpMethod.Get, $"/api/listings/{id}")).Expect(200);
        Assert.Equal(0, (int)read["proposalCount"]!);
    }

    [Fact]
    public async Task Tokens_from_another_issuer_or_expired_are_rejected()
    {
        var forged = new TestTokens().For(Roles.University, "uni-forged");
        await (await _client.Send(HttpMethod.Post, "/api/listings", forged, Samples.Offer())).Expect(401);
        var wrongIssuer = api.Tokens.For(Roles.University, "uni-x", issuer: "someone-else");
        await (await _client.Send(HttpMethod.Post, "/api/listings", wrongIssuer, Samples.Offer())).Expect(401);
        var expired = api.Tokens.For(Roles.University, "uni-x", lifetime: TimeSpan.FromMinutes(-3));
        await (await _client.Send(HttpMethod.Post, "/api/listings", expired, Samples.Offer())).Expect(401);
    }
}
