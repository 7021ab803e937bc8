using System.Text.Json.Nodes;
using Marketplace.Contracts;
using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Registration;
using Marketplace.TestKit;

namespace Marketplace.Broker.Tests;

/// <summary>A contract registered without naming its deal is linked to it afterwards, by its registration number.</summary>
public sealed class ContractLinkTests(BrokerApi api) : IClassFixture<BrokerApi>
{
    private HttpClient Client => api.Client;

    /// <summary>A deal between hnu's offer and zz-rail's demand, moved to contacted.</summary>
    private async Task<JsonObject> Open(string token)
    {
        var (offerId, demandId) = await api.Parties("hnu", "zz-rail");
        var deal = await (await Client.Send(HttpMethod.Post, "/api/deals", token, new { title = "陶瓷涂覆隔膜技术许可", field = "materials", offerId, demandId })).Expect(201);
        return await (await Client.Send(HttpMethod.Post, $"/api/deals/{deal["id"]}/stage", token, new { to = "contacted" },
            new Dictionary<string, string> { ["If-Match"] = $"\"{(long)deal["version"]!}\"" })).Expect(200);
    }

    /// <summary>A contract registered on the application of <paramref name="applicant"/>, naming no deal unless told.</summary>
    private static ContractRegistered Registration(string? applicant = "hnu", Guid? dealId = null) => new()
    {
        ContractId = Guid.NewGuid(),
        RegistrationNumber = "2026430101" + Random.Shared.Next(100000, 999999),
        DealId = dealId,
        ApplicantOrg = applicant,
        Type = "technology_license",
        RegistrationPoint = "changsha",
        ContractAmount = 600_000m,
        TechnologyTransactionAmount = 500_000m,
        RegisteredAt = DateTimeOffset.UtcNow,
    };

    private async Task<HttpResponseMessage> Link(string? token, JsonObject deal, object? body, IDictionary<string, string>? headers = null) =>
        await Client.Send(HttpMethod.Post, $"/api/deals/{deal["id"]}/contract", token, body, headers);

    private async Task<JsonObject> Read(string token, JsonObject deal) =>
        await (await Client.Send(HttpMethod.Get, $"/api/deals/{deal["id"]}", token)).Expect(200);

    /// <summary>Asserts a refused request left the deal exactly as it was.</summary>
    private async Task Unchanged(string token, JsonObject before)
    {
        var after = await Read(token, before);
        Assert.Equal((long)before["version"]!, (long)after["version"]!);
        Assert.Equal((string)before["stage"]!, (string)after["stage"]!);
        Assert.Equal(before["history"]!.AsArray().Count, after["history"]!.AsArray().Count);
        Assert.Equal(before["contract"]?.ToJsonString(), after["contract"]?.ToJsonString());
    }

    /// <summary>The field's message in a refusal, in both languages.</summary>
    private static string FieldError(JsonObject problem) => (string)problem["errors"]!["registrationNumber"]![0]!;

