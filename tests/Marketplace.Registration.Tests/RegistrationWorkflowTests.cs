using Marketplace.Contracts.Registration;
using Marketplace.TestKit;

namespace Marketplace.Registration.Tests;

[Collection(nameof(RegistrationHost))]
public sealed class RegistrationWorkflowTests(RegistrationApi api)
{
    private HttpClient Client => api.Client;

    [Fact]
    public async Task Draft_submit_register_gives_a_16_digit_number_and_announces_the_registration_with_its_deal()
    {
        var dealId = await api.Deal("hnu", "zz-rail");
        var submitted = await api.Submitted(RegistrationApi.Application(dealId: dealId));
        Assert.Equal("submitted", (string)submitted["status"]!);
        Assert.Equal("2026", (string)submitted["ruleVersion"]!);
        Assert.Equal("2026-03-02", (string)submitted["receivedOn"]!);
        Assert.Equal("2026-03-23", (string)submitted["decisionDue"]!);
        Assert.Equal(1_000_000m, (decimal)submitted["technologyTransactionAmount"]!);
        Assert.Contains(submitted["taxReliefs"]!.AsArray(), r => (string)r!["code"]! == "vat_exemption");

        var registered = await (await Client.Send(HttpMethod.Post, $"/api/contracts/{submitted["id"]}/register", api.Registrar())).Expect(200);
        var number = (string)registered["registrationNumber"]!;
        Assert.Matches("^2026430101[0-9]{6}$", number);
        Assert.Equal("registered", (string)registered["status"]!);

        var id = Guid.Parse((string)registered["id"]!);
        var announced = await api.Published<ContractRegistered>(m => m.ContractId == id);
        Assert.Equal(dealId, announced.DealId);
        Assert.Equal("hnu", announced.ApplicantOrg); // the broker checks it against the deal's parties itself
        Assert.Equal(number, announced.RegistrationNumber);
        Assert.Equal(1_200_000m, announced.ContractAmount);
        Assert.Equal(1_000_000m, announced.TechnologyTransactionAmount);
        Assert.Equal("changsha", announced.RegistrationPoint);
        Assert.Equal("development", announced.Type);

        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/register", api.Registrar())).Expect(409);
    }

