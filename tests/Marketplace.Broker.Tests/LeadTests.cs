using System.Text.Json.Nodes;
using Marketplace.Contracts.Broker;
using Marketplace.TestKit;

namespace Marketplace.Broker.Tests;

/// <summary>Leads from matches: the right broker, once, declined on, timed out, pooled, assigned, accepted. A fresh host per test, so loads are known.</summary>
public sealed class LeadTests : IDisposable
{
    private readonly BrokerApi _api = new();

    public void Dispose() => _api.Dispose();

    private HttpClient Client => _api.Client;

    private async Task<JsonArray> Offered(string token) =>
        (await (await Client.Send(HttpMethod.Get, "/api/leads", token)).Expect(200))["items"]!.AsArray();

    [Fact]
    public async Task A_match_becomes_one_lead_for_the_least_loaded_broker_of_its_sub_market_and_field()
    {
        var busy = await _api.ActiveBroker("changsha", "materials", "equipment");
        var idle = await _api.ActiveBroker("changsha", "materials");
        var otherField = await _api.ActiveBroker("changsha", "biomed");
        var otherMarket = await _api.ActiveBroker("zhuzhou", "materials");
        var pending = _api.BrokerAccount("changsha");
        await (await Client.Send(HttpMethod.Post, "/api/brokers", pending, BrokerApi.Profile(["materials"]))).Expect(201);
        // the busy broker already has an open deal
        await (await Client.Send(HttpMethod.Post, "/api/deals", busy.Token, new { title = "已有交易", field = "materials" })).Expect(201);

        var match = BrokerApi.Match("changsha", "materials");
        await _api.Suggest(match);

        var lead = await _api.Lead(match.MatchId);
        Assert.Equal("offered", (string)lead["status"]!);
        Assert.Equal(idle.Id, (string)lead["brokerId"]!);
        Assert.Equal("高镍三元正极材料制备技术 ↔ 动力电池正极材料技术需求", (string)lead["title"]!);
        var mine = Assert.Single(await Offered(idle.Token));
        Assert.Equal(match.MatchId.ToString(), (string)mine!["id"]!);
        Assert.Empty(await Offered(busy.Token));
        Assert.Empty(await Offered(otherField.Token));
        Assert.Empty(await Offered(otherMarket.Token));

        // the same match again (a redelivery, or a second announcement): no second lead, no new turn
        await _api.Suggest(match);
        await _api.Suggest(match with { SuggestedAt = DateTimeOffset.UtcNow });
        var again = await _api.Lead(match.MatchId);
        Assert.Equal((long)lead["version"]!, (long)again["version"]!);
        Assert.Single(again["offers"]!.AsArray());
        var queue = await (await Client.Send(HttpMethod.Get, "/api/leads?status=offered", _api.Operator())).Expect(200);
        Assert.Equal(1, (int)queue["total"]!);
    }

