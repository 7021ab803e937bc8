using Marketplace.Contracts;
using Marketplace.TestKit;

namespace Marketplace.Registration.Tests;

[Collection(nameof(RegistrationHost))]
public sealed class VerificationTests(RegistrationApi api)
{
    private HttpClient Client => api.Client;

    [Fact]
    public async Task Anyone_learns_validity_only_and_tax_staff_see_the_contract()
    {
        var number = (string)(await api.Registered())["registrationNumber"]!;
        foreach (var caller in new[] { null, api.Seller(), api.Registrar(), api.Tokens.For(Roles.Broker, "b"), api.Tokens.For(Roles.Admin, "a") })
        {
            var seen = await (await Client.Send(HttpMethod.Get, $"/api/verify/{number}", caller)).Expect(200);
            Assert.Equal("valid", (string)seen["status"]!);
            Assert.Null(seen["seller"]);
            Assert.Null(seen["contractAmount"]);
            Assert.Null(seen["technologyTransactionAmount"]);
        }
        var tax = await (await Client.Send(HttpMethod.Get, $"/api/verify/{number}", api.Tax())).Expect(200);
        Assert.Equal("湖南示范大学", (string)tax["seller"]!["name"]!);
        Assert.Equal(1_200_000m, (decimal)tax["contractAmount"]!);
        Assert.Equal(1_000_000m, (decimal)tax["technologyTransactionAmount"]!);
        Assert.Equal("development", (string)tax["type"]!);
        Assert.Contains(tax["eligibleReliefs"]!.AsArray(), r => (string)r!["code"]! == "vat_exemption");

        Assert.Equal("unknown", (string)(await (await Client.Send(HttpMethod.Get, "/api/verify/2026430101999999")).Expect(200))["status"]!);
        Assert.Equal("unknown", (string)(await (await Client.Send(HttpMethod.Get, "/api/verify/not-a-number", api.Tax())).Expect(200))["status"]!);
    }

    [Fact]
    public async Task A_tax_office_sees_the_EIT_relief_of_a_six_year_non_exclusive_patent_licence_without_conditions()
    {
        var licence = new
        {
            title = "锂电池隔膜专利普通实施许可合同",
            type = "license",
            subtype = "patent_license",
            field = "materials",
            seller = new { name = "湖南示范大学", creditCode = Marketplace.ServiceDefaults.Validation.CreditCode.WithCheck("12430100MA4L00001"), regionCode = "430104" },
            buyer = new { name = "株洲示范新材料有限公司", creditCode = Marketplace.ServiceDefaults.Validation.CreditCode.WithCheck("91430200MA4L00002"), regionCode = "430211" },
            signedOn = "2026-02-20",
            validFrom = "2026-02-20",
            validTo = "2032-02-19",
            totalAmount = 900_000m,
            ipItems = new[] { new { type = "invention_patent", number = "ZL201710601862.3" } },
            licenseTermYears = 6,
            exclusivity = "ordinary",
        };
        var registered = await api.Registered(licence);
        var relief = registered["taxReliefs"]!.AsArray().Single(r => (string)r!["code"]! == "eit_transfer_income")!;
        Assert.False((bool)relief["conditional"]!);
        Assert.Contains("财税〔2015〕116号", (string)relief["ruleRef"]!);

        var tax = await (await Client.Send(HttpMethod.Get, $"/api/verify/{registered["registrationNumber"]}", api.Tax())).Expect(200);
        var seen = tax["eligibleReliefs"]!.AsArray().Single(r => (string)r!["code"]! == "eit_transfer_income")!;
        Assert.False((bool)seen["conditional"]!);
        Assert.Contains("企业所得税法实施条例 第九十条", (string)seen["ruleRef"]!);
    }

    [Fact]
    public async Task A_revoked_registration_verifies_as_revoked_with_date_and_reason()
    {
        var registered = await api.Registered();
        var number = (string)registered["registrationNumber"]!;
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{registered["id"]}/revoke", api.Registrar("zhuzhou"), new { reason = "伪造合同" })).Expect(403);
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{registered["id"]}/revoke", api.Registrar(), new { reason = "" })).Expect(400);
        Assert.Equal("valid", (string)(await (await Client.Send(HttpMethod.Get, $"/api/verify/{number}")).Expect(200))["status"]!);

        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{registered["id"]}/revoke", api.Registrar(), new { reason = "合同被依法确认无效" })).Expect(200);
        var seen = await (await Client.Send(HttpMethod.Get, $"/api/verify/{number}")).Expect(200);
        Assert.Equal("revoked", (string)seen["status"]!);
        Assert.Equal("合同被依法确认无效", (string)seen["revocationReason"]!);
        Assert.NotNull(seen["revokedAt"]);
        await (await Client.Send(HttpMethod.Get, $"/api/registrations/{number}/certificate", api.Seller())).Expect(409);
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{registered["id"]}/revoke", api.Registrar(), new { reason = "再次撤销" })).Expect(409);
    }

