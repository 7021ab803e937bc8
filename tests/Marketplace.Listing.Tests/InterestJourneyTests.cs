using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.TestKit;

namespace Marketplace.Listing.Tests;

/// <summary>An enterprise meets a university through its offer: interest, acceptance, the contact released, messages.</summary>
public sealed class InterestJourneyTests(ListingApi api) : IClassFixture<ListingApi>
{
    private readonly HttpClient _client = api.CreateClient();

    [Fact]
    public async Task An_enterprise_expresses_interest_the_university_accepts_and_the_contact_is_released_to_the_enterprise_only()
    {
        var universityOrg = ListingApi.NewOrg("uni");
        var university = api.University(universityOrg);
        var offer = await _client.Publish(api, university, Samples.Offer());
        var enterpriseOrg = ListingApi.NewOrg("ent");
        var enterprise = api.Enterprise(enterpriseOrg);

        var response = await _client.Express(enterprise, offer.Id(), Interests.Body(withoutBroker: true));
        var sent = await response.Expect(201);
        var id = sent.Id();
        Assert.Equal($"/api/interests/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("\"1\"", response.Headers.ETag?.Tag);
        Assert.Equal(offer.Id(), (string)sent["listingId"]!);
        Assert.Equal((string)offer["title"]!, (string)sent["listingTitle"]!);
        Assert.Equal("offer", (string)sent["listingKind"]!);
        Assert.Equal("open", (string)sent["status"]!);
        Assert.Equal(enterpriseOrg, (string)sent["from"]!["id"]!);
        Assert.Equal(enterpriseOrg + " 名称", (string)sent["from"]!["name"]!);
        Assert.Equal(universityOrg, (string)sent["to"]!["id"]!);
        Assert.Equal("transfer", (string)sent["mode"]!);
        Assert.Equal(800000m, (decimal)sent["budget"]!);
        Assert.True((bool)sent["withoutBroker"]!);
        Assert.Equal(0, (int)sent["messages"]!);
        Assert.NotNull(sent["createdAt"]);
        Assert.Null(sent["contact"]);
        Assert.Null(sent["dealId"]);
        Assert.Null(sent["decidedAt"]);

        var expressed = await api.Published<InterestExpressed>(e => e.Interest.InterestId == Guid.Parse(id));
        Assert.Equal(enterpriseOrg, expressed.Interest.FromOrg);
        Assert.Equal(universityOrg, expressed.Interest.ToOrg);
        Assert.Equal("new-energy", expressed.Interest.Field);
        Assert.Equal(TransferMode.Transfer, expressed.Mode);
        Assert.Equal(800000m, expressed.Budget);

        var received = await _client.Box(university, "received");
        Assert.Contains(received["items"]!.AsArray(), i => (string)i!["id"]! == id);
        Assert.Empty((await _client.Box(university, "sent"))["items"]!.AsArray());
        Assert.Contains((await _client.Box(enterprise, "sent", "&status=open"))["items"]!.AsArray(), i => (string)i!["id"]! == id);
        Assert.Null((await _client.Read(university, id))["contact"]);

        var accepted = await (await _client.Act(university, id, "accept", new { withoutBroker = false })).Expect(200);
        Assert.Equal("accepted", (string)accepted["status"]!);
        Assert.NotNull(accepted["decidedAt"]);
        Assert.Null(accepted["contact"]); // the owner's own contact is not "released" to the owner in the interest
        var event_ = await api.Published<InterestAccepted>(e => e.Interest.InterestId == Guid.Parse(id));
        Assert.Equal("张老师", event_.ListingContact!.Name);
        Assert.Equal("13800138000", event_.ListingContact.Phone);
        Assert.False(event_.WithoutBroker); // the sender wished to go without a broker, the owner did not
        Assert.Equal($"{Roles.University}@{universityOrg}", event_.By);

        var seenBySender = await _client.Read(enterprise, id);
        Assert.Equal("张老师", (string)seenBySender["contact"]!["name"]!);
        Assert.Equal("13800138000", (string)seenBySender["contact"]!["phone"]!);
        Assert.Equal("zhang@example.edu.cn", (string)seenBySender["contact"]!["email"]!);
        Assert.Contains((await _client.Box(enterprise, "sent", "&status=accepted"))["items"]!.AsArray(), i => (string)i!["id"]! == id && i["contact"] is not null);

        var listingForSender = await (await _client.Send(HttpMethod.Get, $"/api/listings/{offer.Id()}", enterprise)).Expect(200);
        Assert.Equal("张老师", (string)listingForSender["contact"]!["name"]!);
        var listingForOther = await (await _client.Send(HttpMethod.Get, $"/api/listings/{offer.Id()}", api.Enterprise(ListingApi.NewOrg("ent")))).Expect(200);
        Assert.Null(listingForOther["contact"]);

        await (await _client.Say(enterprise, id, "请问中试线目前的产能是多少？")).Expect(201);
        var answer = await (await _client.Say(university, id, "中试线年产 50 吨，可安排参观。")).Expect(201);
        Assert.Equal($"{Roles.University}@{universityOrg}", (string)answer["author"]!["subject"]!);
        Assert.Equal(universityOrg, (string)answer["author"]!["org"]!);
        Assert.Equal("中试线年产 50 吨，可安排参观。", (string)answer["text"]!);
        Assert.NotNull(answer["createdAt"]);
        await (await _client.Say(enterprise, id, "好的，下周二上午方便吗？")).Expect(201);

        var first = await _client.Messages(university, id, "?pageSize=2");
        Assert.Equal(3, (int)first["total"]!);
        Assert.Equal(["请问中试线目前的产能是多少？", "中试线年产 50 吨，可安排参观。"], first["items"]!.AsArray().Select(m => (string)m!["text"]!));
        var second = await _client.Messages(enterprise, id, "?page=2&pageSize=2");
        Assert.Equal("好的，下周二上午方便吗？", (string)second["items"]!.AsArray().Single()!["text"]!);
        Assert.Equal(3, (int)(await _client.Read(enterprise, id))["messages"]!);

        var posted = await api.Published<InterestMessagePosted>(e => e.Interest.InterestId == Guid.Parse(id) && e.AuthorOrg == universityOrg);
        Assert.Equal("中试线年产 50 吨，可安排参观。", posted.Excerpt);
        Assert.Null(posted.BrokerSubject);
    }