    [Fact]
    public async Task A_declined_lead_goes_to_the_next_broker_and_then_to_the_pool_where_operators_assign_it()
    {
        var first = await _api.ActiveBroker("xiangtan", "agriculture");
        var second = await _api.ActiveBroker("xiangtan", "agriculture", "biomed");
        var match = BrokerApi.Match("xiangtan", "agriculture");
        await _api.Suggest(match);

        var lead = await _api.Lead(match.MatchId, "xiangtan");
        var firstTurn = (string)lead["brokerId"]! == first.Id ? first : second;
        var secondTurn = firstTurn == first ? second : first;

        // only the broker it is offered to can answer
        await (await Client.Send(HttpMethod.Post, $"/api/leads/{match.MatchId}/decline", secondTurn.Token)).Expect(403);
        await (await Client.Send(HttpMethod.Post, $"/api/leads/{match.MatchId}/decline", firstTurn.Token, new { reason = "近期项目已满" })).Expect(200);
        lead = await _api.Lead(match.MatchId, "xiangtan");
        Assert.Equal(secondTurn.Id, (string)lead["brokerId"]!);
        Assert.Equal("declined", (string)lead["offers"]![0]!["outcome"]!);
        Assert.Equal("近期项目已满", (string)lead["offers"]![0]!["reason"]!);
        Assert.Empty(await Offered(firstTurn.Token));

        await (await Client.Send(HttpMethod.Post, $"/api/leads/{match.MatchId}/decline", secondTurn.Token)).Expect(200);
        lead = await _api.Lead(match.MatchId, "xiangtan");
        Assert.Equal("pooled", (string)lead["status"]!);
        Assert.Null(lead["brokerId"]);

        var pool = await (await Client.Send(HttpMethod.Get, "/api/leads", _api.Operator("xiangtan"))).Expect(200);
        Assert.Contains(pool["items"]!.AsArray(), i => (string)i!["id"]! == match.MatchId.ToString());
        var otherPool = await (await Client.Send(HttpMethod.Get, "/api/leads", _api.Operator("zhuzhou"))).Expect(200);
        Assert.DoesNotContain(otherPool["items"]!.AsArray(), i => (string)i!["id"]! == match.MatchId.ToString());
        await (await Client.Send(HttpMethod.Get, "/api/leads?subMarket=xiangtan", _api.Operator("zhuzhou"))).Expect(403);
        await (await Client.Send(HttpMethod.Get, "/api/leads?status=pooled", first.Token)).Expect(403);

        // an operator of another sub-market cannot assign; a broker of another sub-market is not a valid choice
        var elsewhere = await _api.ActiveBroker("zhuzhou", "agriculture");
        await (await Client.Send(HttpMethod.Post, $"/api/leads/{match.MatchId}/assign", _api.Operator("zhuzhou"), new { brokerId = first.Id })).Expect(403);
        var bad = await (await Client.Send(HttpMethod.Post, $"/api/leads/{match.MatchId}/assign", _api.Operator("xiangtan"), new { brokerId = elsewhere.Id })).Expect(400);
        Assert.NotNull(bad["errors"]!["brokerId"]);
        Assert.Equal("pooled", (string)(await _api.Lead(match.MatchId, "xiangtan"))["status"]!);

        await (await Client.Send(HttpMethod.Post, $"/api/leads/{match.MatchId}/assign", _api.Operator("xiangtan"), new { brokerId = first.Id })).Expect(200);
        var deal = await (await Client.Send(HttpMethod.Post, $"/api/leads/{match.MatchId}/accept", first.Token)).Expect(201);
        Assert.Equal("lead", (string)deal["stage"]!);
    }

    [Fact]
    public async Task With_no_eligible_broker_the_lead_waits_in_the_pool()
    {
        await _api.ActiveBroker("zhuzhou", "transport");
        var match = BrokerApi.Match("zhuzhou", "aerospace");
        await _api.Suggest(match);
        var lead = await _api.Lead(match.MatchId, "zhuzhou");
        Assert.Equal("pooled", (string)lead["status"]!);
        Assert.Empty(lead["offers"]!.AsArray());
    }