    [Fact]
    public async Task A_contract_registered_without_naming_the_deal_is_linked_by_its_number_and_the_deal_moves_to_registered()
    {
        var broker = await api.ActiveBroker("changsha", "materials");
        var deal = await Open(broker.Token);
        var registration = Registration(applicant: "zz-rail");
        await api.Registered(registration);
        await Unchanged(broker.Token, deal); // the event alone names no deal

        var response = await Link(broker.Token, deal, new { registrationNumber = " " + registration.RegistrationNumber + " " });
        var linked = await response.Expect(200);

        Assert.Equal("registered", (string)linked["stage"]!);
        Assert.Equal(registration.RegistrationNumber, (string)linked["contract"]!["registrationNumber"]!);
        Assert.Equal(600_000m, (decimal)linked["contract"]!["contractAmount"]!);
        Assert.Equal($"\"{(long)linked["version"]!}\"", response.Headers.ETag!.Tag);
        var last = linked["history"]!.AsArray()[^1]!;
        Assert.Equal(("contacted", "registered", "contract-registration"), ((string)last["from"]!, (string)last["to"]!, (string)last["by"]!));
        Assert.Contains(registration.RegistrationNumber, (string)last["note"]!);
        Assert.Equal(linked.ToJsonString(), (await Read(broker.Token, deal)).ToJsonString());
        var id = Guid.Parse((string)deal["id"]!);
        await api.Published<DealStageChanged>(m => m.DealId == id && m.To == DealStage.Registered);

        // asked again (a double click): the deal as it is, unchanged
        var again = await (await Link(broker.Token, deal, new { registrationNumber = registration.RegistrationNumber })).Expect(200);
        Assert.Equal((long)linked["version"]!, (long)again["version"]!);
        // and it closes on the contract's amount, as a deal the event registered does
        var closed = await (await Client.Send(HttpMethod.Post, $"/api/deals/{id}/stage", broker.Token,
            new { to = "closed", commission = new { kind = "percentage", percent = 5m } },
            new Dictionary<string, string> { ["If-Match"] = $"\"{(long)again["version"]!}\"" })).Expect(200);
        Assert.Equal(600_000m, (decimal)closed["amount"]!);
    }

    [Fact]
    public async Task An_unknown_or_revoked_registration_number_is_refused_at_the_field_and_changes_nothing()
    {
        var broker = await api.ActiveBroker("changsha", "materials");
        var deal = await Open(broker.Token);

        var unknown = await (await Link(broker.Token, deal, new { registrationNumber = "2026430101000001" })).Expect(422);
        Assert.Contains("未找到登记号为 2026430101000001 的已登记合同", FieldError(unknown));
        Assert.Contains(" / ", FieldError(unknown));

        var revoked = Registration();
        await api.Registered(revoked);
        await api.Deliver(new RegistrationRevoked
        {
            ContractId = revoked.ContractId, RegistrationNumber = revoked.RegistrationNumber, ApplicantOrg = "hnu",
            RegistrationPoint = "changsha", Reason = "合同内容不实", RevokedAt = DateTimeOffset.UtcNow,
        });
        var refused = await (await Link(broker.Token, deal, new { registrationNumber = revoked.RegistrationNumber })).Expect(422);
        Assert.Contains("已撤销", FieldError(refused));
        await Unchanged(broker.Token, deal);
    }

    [Fact]
    public async Task A_contract_whose_applicant_is_not_a_party_to_the_deal_cannot_be_linked()
    {
        var broker = await api.ActiveBroker("changsha", "materials");
        var deal = await Open(broker.Token);
        var stranger = Registration(applicant: "csu");  // a university that owns neither the offer nor the demand
        var unnamed = Registration(applicant: null);    // an event that does not say who applied cannot be checked
        await api.Registered(stranger);
        await api.Registered(unnamed);

        foreach (var registration in new[] { stranger, unnamed })
        {
            var problem = await (await Link(broker.Token, deal, new { registrationNumber = registration.RegistrationNumber })).Expect(422);
            Assert.Contains("不是本交易的一方", FieldError(problem));
        }
        await Unchanged(broker.Token, deal);
    }

    [Fact]
    public async Task A_contract_is_the_contract_of_one_deal_only_whichever_way_it_was_linked()
    {
        var broker = await api.ActiveBroker("changsha", "materials");
        var first = await Open(broker.Token);
        var second = await Open(broker.Token);

        // linked by its number to the first deal, it cannot be linked to the second, by number or by an event naming it
        var byNumber = Registration();
        await api.Registered(byNumber);
        await (await Link(broker.Token, first, new { registrationNumber = byNumber.RegistrationNumber })).Expect(200);
        var taken = await (await Link(broker.Token, second, new { registrationNumber = byNumber.RegistrationNumber })).Expect(409);
        Assert.Contains("已关联其他交易", FieldError(taken));
        await api.Registered(byNumber with { DealId = Guid.Parse((string)second["id"]!) });
        await Unchanged(broker.Token, second);

        // a contract whose registration named a deal (the event path) is that deal's
        var third = await Open(broker.Token);
        var byEvent = Registration(dealId: Guid.Parse((string)third["id"]!));
        await api.Registered(byEvent);
        Assert.Equal("registered", (string)(await Read(broker.Token, third))["stage"]!);
        await (await Link(broker.Token, second, new { registrationNumber = byEvent.RegistrationNumber })).Expect(409);
        await Unchanged(broker.Token, second);
    }

