using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.TestKit;

namespace Marketplace.Listing.Tests;

public sealed class ListingLifecycleTests(ListingApi api) : IClassFixture<ListingApi>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task A_university_posts_an_offer_the_operator_approves_it_and_anyone_can_read_it()
    {
        var university = api.University(ListingApi.NewOrg("uni"));
        var created = await _client.Create(university, Samples.Offer());
        var id = (string)created["id"]!;
        Assert.Equal("draft", (string)created["status"]!);
        Assert.Equal(1, (long)created["version"]!);
        Assert.Equal("中试", (string)created["maturityStage"]!);

        var submitted = await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/submit", university)).Expect(200);
        Assert.Equal("pending_review", (string)submitted["status"]!);

        var queue = await (await _client.Send(HttpMethod.Get, "/api/listings?status=pending_review", api.Operator())).Expect(200);
        Assert.Contains(queue["items"]!.AsArray(), i => (string)i!["id"]! == id);

        var approved = await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/approve", api.Operator())).Expect(200);
        Assert.Equal("published", (string)approved["status"]!);

        var response = await _client.Send(HttpMethod.Get, $"/api/listings/{id}");
        var read = await response.Expect(200);
        Assert.Equal("published", (string)read["status"]!);
        Assert.Equal("\"3\"", response.Headers.ETag?.Tag);
        Assert.Null(read["contact"]);  // anonymous visitors do not see contact details
        Assert.Null(read["history"]);

        var list = await (await _client.Send(HttpMethod.Get, "/api/listings?kind=offer&subMarket=changsha&pageSize=100")).Expect(200);
        Assert.Contains(list["items"]!.AsArray(), i => (string)i!["id"]! == id);

        var published = await api.Published<ListingPublished>(m => m.Listing.Id == Guid.Parse(id));
        Assert.Equal(3, published.Listing.Version);
        Assert.Equal(ListingStatus.Published, published.Listing.Status);
        Assert.Equal("201710601862.3", published.Listing.IpItems.Single().Number);
    }

    [Fact]
    public async Task A_rejected_listing_carries_the_reason_and_returns_to_draft_when_corrected()
    {
        var enterprise = api.Enterprise(ListingApi.NewOrg("ent"));
        var created = await _client.Create(enterprise, Samples.Demand(api.Clock.Now));
        var id = (string)created["id"]!;
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/submit", enterprise)).Expect(200);

        var noReason = await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/reject", api.Operator(), new { reason = "" })).Expect(400);
        Assert.NotNull(noReason["errors"]!["reason"]);

        var rejected = await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/reject", api.Operator(), new { reason = "预算区间与需求内容不符" })).Expect(200);
        Assert.Equal("rejected", (string)rejected["status"]!);
        Assert.Equal("预算区间与需求内容不符", (string)rejected["rejectionReason"]!);

        var body = Samples.Demand(api.Clock.Now);
        body["budget"] = new { min = 500000m, max = 900000m };
        var edited = await (await _client.Send(HttpMethod.Put, $"/api/listings/{id}", enterprise, body, new Dictionary<string, string> { ["If-Match"] = "\"3\"" })).Expect(200);
        Assert.Equal("draft", (string)edited["status"]!);
        Assert.Null(edited["rejectionReason"]);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/submit", enterprise)).Expect(200);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/approve", api.Operator())).Expect(200);
    }

    [Fact]
    public async Task Editing_a_published_listing_sends_it_back_to_review_and_out_of_public_view()
    {
        var university = api.University(ListingApi.NewOrg("uni"));
        var published = await _client.Publish(api, university, Samples.Offer());
        var id = (string)published["id"]!;

        var body = Samples.Offer("高镍三元正极材料制备技术（第二版）");
        var edited = await (await _client.Send(HttpMethod.Put, $"/api/listings/{id}", university, body, new Dictionary<string, string> { ["If-Match"] = "\"3\"" })).Expect(200);
        Assert.Equal("pending_review", (string)edited["status"]!);

        await (await _client.Send(HttpMethod.Get, $"/api/listings/{id}")).Expect(401);
        await api.Published<ListingUpdated>(m => m.Listing.Id == Guid.Parse(id) && m.Listing.Status == ListingStatus.PendingReview && m.Listing.Version == 4);

        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/approve", api.Operator())).Expect(200);
        var again = await (await _client.Send(HttpMethod.Get, $"/api/listings/{id}")).Expect(200);
        Assert.Equal("高镍三元正极材料制备技术（第二版）", (string)again["title"]!);
        await api.Published<ListingPublished>(m => m.Listing.Id == Guid.Parse(id) && m.Listing.Version == 5);
    }

    [Fact]
    public async Task A_withdrawn_listing_leaves_the_market_and_says_so()
    {
        var university = api.University(ListingApi.NewOrg("uni"));
        var id = (string)(await _client.Publish(api, university, Samples.Offer()))["id"]!;
        var withdrawn = await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/withdraw", university, new { reason = "已与企业签约" })).Expect(200);
        Assert.Equal("withdrawn", (string)withdrawn["status"]!);
        await api.Published<ListingWithdrawn>(m => m.ListingId == Guid.Parse(id) && m.Version == 4);
        await (await _client.Send(HttpMethod.Get, $"/api/listings/{id}")).Expect(401);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/withdraw", university)).Expect(409);
    }

    [Fact]
    public async Task An_open_challenge_takes_proposals_from_universities_and_is_awarded_to_one()
    {
        var enterprise = api.Enterprise(ListingApi.NewOrg("ent"));
        var challenge = await _client.Publish(api, enterprise, Samples.Demand(api.Clock.Now, "challenge"));
        var id = (string)challenge["id"]!;
        var first = api.University(ListingApi.NewOrg("uni"));
        var second = api.University(ListingApi.NewOrg("uni"));

        var proposal = await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/proposals", first,
            new { summary = "基于深度学习的振动信号故障诊断方案，已在地铁车辆验证。", quotedAmount = 900000m })).Expect(201);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/proposals", second,
            new { summary = "基于电流特征分析的绕组故障在线监测方案。" })).Expect(201);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/proposals", first,
            new { summary = "同一单位的第二个方案，应被拒绝。" })).Expect(409);

        var ownerView = await (await _client.Send(HttpMethod.Get, $"/api/listings/{id}", enterprise)).Expect(200);
        Assert.Equal(2, ownerView["proposals"]!.AsArray().Count);
        var proposerView = await (await _client.Send(HttpMethod.Get, $"/api/listings/{id}", second)).Expect(200);
        Assert.Single(proposerView["proposals"]!.AsArray());
        var publicView = await (await _client.Send(HttpMethod.Get, $"/api/listings/{id}")).Expect(200);
        Assert.Equal(2, (int)publicView["proposalCount"]!);
        Assert.Null(publicView["proposals"]);

        var proposalId = (string)proposal["id"]!;
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/award", second, new { proposalId })).Expect(403);
        var awarded = await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/award", enterprise, new { proposalId })).Expect(200);
        Assert.Equal(proposalId, (string)awarded["award"]!["proposalId"]!);
        Assert.Equal(900000m, (decimal)awarded["award"]!["amount"]!);
        await api.Published<ChallengeAwarded>(m => m.ListingId == Guid.Parse(id) && m.ProposalId == Guid.Parse(proposalId));
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/award", enterprise, new { proposalId })).Expect(409);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/proposals", api.University(ListingApi.NewOrg("uni")),
            new { summary = "评定之后提交的方案，应被拒绝。" })).Expect(409);
    }

    [Fact]
    public async Task Proposals_sent_at_the_same_moment_are_all_kept()
    {
        var enterprise = api.Enterprise(ListingApi.NewOrg("ent"));
        var id = (string)(await _client.Publish(api, enterprise, Samples.Demand(api.Clock.Now, "challenge")))["id"]!;
        var universities = Enumerable.Range(0, 40).Select(_ => api.University(ListingApi.NewOrg("uni"))).ToList();

        var answers = await Task.WhenAll(universities.Select(u => _client.Send(HttpMethod.Post, $"/api/listings/{id}/proposals", u,
            new { summary = "并发提交的揭榜方案，每一个都应被保存。" })));

        Assert.All(answers, a => Assert.Equal(System.Net.HttpStatusCode.Created, a.StatusCode));
        var ownerView = await (await _client.Send(HttpMethod.Get, $"/api/listings/{id}", enterprise)).Expect(200);
        Assert.Equal(universities.Count, ownerView["proposals"]!.AsArray().Count);
    }

    [Fact]
    public async Task The_same_Idempotency_Key_creates_one_listing_and_a_different_body_is_refused()
    {
        var org = ListingApi.NewOrg("uni");
        var university = api.University(org);
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = "create-" + Guid.NewGuid() };
        var first = await (await _client.Send(HttpMethod.Post, "/api/listings", university, Samples.Offer(), key)).Expect(201);
        var replay = await _client.Send(HttpMethod.Post, "/api/listings", university, Samples.Offer(), key);
        var second = await replay.Expect(201);
        Assert.Equal((string)first["id"]!, (string)second["id"]!);
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));

        await (await _client.Send(HttpMethod.Post, "/api/listings", university, Samples.Offer("另一个不同的成果标题"), key)).Expect(422);
        var mine = await (await _client.Send(HttpMethod.Get, "/api/listings?mine=true", university)).Expect(200);
        Assert.Equal(1, (int)mine["total"]!);
    }

    [Fact]
    public async Task Colleagues_in_the_same_organisation_share_its_listings()
    {
        var org = ListingApi.NewOrg("uni");
        var alice = api.Tokens.For(Roles.University, org, sub: "alice");
        var bob = api.Tokens.For(Roles.University, org, sub: "bob");
        var id = (string)(await _client.Create(alice, Samples.Offer()))["id"]!;
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{id}/submit", bob)).Expect(200);
    }
}