    [Fact]
    public async Task An_unanswered_lead_moves_on_by_itself_after_the_timeout()
    {
        var first = await _api.ActiveBroker("changsha", "environment");
        var second = await _api.ActiveBroker("changsha", "environment");
        var match = BrokerApi.Match("changsha", "environment");
        await _api.Suggest(match);
        var firstTurn = (string)(await _api.Lead(match.MatchId))["brokerId"]!;

        _api.Clock.Now += TimeSpan.FromDays(1);
        Assert.Equal(0, await _api.SweepLeads());
        Assert.Equal(firstTurn, (string)(await _api.Lead(match.MatchId))["brokerId"]!);

        _api.Clock.Now += TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1);
        Assert.Equal(1, await _api.SweepLeads());
        var lead = await _api.Lead(match.MatchId);
        Assert.NotEqual(firstTurn, (string)lead["brokerId"]!);
        Assert.Contains((string)lead["brokerId"]!, new[] { first.Id, second.Id });
        Assert.Equal("timed_out", (string)lead["offers"]![0]!["outcome"]!);
        var late = firstTurn == first.Id ? first : second;
        await (await Client.Send(HttpMethod.Post, $"/api/leads/{match.MatchId}/accept", late.Token)).Expect(403);
    }

    [Fact]
    public async Task Accepting_opens_one_deal_at_stage_lead_and_a_second_accept_is_refused()
    {
        var broker = await _api.ActiveBroker("hq", "tech-services");
        var match = BrokerApi.Match("hq", "tech-services");
        await _api.Suggest(match);

        var deal = await (await Client.Send(HttpMethod.Post, $"/api/leads/{match.MatchId}/accept", broker.Token)).Expect(201);
        Assert.Equal("lead", (string)deal["stage"]!);
        Assert.Equal(match.OfferId.ToString(), (string)deal["offerId"]!);
        Assert.Equal(match.DemandId.ToString(), (string)deal["demandId"]!);
        Assert.Equal(match.MatchId.ToString(), (string)deal["leadId"]!);
        Assert.Equal(broker.Id, (string)deal["brokerId"]!);
        Assert.Equal("contacted", (string)deal["nextStage"]!);
        Assert.Single(deal["history"]!.AsArray());

        await (await Client.Send(HttpMethod.Post, $"/api/leads/{match.MatchId}/accept", broker.Token)).Expect(409);
        await (await Client.Send(HttpMethod.Post, $"/api/leads/{match.MatchId}/decline", broker.Token)).Expect(409);
        var mine = await (await Client.Send(HttpMethod.Get, "/api/deals?mine=true", broker.Token)).Expect(200);
        Assert.Equal(1, (int)mine["total"]!);
        var lead = await _api.Lead(match.MatchId, "hq");
        Assert.Equal("accepted", (string)lead["status"]!);
        Assert.Equal((string)deal["id"]!, (string)lead["dealId"]!);
    }

    [Fact]
    public async Task A_deal_lost_between_accepting_and_opening_is_opened_from_the_LeadAccepted_event()
    {
        // as if the process stopped after saving the accepted lead (with its event) but before opening the deal
        var broker = await _api.ActiveBroker("changsha", "agriculture");
        var leadId = Guid.NewGuid();
        var accepted = new Marketplace.Contracts.Broker.LeadAccepted
        {
            LeadId = leadId, DealId = Marketplace.Broker.Leads.Lead.DealIdFor(leadId), MatchId = leadId,
            BrokerId = Guid.Parse(broker.Id), BrokerSubject = broker.Subject, OfferId = Guid.NewGuid(), DemandId = Guid.NewGuid(),
            Title = "水稻育种技术 ↔ 优质稻品种需求", SubMarket = "changsha", Field = "agriculture", AcceptedAt = _api.Clock.Now,
        };
        await _api.Deliver(accepted, deliveries: 2);
        var deal = await (await Client.Send(HttpMethod.Get, $"/api/deals/{accepted.DealId}", broker.Token)).Expect(200);
        Assert.Equal("lead", (string)deal["stage"]!);
        Assert.Equal(leadId.ToString(), (string)deal["leadId"]!);
        Assert.Single(deal["history"]!.AsArray());
        Assert.Equal(1, (int)(await (await Client.Send(HttpMethod.Get, "/api/deals?mine=true", broker.Token)).Expect(200))["total"]!);
    }

    [Fact]
    public async Task A_suspended_broker_gets_no_leads_and_cannot_accept()
    {
        var suspended = await _api.ActiveBroker("changsha", "aerospace");
        await (await Client.Send(HttpMethod.Post, $"/api/brokers/{suspended.Id}/suspend", _api.Operator(), new { reason = "证书过期" })).Expect(200);
        var match = BrokerApi.Match("changsha", "aerospace");
        await _api.Suggest(match);
        Assert.Equal("pooled", (string)(await _api.Lead(match.MatchId))["status"]!);
        await (await Client.Send(HttpMethod.Post, $"/api/leads/{match.MatchId}/accept", suspended.Token)).Expect(403);
        await (await Client.Send(HttpMethod.Post, $"/api/leads/{match.MatchId}/assign", _api.Operator(), new { brokerId = suspended.Id })).Expect(400);
    }

    [Fact]
    public async Task Each_broker_is_told_with_their_subject_when_a_lead_is_offered_to_them_and_when_it_moves_on_declined_or_expired()
    {
        var first = await _api.ActiveBroker("xiangtan", "new-energy");
        var second = await _api.ActiveBroker("xiangtan", "new-energy");
        var match = BrokerApi.Match("xiangtan", "new-energy");
        await _api.Suggest(match);
        var lead = await _api.Lead(match.MatchId, "xiangtan");
        var firstTurn = (string)lead["brokerId"]! == first.Id ? first : second;
        var secondTurn = firstTurn == first ? second : first;

        var offered = await _api.Published<LeadOffered>(m => m.LeadId == match.MatchId && m.BrokerId == Guid.Parse(firstTurn.Id));
        Assert.Equal(firstTurn.Subject, offered.BrokerSubject);
        Assert.Equal("高镍三元正极材料制备技术 ↔ 动力电池正极材料技术需求", offered.Title);
        Assert.Equal("xiangtan", offered.SubMarket);
        Assert.Equal(_api.Clock.Now + TimeSpan.FromDays(2), offered.ExpiresAt);

        await (await Client.Send(HttpMethod.Post, $"/api/leads/{match.MatchId}/decline", firstTurn.Token, new { reason = "档期已满" })).Expect(200);
        var declined = await _api.Published<LeadMovedOn>(m => m.LeadId == match.MatchId && m.Reason == "declined");
        Assert.Equal(firstTurn.Subject, declined.BrokerSubject);
        Assert.Equal(Guid.Parse(firstTurn.Id), declined.BrokerId);
        var next = await _api.Published<LeadOffered>(m => m.LeadId == match.MatchId && m.BrokerId == Guid.Parse(secondTurn.Id));
        Assert.Equal(secondTurn.Subject, next.BrokerSubject);

        _api.Clock.Now += TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1);
        Assert.Equal(1, await _api.SweepLeads());
        var expired = await _api.Published<LeadMovedOn>(m => m.LeadId == match.MatchId && m.Reason == "expired");
        Assert.Equal(secondTurn.Subject, expired.BrokerSubject);
        Assert.Equal(Guid.Parse(secondTurn.Id), expired.BrokerId);
        // nobody left: pooled, and nobody else was told of an offer
        Assert.Equal("pooled", (string)(await _api.Lead(match.MatchId, "xiangtan"))["status"]!);
        Assert.Equal(2, _api.Harness.Published.Select<LeadOffered>().Count(m => m.Context.Message.LeadId == match.MatchId));
    }

    [Fact]
    public async Task Approving_a_broker_announces_it_with_the_brokers_subject()
    {
        var (_, id, subject) = await _api.ActiveBroker("zhuzhou", "transport");
        var approved = await _api.Published<BrokerApproved>(m => m.BrokerId == Guid.Parse(id));
        Assert.Equal(subject, approved.Subject);
        Assert.Equal("测试经纪人", approved.Name);
        Assert.Equal("zhuzhou", approved.SubMarket);
    }

    [Fact]
    public async Task An_accepted_leads_deal_names_the_owners_of_its_offer_and_demand_as_its_parties()
    {
        var broker = await _api.ActiveBroker("changsha", "materials");
        var (offerId, demandId) = await _api.Parties("hnu", "zz-rail");
        var match = BrokerApi.Match("changsha", "materials") with { OfferId = offerId, DemandId = demandId };
        await _api.Suggest(match);

        var deal = await (await Client.Send(HttpMethod.Post, $"/api/leads/{match.MatchId}/accept", broker.Token)).Expect(201);
        Assert.Equal(["hnu", "zz-rail"], deal["parties"]!.AsArray().Select(p => (string)p!["id"]!));
        var id = Guid.Parse((string)deal["id"]!);
        var changed = await _api.Published<DealStageChanged>(m => m.DealId == id);
        Assert.Equal(["hnu", "zz-rail"], changed.Parties);
        Assert.Equal(broker.Subject, changed.BrokerSubject);
        Assert.Null(changed.InterestId);
        Assert.Equal("高镍三元正极材料制备技术 ↔ 动力电池正极材料技术需求", changed.Title);

        // the parties read it (and find it in their lists); a deal whose owners are unknown names none
        await (await Client.Send(HttpMethod.Get, $"/api/deals/{id}", _api.Party("zz-rail"))).Expect(200);
        Assert.Single((await (await Client.Send(HttpMethod.Get, "/api/deals", _api.Party("hnu", Marketplace.Contracts.Roles.University))).Expect(200))["items"]!.AsArray());
        var unknown = BrokerApi.Match("changsha", "materials");
        await _api.Suggest(unknown);
        var unnamed = await (await Client.Send(HttpMethod.Post, $"/api/leads/{unknown.MatchId}/accept", broker.Token)).Expect(201);
        Assert.Empty(unnamed["parties"]!.AsArray());
    }
}
