using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Registration;
using Marketplace.TestKit;

namespace Marketplace.Broker.Tests;

public sealed class DealTests(BrokerApi api) : IClassFixture<BrokerApi>
{
    private HttpClient Client => api.Client;

    private static Dictionary<string, string> IfMatch(JsonObject deal) => new() { ["If-Match"] = $"\"{(long)deal["version"]!}\"" };

    /// <summary>A deal between hnu's offer and zz-rail's demand.</summary>
    private async Task<JsonObject> Open(string token, string field = "materials")
    {
        var (offerId, demandId) = await api.Parties("hnu", "zz-rail");
        return await (await Client.Send(HttpMethod.Post, "/api/deals", token, new { title = "陶瓷涂覆隔膜技术许可", field, offerId, demandId })).Expect(201);
    }

    private async Task<JsonObject> Move(string token, JsonObject deal, object body, int status = 200) =>
        await (await Client.Send(HttpMethod.Post, $"/api/deals/{deal["id"]}/stage", token, body, IfMatch(deal))).Expect(status);

    private async Task<JsonObject> Read(string token, JsonObject deal) =>
        await (await Client.Send(HttpMethod.Get, $"/api/deals/{deal["id"]}", token)).Expect(200);

    /// <summary>Asserts a refused request left the deal exactly as it was.</summary>
    private async Task Unchanged(string token, JsonObject before)
    {
        var after = await Read(token, before);
        Assert.Equal((long)before["version"]!, (long)after["version"]!);
        Assert.Equal((string)before["stage"]!, (string)after["stage"]!);
        Assert.Equal(before["history"]!.AsArray().Count, after["history"]!.AsArray().Count);
    }