    [Fact]
    public async Task Fifty_concurrent_registrations_at_one_point_get_fifty_consecutive_numbers()
    {
        var applications = new List<string>();
        for (var i = 0; i < 50; i++)
            applications.Add((string)(await api.Submitted(RegistrationApi.Application(title: $"并发登记测试合同 {i}"), api.Seller("xtu")))["id"]!);
        var registrar = api.Registrar();
        var answers = await Task.WhenAll(applications.Select(id => Client.Send(HttpMethod.Post, $"/api/contracts/{id}/register", registrar)));
        var numbers = new List<long>();
        foreach (var answer in answers) numbers.Add(long.Parse((string)(await answer.Expect(200))["registrationNumber"]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(50, numbers.Distinct().Count());
        numbers.Sort();
        Assert.Equal(Enumerable.Range(0, 50).Select(i => numbers[0] + i), numbers);
    }

    /// <summary>A double click (or a retry after a lost answer) must not burn a number: the sequence stays without gaps.</summary>
    [Fact]
    public async Task Registering_one_application_twice_at_once_uses_one_number_and_leaves_no_gap()
    {
        var seller = api.Seller("hnu");
        var registrar = api.Registrar();
        var numbers = new List<long>();
        for (var round = 0; round < 30; round++)
        {
            var id = (string)(await api.Submitted(RegistrationApi.Application(title: $"重复登记测试合同 {round}"), seller))["id"]!;
            var answers = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Client.Send(HttpMethod.Post, $"/api/contracts/{id}/register", registrar)));
            Assert.Equal([200, 409, 409, 409], answers.Select(a => (int)a.StatusCode).Order());
            numbers.Add(long.Parse((string)(await answers.Single(a => a.IsSuccessStatusCode).Expect(200))["registrationNumber"]!, System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Equal(Enumerable.Range(0, 30).Select(i => numbers[0] + i), numbers);
    }

    [Fact]
    public async Task A_return_for_correction_restarts_the_clock_and_a_refusal_gives_reasons()
    {
        var seller = api.Seller("csu");
        var submitted = await api.Submitted(seller: seller);
        var id = (string)submitted["id"]!;
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/return", api.Registrar(), new { note = "" })).Expect(400);
        var returned = await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/return", api.Registrar(), new { note = "请补充技术指标附件" })).Expect(200);
        Assert.Equal("returned_for_correction", (string)returned["status"]!);

        api.Clock.Now = api.Clock.Now.AddDays(7);
        var edited = await (await Client.Send(HttpMethod.Put, $"/api/contracts/{id}", seller, RegistrationApi.Application(1_300_000m),
            new Dictionary<string, string> { ["If-Match"] = $"\"{(long)returned["version"]!}\"" })).Expect(200);
        var resubmitted = await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/submit", seller)).Expect(200);
        Assert.Equal("2026-03-09", (string)resubmitted["receivedOn"]!);
        Assert.Equal("2026-03-30", (string)resubmitted["decisionDue"]!);
        Assert.Equal((long)edited["version"]! + 1, (long)resubmitted["version"]!);

        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/refuse", api.Registrar(), new { reasons = Array.Empty<string>() })).Expect(400);
        var bad = await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/refuse", api.Registrar(), new { reasons = new[] { "no_such_code" } })).Expect(400);
        Assert.NotNull(bad["errors"]!["reasons[0]"]);
        var refused = await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/refuse", api.Registrar(),
            new { reasons = new[] { "seals_mismatch", "合同附件与正文金额不一致" }, note = "请核对后重新申请" })).Expect(200);
        Assert.Equal("refused", (string)refused["status"]!);
        Assert.Equal(["seals_mismatch: 印章不全或与书面名称不符", "other: 合同附件与正文金额不一致"], refused["refusalReasons"]!.AsArray().Select(r => (string)r!));
        api.Clock.Now = api.Clock.Now.AddDays(-7);
    }

    [Fact]
    public async Task An_incomplete_application_cannot_be_submitted_and_stays_a_draft()
    {
        var seller = api.Seller("hnu");
        var draft = await (await Client.Send(HttpMethod.Post, "/api/contracts", seller, new { title = "未完成的草稿", type = "transfer", subtype = "patent_transfer" })).Expect(201);
        var problem = await (await Client.Send(HttpMethod.Post, $"/api/contracts/{draft["id"]}/submit", seller)).Expect(400);
        foreach (var field in new[] { "seller.name", "buyer.name", "signedOn", "totalAmount", "ipItems", "field" })
            Assert.True(problem["errors"]![field] is not null, $"no error for {field}: {problem}");
        var read = await (await Client.Send(HttpMethod.Get, $"/api/contracts/{draft["id"]}", seller)).Expect(200);
        Assert.Equal("draft", (string)read["status"]!);
        Assert.Equal((long)draft["version"]!, (long)read["version"]!);

        await (await Client.Send(HttpMethod.Post, "/api/contracts", seller, new { totalAmount = -5m })).Expect(400);
        await (await Client.Send(HttpMethod.Post, "/api/contracts", seller, new { type = "gift" })).Expect(400);
        await (await Client.Send(HttpMethod.Post, "/api/contracts", seller, new { registrationPoint = "beijing" })).Expect(400);
        await (await Client.Send(HttpMethod.Post, "/api/contracts", seller, "{\"title\":")).Expect(400);
    }

    [Fact]
    public async Task Precheck_answers_with_the_rules_and_saves_nothing()
    {
        var seller = api.Seller("precheck-org");
        var check = await (await Client.Send(HttpMethod.Post, "/api/contracts/precheck", api.Tax(), RegistrationApi.Application(costs:
            [new { item = "样机（技术载体）", amount = 100_000m, carrier = true }, new { item = "配套设备", amount = 300_000m, carrier = false }]))).Expect(200);
        Assert.True((bool)check["registrable"]!);
        Assert.Equal(900_000m, (decimal)check["decision"]!["technologyTransactionAmount"]!);
        Assert.Contains(check["decision"]!["findings"]!.AsArray(), f => (string)f!["code"]! == "carrier_costs_kept");
        await (await Client.Send(HttpMethod.Post, "/api/contracts/precheck", null, RegistrationApi.Application())).Expect(401);
        var mine = await (await Client.Send(HttpMethod.Get, "/api/contracts?mine=true", seller)).Expect(200);
        Assert.Equal(0, (int)mine["total"]!);
    }
}
