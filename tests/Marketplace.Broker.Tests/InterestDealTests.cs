using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Registration;
using Marketplace.TestKit;

namespace Marketplace.Broker.Tests;

/// <summary>
/// Deals from accepted introductions (对接意向): opened once at contacted between both organisations,
/// with the broker leads would go to or with none. A fresh host per test, so brokers' loads are known.
/// </summary>
public sealed class InterestDealTests : IDisposable
{
    private readonly BrokerApi _api = new();

    public void Dispose() => _api.Dispose();

    private HttpClient Client => _api.Client;

    private async Task<JsonObject> Read(string token, Guid deal, int status = 200) =>
        await (await Client.Send(HttpMethod.Get, $"/api/deals/{deal}", token)).Expect(status);

    private async Task<JsonObject> Move(string token, JsonObject deal, object body, int status = 200) =>
        await (await Client.Send(HttpMethod.Post, $"/api/deals/{deal["id"]}/stage", token, body,
            new Dictionary<string, string> { ["If-Match"] = $"\"{(long)deal["version"]!}\"" })).Expect(status);

    private async Task<JsonArray> Mine(string token) =>
        (await (await Client.Send(HttpMethod.Get, "/api/deals?mine=true", token)).Expect(200))["items"]!.AsArray();

    [Fact]
    public async Task An_accepted_introduction_opens_one_deal_at_contacted_between_both_organisations_with_the_least_loaded_broker_of_its_sub_market_and_field()
    {
        var busy = await _api.ActiveBroker("changsha", "materials", "equipment");
        var idle = await _api.ActiveBroker("changsha", "materials");
        var otherField = await _api.ActiveBroker("changsha", "biomed");
        var otherMarket = await _api.ActiveBroker("zhuzhou", "materials");
        await (await Client.Send(HttpMethod.Post, "/api/deals", busy.Token, new { title = "已有交易", field = "materials" })).Expect(201);

        var accepted = _api.Introduction("zz-rail", "hnu");
        await _api.Deliver(accepted);

        var id = BrokerApi.DealOf(accepted);
        var deal = await Read(idle.Token, id);
        Assert.Equal("contacted", (string)deal["stage"]!);
        Assert.Equal("negotiating", (string)deal["nextStage"]!);
        Assert.Equal(idle.Id, (string)deal["brokerId"]!);
        Assert.Equal(idle.Subject, (string)deal["brokerSubject"]!);
        Assert.Equal(accepted.Interest.InterestId.ToString(), (string)deal["interestId"]!);
        Assert.Equal(accepted.Interest.ListingId.ToString(), (string)deal["offerId"]!);
        Assert.Null(deal["demandId"]);
        Assert.Equal("陶瓷涂覆隔膜制备技术", (string)deal["title"]!);
        Assert.Equal(["zz-rail", "hnu"], deal["parties"]!.AsArray().Select(p => (string)p!["id"]!));
        Assert.Equal(["zz-rail 有限公司", "hnu 大学"], deal["parties"]!.AsArray().Select(p => (string)p!["name"]!));
        var opened = Assert.Single(deal["history"]!.AsArray());
        Assert.Null(opened!["from"]);
        Assert.Equal("contacted", (string)opened["to"]!);

        Assert.Contains(await Mine(idle.Token), d => (string)d!["id"]! == id.ToString());
        Assert.DoesNotContain(await Mine(busy.Token), d => (string)d!["id"]! == id.ToString());
        Assert.Empty(await Mine(otherField.Token));
        Assert.Empty(await Mine(otherMarket.Token));

        var changed = await _api.Published<DealStageChanged>(m => m.DealId == id);
        Assert.Null(changed.From);
        Assert.Equal(DealStage.Contacted, changed.To);
        Assert.Equal(Guid.Parse(idle.Id), changed.BrokerId);
        Assert.Equal(idle.Subject, changed.BrokerSubject);
        Assert.Equal(["zz-rail", "hnu"], changed.Parties);
        Assert.Equal(accepted.Interest.InterestId, changed.InterestId);
        Assert.Equal("陶瓷涂覆隔膜制备技术", changed.Title);
        Assert.Equal(accepted.Interest.ListingId, changed.OfferId);

        // redelivered, and replayed later: the deal is there already and nothing changes
        await _api.Deliver(accepted, deliveries: 2);
        await _api.Deliver(accepted with { AcceptedAt = _api.Clock.Now.AddMinutes(5) });
        var again = await Read(idle.Token, id);
        Assert.Equal((long)deal["version"]!, (long)again["version"]!);
        Assert.Single(again["history"]!.AsArray());
        Assert.Single(await Mine(idle.Token), d => (string)d!["id"]! == id.ToString());
        Assert.Single(_api.Harness.Published.Select<DealStageChanged>(), m => m.Context.Message.DealId == id);
    }