    /// <summary>The deal's contract, registered on the application of <paramref name="applicant"/> (by default hnu, the offer's owner).</summary>
    private static ContractRegistered Registration(JsonObject deal, decimal amount = 1_200_000m, string? applicant = "hnu") => new()
    {
        ContractId = Guid.NewGuid(),
        RegistrationNumber = "2026430101" + Random.Shared.Next(100000, 999999),
        DealId = Guid.Parse((string)deal["id"]!),
        ApplicantOrg = applicant,
        Type = "technology_license",
        RegistrationPoint = "changsha",
        ContractAmount = amount,
        TechnologyTransactionAmount = amount - 200_000m,
        RegisteredAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public async Task A_deal_walks_every_stage_and_each_change_is_in_its_history_and_announced()
    {
        var broker = await api.ActiveBroker("changsha", "materials");
        var deal = await Open(broker.Token);
        Assert.Equal("lead", (string)deal["stage"]!);

        deal = await Move(broker.Token, deal, new { to = "contacted", note = "已电话联系双方" });
        deal = await Move(broker.Token, deal, new { to = "negotiating", note = "许可费谈判中" });
        deal = await Move(broker.Token, deal, new { to = "agreed", commission = new { kind = "percentage", percent = 8.5m } });
        Assert.Equal("percentage", (string)deal["commission"]!["kind"]!);
        deal = await Move(broker.Token, deal, new { to = "contract_signed", note = "合同已签署" });
        Assert.Null(deal["nextStage"]); // registered comes from contract registration

        await api.Registered(Registration(deal));
        deal = await Read(broker.Token, deal);
        Assert.Equal("registered", (string)deal["stage"]!);
        Assert.Equal(1_200_000m, (decimal)deal["contract"]!["contractAmount"]!);

        deal = await Move(broker.Token, deal, new { to = "closed", note = "尾款已付" });
        Assert.Equal("closed", (string)deal["stage"]!);
        Assert.Equal(1_200_000m, (decimal)deal["amount"]!);
        Assert.Equal(102_000m, (decimal)deal["commissionAmount"]!);

        var history = deal["history"]!.AsArray();
        Assert.Equal(["lead", "contacted", "negotiating", "agreed", "contract_signed", "registered", "closed"], history.Select(h => (string)h!["to"]!));
        Assert.Equal(["contacted", "negotiating", "agreed", "contract_signed", "registered"], history.Skip(2).Select(h => (string)h!["from"]!));
        Assert.All(history, h => Assert.NotNull(h!["at"]));
        Assert.Equal("contract-registration", (string)history[5]!["by"]!);

        var id = Guid.Parse((string)deal["id"]!);
        foreach (var stage in Enum.GetValues<DealStage>().Where(s => s != DealStage.Lost))
            await api.Published<DealStageChanged>(m => m.DealId == id && m.To == stage);
        Assert.Equal(7, api.Harness.Published.Select<DealStageChanged>().Count(m => m.Context.Message.DealId == id));
        await api.Published<DealClosed>(m => m.DealId == id && m.Commission == 102_000m);
    }

    [Fact]
    public async Task Skipping_a_stage_another_brokers_deal_and_a_closed_deal_are_refused_and_change_nothing()
    {
        var broker = await api.ActiveBroker("changsha", "materials");
        var other = await api.ActiveBroker("changsha", "materials");
        var deal = await Open(broker.Token);

        var skip = await Move(broker.Token, deal, new { to = "negotiating" }, 409);
        Assert.Contains("contacted", (string)skip["detail"]!);
        await Move(broker.Token, deal, new { to = "registered" }, 409);
        await Move(other.Token, deal, new { to = "contacted" }, 403);
        await (await Client.Send(HttpMethod.Post, $"/api/deals/{deal["id"]}/notes", other.Token, new { text = "不是我的交易" })).Expect(403);
        await (await Client.Send(HttpMethod.Get, $"/api/deals/{deal["id"]}", other.Token)).Expect(403);
        await (await Client.Send(HttpMethod.Post, $"/api/deals/{deal["id"]}/stage", broker.Token, new { to = "contacted" })).Expect(428);
        await (await Client.Send(HttpMethod.Post, $"/api/deals/{deal["id"]}/stage", broker.Token, new { to = "contacted" },
            new Dictionary<string, string> { ["If-Match"] = "\"9\"" })).Expect(412);
        await Move(broker.Token, deal, new { to = "flying" }, 400);
        await Move(broker.Token, deal, new { }, 400);
        await Unchanged(broker.Token, deal);

        deal = await Move(broker.Token, deal, new { to = "contacted" });
        deal = await Move(broker.Token, deal, new { to = "negotiating" });
        var noTerms = await Move(broker.Token, deal, new { to = "agreed" }, 400);
        Assert.NotNull(noTerms["errors"]!["commission"]);
        await Move(broker.Token, deal, new { to = "agreed", commission = new { kind = "percentage", percent = 120m } }, 400);
        await Move(broker.Token, deal, new { to = "agreed", commission = new { kind = "fixed" } }, 400);
        await Unchanged(broker.Token, deal);

        deal = await Move(broker.Token, deal, new { to = "agreed", commission = new { kind = "fixed", amount = 50_000m } });
        var noReason = await Move(broker.Token, deal, new { to = "lost" }, 400);
        Assert.NotNull(noReason["errors"]!["reason"]);
        deal = await Move(broker.Token, deal, new { to = "lost", reason = "买方预算取消" });
        Assert.Equal("买方预算取消", (string)deal["lostReason"]!);
        await Move(broker.Token, deal, new { to = "contract_signed" }, 409);
        await Move(broker.Token, deal, new { to = "lost", reason = "再次" }, 409);
        await api.Registered(Registration(deal));
        await Unchanged(broker.Token, deal);
    }

    [Fact]
    public async Task A_registered_contract_moves_the_deal_once_and_a_replay_changes_nothing()
    {
        var broker = await api.ActiveBroker("changsha", "materials");
        var deal = await Open(broker.Token);
        deal = await Move(broker.Token, deal, new { to = "contacted" });
        deal = await Move(broker.Token, deal, new { to = "negotiating" });
        deal = await Move(broker.Token, deal, new { to = "agreed", commission = new { kind = "fixed", amount = 30_000m } });
        deal = await Move(broker.Token, deal, new { to = "contract_signed" });

        var registration = Registration(deal, 800_000m);
        await api.Registered(registration);
        var registered = await Read(broker.Token, deal);
        Assert.Equal("registered", (string)registered["stage"]!);
        Assert.Equal(registration.RegistrationNumber, (string)registered["contract"]!["registrationNumber"]!);

        await api.Registered(registration);
        await api.Registered(registration with { ContractId = Guid.NewGuid(), ContractAmount = 1m });
        await Unchanged(broker.Token, registered);
        Assert.Equal(800_000m, (decimal)(await Read(broker.Token, deal))["contract"]!["contractAmount"]!);

        var closed = await Move(broker.Token, registered, new { to = "closed", amount = 850_000m });
        Assert.Equal(850_000m, (decimal)closed["amount"]!);
        Assert.Equal(30_000m, (decimal)closed["commissionAmount"]!);
        await api.Registered(registration);
        await Unchanged(broker.Token, closed);
    }

    /// <summary>The probe's repro: a stranger's registered contract names someone else's deal.</summary>
    [Fact]
    public async Task A_contract_registered_by_an_organisation_that_is_not_a_party_leaves_the_deal_as_it_was()
    {
        var broker = await api.ActiveBroker("changsha", "materials");
        var deal = await Open(broker.Token);
        deal = await Move(broker.Token, deal, new { to = "contacted" });

        await api.Registered(Registration(deal, applicant: "csu"));      // a university that is neither the offer's nor the demand's owner
        await api.Registered(Registration(deal, applicant: null));       // an event that does not say who applied cannot be checked
        await Unchanged(broker.Token, deal);
        Assert.Null((await Read(broker.Token, deal))["contract"]);

        await api.Registered(Registration(deal, applicant: "zz-rail")); // the demand's owner is a party
        Assert.Equal("registered", (string)(await Read(broker.Token, deal))["stage"]!);
    }

    /// <summary>A deal the registration moved on before it was agreed has no commission terms yet: closing asks for them.</summary>
    [Fact]
    public async Task Closing_a_registered_deal_that_was_never_agreed_asks_for_the_commission_and_then_closes()
    {
        var broker = await api.ActiveBroker("changsha", "materials");
        var deal = await Open(broker.Token);
        deal = await Move(broker.Token, deal, new { to = "contacted" });
        await api.Registered(Registration(deal, 900_000m));
        deal = await Read(broker.Token, deal);
        Assert.Equal("registered", (string)deal["stage"]!);
        Assert.Null(deal["commission"]);

        var noTerms = await Move(broker.Token, deal, new { to = "closed" }, 400);
        Assert.Contains("佣金", (string)noTerms["errors"]!["commission"]![0]!);
        await Unchanged(broker.Token, deal);

        var closed = await Move(broker.Token, deal, new { to = "closed", commission = new { kind = "percentage", percent = 5m } });
        Assert.Equal("closed", (string)closed["stage"]!);
        Assert.Equal(900_000m, (decimal)closed["amount"]!);
        Assert.Equal(45_000m, (decimal)closed["commissionAmount"]!);
        Assert.Equal("percentage", (string)closed["commission"]!["kind"]!);
    }

    /// <summary>Terms agreed at agreed stand: closing cannot rewrite them.</summary>
    [Fact]
    public async Task Closing_an_agreed_deal_cannot_change_its_commission()
    {
        var broker = await api.ActiveBroker("changsha", "materials");
        var deal = await Open(broker.Token);
        deal = await Move(broker.Token, deal, new { to = "contacted" });
        deal = await Move(broker.Token, deal, new { to = "negotiating" });
        deal = await Move(broker.Token, deal, new { to = "agreed", commission = new { kind = "fixed", amount = 30_000m } });
        deal = await Move(broker.Token, deal, new { to = "contract_signed" });
        await api.Registered(Registration(deal));
        deal = await Read(broker.Token, deal);

        var rewrite = await Move(broker.Token, deal, new { to = "closed", commission = new { kind = "fixed", amount = 1m } }, 400);
        Assert.NotNull(rewrite["errors"]!["commission"]);
        await Unchanged(broker.Token, deal);
        Assert.Equal(30_000m, (decimal)(await Move(broker.Token, deal, new { to = "closed" }))["commissionAmount"]!);
    }

    [Fact]
    public async Task Notes_are_kept_with_who_and_when()
    {
        var broker = await api.ActiveBroker("changsha", "materials");
        var deal = await Open(broker.Token);
        var note = await (await Client.Send(HttpMethod.Post, $"/api/deals/{deal["id"]}/notes", broker.Token, new { text = "已约定下周三实地考察中试线" })).Expect(201);
        Assert.Equal("已约定下周三实地考察中试线", (string)note["text"]!);
        await (await Client.Send(HttpMethod.Post, $"/api/deals/{deal["id"]}/notes", broker.Token, new { text = "" })).Expect(400);
        var read = await Read(broker.Token, deal);
        var kept = Assert.Single(read["notes"]!.AsArray());
        Assert.Equal(broker.Subject, (string)kept!["by"]!);
        Assert.NotNull(kept["at"]);
        Assert.Equal("lead", (string)read["stage"]!);
    }

    [Fact]
    public async Task Bad_deal_input_is_a_clear_400_and_creates_nothing()
    {
        var broker = await api.ActiveBroker("changsha", "materials");
        var problem = await (await Client.Send(HttpMethod.Post, "/api/deals", broker.Token, new { title = "", field = "quantum", subMarket = "beijing" })).Expect(400);
        Assert.NotNull(problem["errors"]!["title"]);
        Assert.NotNull(problem["errors"]!["field"]);
        Assert.NotNull(problem["errors"]!["subMarket"]);
        await (await Client.Send(HttpMethod.Post, "/api/deals", broker.Token, "{\"title\":")).Expect(400);
        await (await Client.Send(HttpMethod.Get, "/api/deals?stage=won", broker.Token)).Expect(400);
        await (await Client.Send(HttpMethod.Get, $"/api/deals/{Guid.NewGuid()}", broker.Token)).Expect(404);
        var mine = await (await Client.Send(HttpMethod.Get, "/api/deals?mine=true", broker.Token)).Expect(200);
        Assert.Equal(0, (int)mine["total"]!);
    }

    [Fact]
    public async Task The_same_Idempotency_Key_opens_one_deal()
    {
        var broker = await api.ActiveBroker("changsha", "materials");
        var key = new Dictionary<string, string> { ["Idempotency-Key"] = "deal-" + Guid.NewGuid() };
        var body = new { title = "校企合作开发项目", field = "materials" };
        var first = await (await Client.Send(HttpMethod.Post, "/api/deals", broker.Token, body, key)).Expect(201);
        var again = await Client.Send(HttpMethod.Post, "/api/deals", broker.Token, body, key);
        Assert.Equal((string)first["id"]!, (string)(await again.Expect(201))["id"]!);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        await (await Client.Send(HttpMethod.Post, "/api/deals", broker.Token, body with { title = "另一个项目" }, key)).Expect(422);
        Assert.Equal(1, (int)(await (await Client.Send(HttpMethod.Get, "/api/deals?mine=true", broker.Token)).Expect(200))["total"]!);
    }
}