    [Fact]
    public async Task Both_sides_choosing_to_go_without_a_broker_is_what_the_acceptance_announces()
    {
        var university = api.University(ListingApi.NewOrg("uni"));
        var offer = await _client.Publish(api, university, Samples.Offer());
        var id = (await _client.Interest(api.Enterprise(ListingApi.NewOrg("ent")), offer.Id(), Interests.Body(withoutBroker: true))).Id();
        await (await _client.Act(university, id, "accept", new { withoutBroker = true })).Expect(200);
        Assert.True((await api.Published<InterestAccepted>(e => e.Interest.InterestId == Guid.Parse(id))).WithoutBroker);

        var other = (await _client.Interest(api.Enterprise(ListingApi.NewOrg("ent")), offer.Id(), Interests.Body(withoutBroker: true))).Id();
        await (await _client.Act(university, other, "accept")).Expect(200);
        Assert.False((await api.Published<InterestAccepted>(e => e.Interest.InterestId == Guid.Parse(other))).WithoutBroker);
    }

    [Fact]
    public async Task A_university_declines_with_a_reason_and_the_enterprise_may_try_again_later()
    {
        var university = api.University(ListingApi.NewOrg("uni"));
        var demandOwner = api.Enterprise(ListingApi.NewOrg("ent"));
        var demand = await _client.Publish(api, demandOwner, Samples.Demand(api.Clock.Now));
        var id = (await _client.Interest(university, demand.Id(), Interests.Body(mode: "joint_development", budget: null))).Id();

        var declined = await (await _client.Act(demandOwner, id, "decline", new { reason = "已与其他单位达成合作" })).Expect(200);
        Assert.Equal("declined", (string)declined["status"]!);
        Assert.Equal("已与其他单位达成合作", (string)declined["declineReason"]!);
        var event_ = await api.Published<InterestDeclined>(e => e.Interest.InterestId == Guid.Parse(id));
        Assert.Equal("已与其他单位达成合作", event_.Reason);
        Assert.Equal(ListingKind.Demand, event_.Interest.ListingKind);
        Assert.Null((await _client.Read(university, id))["contact"]);
        await (await _client.Say(university, id, "能否再考虑一下？")).Expect(409);

        // the organisation's open slot in the listing is free again
        var again = await _client.Interest(university, demand.Id());
        Assert.Equal("open", (string)again["status"]!);
        await (await _client.Act(university, again.Id(), "withdraw")).Expect(200);
        await api.Published<InterestWithdrawn>(e => e.Interest.InterestId == Guid.Parse(again.Id()));
        Assert.Equal("withdrawn", (string)(await _client.Read(demandOwner, again.Id()))["status"]!);
    }

