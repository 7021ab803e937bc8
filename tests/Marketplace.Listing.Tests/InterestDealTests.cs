using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Listing;
using Marketplace.Contracts.Registration;
using Marketplace.TestKit;

namespace Marketplace.Listing.Tests;

/// <summary>An accepted interest learns its deal and broker from the broker service, and its registered contract; the funnel counts them.</summary>
public sealed class InterestDealTests(ListingApi api) : IClassFixture<ListingApi>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task<(string Interest, string Owner, string Sender, string SenderOrg)> Accepted(string subMarket = "changsha")
    {
        var owner = api.University(ListingApi.NewOrg("uni"));
        var offer = Samples.Offer();
        offer["subMarket"] = subMarket;
        var listing = (await _client.Publish(api, owner, offer)).Id();
        var senderOrg = ListingApi.NewOrg("ent");
        var sender = api.Enterprise(senderOrg);
        var interest = (await _client.Interest(sender, listing)).Id();
        await (await _client.Act(owner, interest, "accept")).Expect(200);
        return (interest, owner, sender, senderOrg);
    }

    private static DealStageChanged Stage(string interest, Guid deal, long version, string? broker, DealStage to = DealStage.Contacted, string subMarket = "changsha") => new()
    {
        DealId = deal,
        Version = version,
        BrokerSubject = broker,
        BrokerId = broker is null ? null : Guid.NewGuid(),
        InterestId = Guid.Parse(interest),
        From = version == 1 ? null : DealStage.Contacted,
        To = to,
        SubMarket = subMarket,
        Field = "new-energy",
        ChangedBy = broker ?? "system",
        ChangedAt = DateTimeOffset.UtcNow,
    };

    private static ContractRegistered Registration(Guid deal, string? applicant) => new()
    {
        ContractId = Guid.NewGuid(),
        RegistrationNumber = "2026430101000001",
        DealId = deal,
        ApplicantOrg = applicant,
        Type = "transfer",
        RegistrationPoint = "changsha",
        ContractAmount = 1_000_000m,
        TechnologyTransactionAmount = 1_000_000m,
        RegisteredAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task The_deals_broker_is_recorded_once_and_may_then_read_and_write_messages()
    {
        var (interest, owner, sender, senderOrg) = await Accepted();
        var brokerSubject = "broker-" + Guid.NewGuid().ToString("N")[..8];
        var broker = api.Broker("changsha", sub: brokerSubject);
        await (await _client.Send(HttpMethod.Get, $"/api/interests/{interest}", broker)).Expect(404);

        var deal = Guid.NewGuid();
        await api.Deliver(Stage(interest, deal, 1, brokerSubject), deliveries: 2);

        var read = await _client.Read(owner, interest);
        Assert.Equal(deal.ToString(), (string)read["dealId"]!);
        Assert.Equal(brokerSubject, (string)read["brokerSubject"]!);
        Assert.Equal(3, (long)read["version"]!); // expressed, accepted, and one change for two deliveries
        Assert.Null((await _client.Read(broker, interest))["contact"]);

        await (await _client.Say(broker, interest, "我是本次对接的技术经纪人，下周安排三方会谈。")).Expect(201);
        await (await _client.Say(sender, interest, "好的，谢谢。")).Expect(201);
        Assert.Equal(2, (int)(await _client.Messages(broker, interest))["total"]!);
        var posted = await api.Published<InterestMessagePosted>(m => m.Interest.InterestId == Guid.Parse(interest) && m.AuthorOrg == senderOrg);
        Assert.Equal(brokerSubject, posted.BrokerSubject);
        // the broker writes but does not decide
        await (await _client.Act(broker, interest, "decline", new { reason = "经纪人不能代为拒绝" })).Expect(403);
    }

    [Fact]
    public async Task A_later_change_of_broker_replaces_the_earlier_one_and_a_late_old_event_does_not()
    {
        var (interest, owner, _, _) = await Accepted();
        var deal = Guid.NewGuid();
        await api.Deliver(Stage(interest, deal, 1, "broker-first"));
        await api.Deliver(Stage(interest, deal, 3, "broker-second", DealStage.Negotiating));
        await api.Deliver(Stage(interest, deal, 2, "broker-first", DealStage.Contacted));
        Assert.Equal("broker-second", (string)(await _client.Read(owner, interest))["brokerSubject"]!);

        // a stage change of another deal naming this interest is not its deal
        await api.Deliver(Stage(interest, Guid.NewGuid(), 9, "broker-third"));
        var read = await _client.Read(owner, interest);
        Assert.Equal((deal.ToString(), "broker-second"), ((string)read["dealId"]!, (string)read["brokerSubject"]!));
    }

    [Fact]
    public async Task Events_about_interests_and_deals_this_service_does_not_know_are_ignored()
    {
        await api.Deliver(Stage(Guid.NewGuid().ToString(), Guid.NewGuid(), 1, "broker-x"));
        await api.Deliver(new DealStageChanged
        {
            DealId = Guid.NewGuid(), Version = 1, To = DealStage.Lead, SubMarket = "changsha", Field = "new-energy", ChangedBy = "broker-y", ChangedAt = DateTimeOffset.UtcNow,
        });
        await api.Deliver(Registration(Guid.NewGuid(), "someone"));
        await api.Deliver(Registration(Guid.NewGuid(), null) with { DealId = null });
    }

    [Fact]
    public async Task The_funnel_counts_interests_acceptances_deals_and_registered_contracts_per_sub_market()
    {
        var hq = api.Operator(ReferenceData.ProvincialMarket);
        var before = await Funnel(hq);

        // zhuzhou: three interests, two accepted, both with deals, one registered
        var (first, _, _, firstSender) = await Accepted("zhuzhou");
        var (second, _, _, _) = await Accepted("zhuzhou");
        var owner = api.University(ListingApi.NewOrg("uni"));
        var offer = Samples.Offer();
        offer["subMarket"] = "zhuzhou";
        await _client.Interest(api.Enterprise(ListingApi.NewOrg("ent")), (await _client.Publish(api, owner, offer)).Id());
        var (firstDeal, secondDeal) = (Guid.NewGuid(), Guid.NewGuid());
        await api.Deliver(Stage(first, firstDeal, 1, null, subMarket: "zhuzhou"));
        await api.Deliver(Stage(second, secondDeal, 1, "broker-z", subMarket: "zhuzhou"));
        await api.Deliver(Registration(firstDeal, firstSender), deliveries: 2);
        // a registration by an organisation that is neither party does not count
        await api.Deliver(Registration(secondDeal, "an-outsider"));
        // xiangtan: one interest, not accepted
        var xiangtanOffer = Samples.Offer();
        xiangtanOffer["subMarket"] = "xiangtan";
        await _client.Interest(api.Enterprise(ListingApi.NewOrg("ent")), (await _client.Publish(api, api.University(ListingApi.NewOrg("uni")), xiangtanOffer)).Id());

        var after = await Funnel(hq);
        Assert.Equal((3, 2, 2, 1), Delta(before, after, "zhuzhou"));
        Assert.Equal((1, 0, 0, 0), Delta(before, after, "xiangtan"));
        Assert.Equal((4, 2, 2, 1), Delta(before, after, null));

        var zhuzhou = Row(after, "zhuzhou");
        Assert.Equal(Math.Round((decimal)zhuzhou["accepted"]! / (decimal)zhuzhou["interests"]!, 4), (decimal)zhuzhou["introductionRate"]!);
        var onlyZhuzhou = await Funnel(hq, "zhuzhou");
        Assert.Equal("zhuzhou", (string)onlyZhuzhou["subMarkets"]!.AsArray().Single()!["subMarket"]!);
        var cityOperator = await Funnel(api.Operator("zhuzhou"));
        Assert.Equal((long)zhuzhou["registered"]!, (long)cityOperator["totals"]!["registered"]!);

        // the deal's own registered stage counts once, however it is heard of
        await api.Deliver(Stage(first, firstDeal, 2, null, DealStage.Registered, "zhuzhou"));
        Assert.Equal(1, Delta(before, await Funnel(hq), "zhuzhou").Registered);
        await api.Deliver(Stage(second, secondDeal, 2, "broker-z", DealStage.Registered, "zhuzhou"));
        Assert.Equal(2, Delta(before, await Funnel(hq), "zhuzhou").Registered);
    }

    [Fact]
    public async Task A_sub_market_without_interests_has_an_introduction_rate_of_zero()
    {
        var funnel = await Funnel(api.Operator(ReferenceData.ProvincialMarket), "hq");
        var row = funnel["subMarkets"]!.AsArray().Single()!;
        Assert.Equal((0L, 0m), ((long)row["interests"]!, (decimal)row["introductionRate"]!));
    }

    private async Task<JsonObject> Funnel(string token, string? subMarket = null) =>
        await (await _client.Send(HttpMethod.Get, "/api/interests/funnel" + (subMarket is null ? "" : "?subMarket=" + subMarket), token)).Expect(200);

    private static JsonNode Row(JsonObject funnel, string? subMarket) =>
        subMarket is null ? funnel["totals"]! : funnel["subMarkets"]!.AsArray().Single(r => (string)r!["subMarket"]! == subMarket)!;

    private static (long Interests, long Accepted, long Deals, long Registered) Delta(JsonObject before, JsonObject after, string? subMarket)
    {
        long Of(JsonObject f, string name) => (long)Row(f, subMarket)[name]!;
        return (Of(after, "interests") - Of(before, "interests"), Of(after, "accepted") - Of(before, "accepted"),
            Of(after, "deals") - Of(before, "deals"), Of(after, "registered") - Of(before, "registered"));
    }
}