    [Fact]
    public async Task A_demand_or_challenge_introduction_links_the_listing_as_the_deals_demand()
    {
        await _api.ActiveBroker("xiangtan", "equipment");
        var accepted = _api.Introduction("xt-univ", "xt-motor", "xiangtan", "equipment", ListingKind.Challenge);
        await _api.Deliver(accepted);

        var deal = await Read(_api.Party("xt-univ", Roles.University, "xiangtan"), BrokerApi.DealOf(accepted));
        Assert.Equal(accepted.Interest.ListingId.ToString(), (string)deal["demandId"]!);
        Assert.Null(deal["offerId"]);
    }

    [Fact]
    public async Task The_parties_read_the_deal_and_its_contacts_and_list_it_and_a_third_organisation_gets_404()
    {
        var broker = await _api.ActiveBroker("changsha", "materials");
        var accepted = _api.Introduction("zz-rail", "hnu");
        await _api.Deliver(accepted);
        var id = BrokerApi.DealOf(accepted);
        var interested = _api.Party("zz-rail");
        var owner = _api.Party("hnu", Roles.University);
        var stranger = _api.Party("cs-other");

        foreach (var party in new[] { interested, owner, broker.Token })
        {
            var seen = await Read(party, id);
            Assert.Equal("hnu", (string)seen["contacts"]!["listing"]!["organisation"]!);
            Assert.Equal("王老师", (string)seen["contacts"]!["listing"]!["name"]!);
            Assert.Equal("0731-88880000", (string)seen["contacts"]!["listing"]!["phone"]!);
            Assert.Equal("wang@hnu.edu.cn", (string)seen["contacts"]!["listing"]!["email"]!);
            Assert.Equal("zz-rail", (string)seen["contacts"]!["interested"]!["organisation"]!);
            Assert.Equal("李经理", (string)seen["contacts"]!["interested"]!["name"]!);
        }
        var operatorView = await Read(_api.Operator(), id);
        Assert.Null(operatorView["contacts"]);
        Assert.Equal(2, operatorView["parties"]!.AsArray().Count);

        Assert.Equal(id.ToString(), (string)Assert.Single(await Mine(interested))!["id"]!);
        Assert.Equal(id.ToString(), (string)Assert.Single(await Mine(owner))!["id"]!);
        var ownList = await (await Client.Send(HttpMethod.Get, "/api/deals?stage=contacted", owner)).Expect(200);
        Assert.Equal(1, (int)ownList["total"]!);
        Assert.Equal(0, (int)(await (await Client.Send(HttpMethod.Get, "/api/deals?stage=negotiating", owner)).Expect(200))["total"]!);
        await (await Client.Send(HttpMethod.Get, "/api/deals?mine=false", owner)).Expect(403);

        var problem = await Read(stranger, id, 404);
        Assert.Contains(id.ToString(), (string)problem["detail"]!);
        Assert.Empty(await Mine(stranger));
        Assert.Equal(0, (int)(await (await Client.Send(HttpMethod.Get, "/api/deals", stranger)).Expect(200))["total"]!);

        // a deal with a broker is the broker's to move; the parties read it only
        var deal = await Read(owner, id);
        var refused = await Move(owner, deal, new { to = "negotiating" }, 403);
        Assert.Contains("broker", (string)refused["detail"]!);
        await Move(stranger, deal, new { to = "negotiating" }, 404);
        await (await Client.Send(HttpMethod.Post, $"/api/deals/{id}/notes", interested, new { text = "我们想加快进度" })).Expect(403);
        Assert.Equal((long)deal["version"]!, (long)(await Read(owner, id))["version"]!);
        deal = await Move(broker.Token, deal, new { to = "negotiating", note = "双方约见" });
        Assert.Equal("negotiating", (string)deal["stage"]!);

        // the broker's notes are the broker's working record
        await (await Client.Send(HttpMethod.Post, $"/api/deals/{id}/notes", broker.Token, new { text = "买方预算偏紧" })).Expect(201);
        Assert.Single((await Read(broker.Token, id))["notes"]!.AsArray());
        Assert.Empty((await Read(owner, id))["notes"]!.AsArray());
    }