    [Fact]
    public async Task Only_the_deals_broker_links_its_contract()
    {
        var broker = await api.ActiveBroker("changsha", "materials");
        var other = await api.ActiveBroker("changsha", "materials");
        var deal = await Open(broker.Token);
        var registration = Registration();
        await api.Registered(registration);
        var body = new { registrationNumber = registration.RegistrationNumber };

        await (await Link(other.Token, deal, body)).Expect(403);
        await (await Link(other.Token, deal, new { registrationNumber = "" })).Expect(403); // a stranger learns nothing from a bad body either
        await (await Link(api.Operator("changsha"), deal, body)).Expect(403);
        await (await Link(api.Party("csu", Roles.University), deal, body)).Expect(404); // to a stranger the deal does not exist
        await (await Link(null, deal, body)).Expect(401);
        await (await Client.Send(HttpMethod.Post, $"/api/deals/{Guid.NewGuid()}/contract", broker.Token, body)).Expect(404);
        await Unchanged(broker.Token, deal);

        // what the others were refused is still the broker's to do
        await (await Link(broker.Token, deal, body)).Expect(200);
    }

    [Fact]
    public async Task Bad_link_input_a_stale_version_and_a_deal_past_registration_are_refused_and_change_nothing()
    {
        var broker = await api.ActiveBroker("changsha", "materials");
        var deal = await Open(broker.Token);
        var registration = Registration();
        await api.Registered(registration);

        foreach (var body in new object[] { new { }, new { registrationNumber = "   " }, new { registrationNumber = new string('1', 17) },
            new { registrationNumber = "2026-4301-0100-01" }, new { registrationNumber = new string('9', 300) } })
        {
            var problem = await (await Link(broker.Token, deal, body)).Expect(400);
            Assert.NotNull(problem["errors"]!["registrationNumber"]);
        }
        await (await Link(broker.Token, deal, "{\"registrationNumber\":")).Expect(400);
        await (await Link(broker.Token, deal, new { registrationNumber = 2026430101000001 })).Expect(400);
        await (await Link(broker.Token, deal, new { registrationNumber = registration.RegistrationNumber },
            new Dictionary<string, string> { ["If-Match"] = "\"99\"" })).Expect(412);
        await Unchanged(broker.Token, deal);

        // a deal that was lost, or is registered with another contract, takes no contract
        var lost = await (await Client.Send(HttpMethod.Post, $"/api/deals/{deal["id"]}/stage", broker.Token, new { to = "lost", reason = "买方预算取消" },
            new Dictionary<string, string> { ["If-Match"] = $"\"{(long)deal["version"]!}\"" })).Expect(200);
        await (await Link(broker.Token, lost, new { registrationNumber = registration.RegistrationNumber })).Expect(409);
        await Unchanged(broker.Token, lost);

        var registered = await Open(broker.Token);
        await api.Registered(Registration(dealId: Guid.Parse((string)registered["id"]!)));
        registered = await Read(broker.Token, registered);
        var twice = await (await Link(broker.Token, registered, new { registrationNumber = registration.RegistrationNumber })).Expect(409);
        Assert.Contains("已关联登记合同", (string)twice["detail"]!);
        await Unchanged(broker.Token, registered);

        // the refusals held no claim on the contract: another deal of the broker takes it
        var fresh = await Open(broker.Token);
        await (await Link(broker.Token, fresh, new { registrationNumber = registration.RegistrationNumber })).Expect(200);
    }
}