    [Fact]
    public async Task A_broker_expresses_interest_on_behalf_of_a_client()
    {
        var university = api.University(ListingApi.NewOrg("uni"));
        var offer = await _client.Publish(api, university, Samples.Offer());
        var broker = api.Tokens.For(Roles.Broker, ListingApi.NewOrg("agency"), "changsha");
        var sent = await _client.Interest(broker, offer.Id());
        Assert.Contains((await _client.Box(university, "received"))["items"]!.AsArray(), i => (string)i!["id"]! == sent.Id());
    }

    [Fact]
    public async Task The_same_Idempotency_Key_expresses_one_interest_and_a_different_body_is_refused()
    {
        var university = api.University(ListingApi.NewOrg("uni"));
        var offer = await _client.Publish(api, university, Samples.Offer());
        var enterprise = api.Enterprise(ListingApi.NewOrg("ent"));
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = "interest-" + Guid.NewGuid() };

        var first = await (await _client.Express(enterprise, offer.Id(), Interests.Body(), key)).Expect(201);
        var replay = await _client.Express(enterprise, offer.Id(), Interests.Body(), key);
        Assert.Equal(first.Id(), (await replay.Expect(201)).Id());
        Assert.True(replay.Headers.Contains("Idempotent-Replayed"));
        await (await _client.Express(enterprise, offer.Id(), Interests.Body("换了一段不同的对接说明文字。"), key)).Expect(422);

        var concurrentKey = new Dictionary<string, string> { ["Idempotency-Key"] = "interest-" + Guid.NewGuid() };
        var other = await _client.Publish(api, university, Samples.Offer("另一项可转化的成果名称"));
        var racing = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => _client.Express(enterprise, other.Id(), Interests.Body(), concurrentKey)));
        Assert.All(racing, r => Assert.Equal(System.Net.HttpStatusCode.Created, r.StatusCode));
        Assert.Single(racing.Select(r => r.Headers.Location!.OriginalString).Distinct());

        var sent = await _client.Box(enterprise, "sent");
        Assert.Equal(2, (int)sent["total"]!);
    }

    [Fact]
    public async Task A_rejected_listing_and_a_proposal_are_announced_for_the_people_to_be_told()
    {
        var enterpriseOrg = ListingApi.NewOrg("ent");
        var enterprise = api.Enterprise(enterpriseOrg);
        var draft = await _client.Create(enterprise, Samples.Demand(api.Clock.Now));
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{draft.Id()}/submit", enterprise)).Expect(200);
        await (await _client.Send(HttpMethod.Post, $"/api/listings/{draft.Id()}/reject", api.Operator(), new { reason = "需求描述过于笼统" })).Expect(200);
        var rejected = await api.Published<ListingRejected>(e => e.ListingId == Guid.Parse(draft.Id()));
        Assert.Equal(("需求描述过于笼统", enterpriseOrg, 3L), (rejected.Reason, rejected.OwnerOrg, rejected.Version));

        var challenge = await _client.Publish(api, enterprise, Samples.Demand(api.Clock.Now, "challenge"));
        var universityOrg = ListingApi.NewOrg("uni");
        var proposal = await (await _client.Send(HttpMethod.Post, $"/api/listings/{challenge.Id()}/proposals", api.University(universityOrg),
            new { summary = "基于电流特征分析的绕组故障在线监测方案。" })).Expect(201);
        var submitted = await api.Published<ProposalSubmitted>(e => e.ProposalId == Guid.Parse(proposal.Id()));
        Assert.Equal((Guid.Parse(challenge.Id()), enterpriseOrg, universityOrg), (submitted.ListingId, submitted.OwnerOrg, submitted.ProposerOrg));
    }
}