    [Fact]
    public async Task Without_a_broker_by_choice_the_parties_and_only_they_move_the_deal_and_close_it_without_commission()
    {
        var broker = await _api.ActiveBroker("changsha", "materials");
        var accepted = _api.Introduction("zz-rail", "hnu", withoutBroker: true);
        await _api.Deliver(accepted);
        var id = BrokerApi.DealOf(accepted);
        var interested = _api.Party("zz-rail");
        var owner = _api.Party("hnu", Roles.University);

        var deal = await Read(owner, id);
        Assert.Null(deal["brokerId"]);
        Assert.Null(deal["brokerSubject"]);
        Assert.Equal("contacted", (string)deal["stage"]!);
        Assert.NotNull(deal["contacts"]);
        Assert.Empty(await Mine(broker.Token));
        var opened = await _api.Published<DealStageChanged>(m => m.DealId == id);
        Assert.Null(opened.BrokerId);
        Assert.Null(opened.BrokerSubject);
        Assert.Equal(["zz-rail", "hnu"], opened.Parties);

        // nobody but the parties runs it
        await Move(broker.Token, deal, new { to = "negotiating" }, 403);
        await Move(_api.Party("cs-other"), deal, new { to = "negotiating" }, 404);
        await (await Client.Send(HttpMethod.Post, $"/api/deals/{id}/stage", _api.Operator(), new { to = "negotiating" },
            new Dictionary<string, string> { ["If-Match"] = $"\"{(long)deal["version"]!}\"" })).Expect(403);
        Assert.Equal((long)deal["version"]!, (long)(await Read(owner, id))["version"]!);

        deal = await Move(interested, deal, new { to = "negotiating", note = "约定下周面谈" });
        Assert.Equal("user@zz-rail", (string)deal["history"]![1]!["by"]!);
        // with no broker, the notes are the parties' own record, and nobody else writes them
        await (await Client.Send(HttpMethod.Post, $"/api/deals/{id}/notes", interested, new { text = "已寄送样品" })).Expect(201);
        await (await Client.Send(HttpMethod.Post, $"/api/deals/{id}/notes", broker.Token, new { text = "我来跟进" })).Expect(403);
        Assert.Equal("已寄送样品", (string)Assert.Single((await Read(owner, id))["notes"]!.AsArray())!["text"]!);
        deal = await Read(owner, id);
        var withTerms = await Move(owner, deal, new { to = "agreed", commission = new { kind = "percentage", percent = 5m } }, 400);
        Assert.NotNull(withTerms["errors"]!["commission"]);
        deal = await Move(owner, deal, new { to = "agreed" });
        Assert.Null(deal["commission"]);
        deal = await Move(interested, deal, new { to = "contract_signed" });
        Assert.Equal("contract_signed", (string)deal["stage"]!);

        // the interested side owns no listing of the deal, yet it is a party: its registered contract moves the deal
        await _api.Registered(new ContractRegistered
        {
            ContractId = Guid.NewGuid(), RegistrationNumber = "2026430101" + Random.Shared.Next(100000, 999999), DealId = id, ApplicantOrg = "zz-rail",
            Type = "technology_license", RegistrationPoint = "changsha", ContractAmount = 600_000m, TechnologyTransactionAmount = 500_000m,
            RegisteredAt = _api.Clock.Now,
        });
        deal = await Read(interested, id);
        Assert.Equal("registered", (string)deal["stage"]!);

        deal = await Move(owner, deal, new { to = "closed", note = "款项已结清" });
        Assert.Equal(600_000m, (decimal)deal["amount"]!);
        Assert.Equal(0m, (decimal)deal["commissionAmount"]!);
        var closed = await _api.Published<DealClosed>(m => m.DealId == id);
        Assert.Null(closed.BrokerId);
        Assert.Equal(0m, closed.Commission);
        Assert.Equal(600_000m, closed.Amount);
        Assert.All(_api.Harness.Published.Select<DealStageChanged>().Select(m => m.Context.Message).Where(m => m.DealId == id),
            m => Assert.Null(m.BrokerId));
    }

    [Fact]
    public async Task With_no_active_broker_of_the_sub_market_and_field_the_parties_run_the_deal_themselves()
    {
        var otherField = await _api.ActiveBroker("zhuzhou", "aerospace");
        var otherMarket = await _api.ActiveBroker("changsha", "transport");
        var pending = _api.BrokerAccount("zhuzhou");
        await (await Client.Send(HttpMethod.Post, "/api/brokers", pending, BrokerApi.Profile(["transport"], subMarket: "zhuzhou"))).Expect(201);
        var accepted = _api.Introduction("zz-bus", "csu", "zhuzhou", "transport");
        await _api.Deliver(accepted);

        var owner = _api.Party("csu", Roles.University, "zhuzhou");
        var deal = await Read(owner, BrokerApi.DealOf(accepted));
        Assert.Null(deal["brokerId"]);
        Assert.Empty(await Mine(otherField.Token));
        Assert.Empty(await Mine(otherMarket.Token));
        deal = await Move(owner, deal, new { to = "negotiating" });
        Assert.Equal("negotiating", (string)deal["stage"]!);
    }
}
