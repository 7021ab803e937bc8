using Marketplace.TestKit;

namespace Marketplace.Registration.Tests;

/// <summary>A draft is the applicant's own until it is submitted: to a registrar it does not exist.</summary>
[Collection(nameof(RegistrationHost))]
public sealed class DraftPrivacyTests(RegistrationApi api)
{
    private HttpClient Client => api.Client;

    [Fact]
    public async Task A_registrar_neither_lists_nor_reads_a_draft_and_cannot_decide_on_one()
    {
        var seller = api.Seller("private-drafts");
        var draft = await (await Client.Send(HttpMethod.Post, "/api/contracts", seller, RegistrationApi.Application(title: "尚未提交的合同草稿"))).Expect(201);
        var id = (string)draft["id"]!;
        var registrar = api.Registrar();

        var asked = await (await Client.Send(HttpMethod.Get, "/api/contracts?queue=true&status=draft", registrar)).Expect(400);
        Assert.NotNull(asked["errors"]!["status"]);
        var queue = await (await Client.Send(HttpMethod.Get, "/api/contracts?queue=true&pageSize=100", registrar)).Expect(200);
        Assert.DoesNotContain(queue["items"]!.AsArray(), a => (string)a!["id"]! == id);

        // the same answer as for an id never used: nothing says the draft exists
        var read = await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}", registrar)).Expect(404);
        Assert.Contains(id, (string)read["detail"]!);
        await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}", api.Seller("another-university"))).Expect(404);
        foreach (var (action, body) in new (string, object)[]
        {
            ("register", new { note = "材料齐全" }), ("refuse", new { reasons = new[] { "seals_mismatch" } }),
            ("return", new { note = "请补充附件" }), ("revoke", new { reason = "误登记" }),
        })
        {
            // the point's registrar is told there is nothing to decide yet (issue 13 item 4); another point's learns nothing
            await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/{action}", registrar, body)).Expect(409);
            await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/{action}", api.Registrar("zhuzhou"), body)).Expect(404);
        }

        var own = await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}", seller)).Expect(200);
        Assert.Equal("draft", (string)own["status"]!);
        Assert.Equal((long)draft["version"]!, (long)own["version"]!);
    }

    /// <summary>While the applicant corrects a returned application the registrar who returned it still follows it.</summary>
    [Fact]
    public async Task A_returned_application_stays_in_view_of_the_registrar_while_it_is_corrected()
    {
        var seller = api.Seller("correcting-org");
        var submitted = await api.Submitted(RegistrationApi.Application(title: "退回补正中的合同"), seller);
        var id = (string)submitted["id"]!;
        var registrar = api.Registrar();
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/return", registrar, new { note = "请补充技术指标附件" })).Expect(200);

        var read = await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}", registrar)).Expect(200);
        Assert.Equal("returned_for_correction", (string)read["status"]!);
        var queue = await (await Client.Send(HttpMethod.Get, "/api/contracts?queue=true&status=returned_for_correction&pageSize=100", registrar)).Expect(200);
        Assert.Contains(queue["items"]!.AsArray(), a => (string)a!["id"]! == id);
    }
}