    [Fact]
    public async Task Tax_checks_are_recorded_against_a_case_and_listed_for_tax_and_the_points_registrars()
    {
        var number = (string)(await api.Registered())["registrationNumber"]!;
        await (await Client.Send(HttpMethod.Post, $"/api/verify/{number}/checks", api.Tax(), new { caseReference = "" })).Expect(400);
        await (await Client.Send(HttpMethod.Post, $"/api/verify/{number}/checks", api.Registrar(), new { caseReference = "长税稽〔2026〕12号" })).Expect(403);
        await (await Client.Send(HttpMethod.Post, $"/api/verify/{number}/checks", null, new { caseReference = "长税稽〔2026〕12号" })).Expect(401);
        await (await Client.Send(HttpMethod.Post, "/api/verify/2026430101999999/checks", api.Tax(), new { caseReference = "长税稽〔2026〕12号" })).Expect(404);
        var check = await (await Client.Send(HttpMethod.Post, $"/api/verify/{number}/checks", api.Tax(), new { caseReference = "长税稽〔2026〕12号", note = "研发费用加计扣除核查" })).Expect(201);
        Assert.Equal("registered", (string)check["statusSeen"]!);

        var seenByTax = await (await Client.Send(HttpMethod.Get, $"/api/verify/{number}/checks", api.Tax())).Expect(200);
        var listed = Assert.Single(seenByTax["items"]!.AsArray());
        Assert.Equal("长税稽〔2026〕12号", (string)listed!["caseReference"]!);
        Assert.Equal("tax@changsha", (string)listed["by"]!);
        await (await Client.Send(HttpMethod.Get, $"/api/verify/{number}/checks", api.Registrar())).Expect(200);
        await (await Client.Send(HttpMethod.Get, $"/api/verify/{number}/checks", api.Registrar("zhuzhou"))).Expect(403);
        await (await Client.Send(HttpMethod.Get, $"/api/verify/{number}/checks", api.Seller())).Expect(403);
    }

    [Fact]
    public async Task A_registrar_of_another_point_cannot_act_on_this_points_queue_and_nothing_changes()
    {
        var submitted = await api.Submitted();
        var id = (string)submitted["id"]!;
        var other = api.Registrar("zhuzhou");
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/register", other)).Expect(403);
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/refuse", other, new { reasons = new[] { "proofs_missing" } })).Expect(403);
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/return", other, new { note = "补正" })).Expect(403);
        await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}", other)).Expect(403);
        await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}", api.Seller("another-university"))).Expect(403);
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/register", api.Seller())).Expect(403);
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/register", api.Tax())).Expect(403);
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/register")).Expect(401);
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/submit", api.Seller("another-university"))).Expect(403);
        await (await Client.Send(HttpMethod.Post, "/api/contracts", api.Registrar(), RegistrationApi.Application())).Expect(403);
        await (await Client.Send(HttpMethod.Get, $"/api/contracts/{Guid.NewGuid()}", api.Registrar())).Expect(404);

        var queue = await (await Client.Send(HttpMethod.Get, "/api/contracts?queue=true", other)).Expect(200);
        Assert.DoesNotContain(queue["items"]!.AsArray(), a => (string)a!["id"]! == id);
        var mine = await (await Client.Send(HttpMethod.Get, "/api/contracts?queue=true", api.Registrar())).Expect(200);
        Assert.Contains(mine["items"]!.AsArray(), a => (string)a!["id"]! == id);
        await (await Client.Send(HttpMethod.Get, "/api/contracts?queue=true", api.Seller())).Expect(403);

        var read = await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}", api.Registrar())).Expect(200);
        Assert.Equal("submitted", (string)read["status"]!);
        Assert.Equal((long)submitted["version"]!, (long)read["version"]!);
        Assert.Null(read["registrationNumber"]);
    }

    [Fact]
    public async Task An_application_past_its_deadline_is_flagged_overdue_in_the_queue()
    {
        var submitted = await api.Submitted(RegistrationApi.Application(title: "逾期标记测试合同"));
        Assert.False((bool)submitted["overdue"]!);
        var saved = api.Clock.Now;
        api.Clock.Now = saved.AddDays(30);
        try
        {
            var queue = await (await Client.Send(HttpMethod.Get, "/api/contracts?queue=true&pageSize=100", api.Registrar())).Expect(200);
            var item = queue["items"]!.AsArray().Single(a => (string)a!["id"]! == (string)submitted["id"]!);
            Assert.True((bool)item!["overdue"]!);
        }
        finally
        {
            api.Clock.Now = saved;
        }
    }
}
