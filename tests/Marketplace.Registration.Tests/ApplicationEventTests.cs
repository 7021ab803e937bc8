using Marketplace.Contracts.Registration;
using Marketplace.TestKit;

namespace Marketplace.Registration.Tests;

/// <summary>What an application's organisation and the point's registrars are told: submissions, returns, refusals and revocations, each naming the applicant.</summary>
[Collection(nameof(RegistrationHost))]
public sealed class ApplicationEventTests(RegistrationApi api)
{
    private HttpClient Client => api.Client;

    [Fact]
    public async Task Submitting_and_resubmitting_after_a_return_are_announced_and_the_return_says_what_to_correct()
    {
        var seller = api.Seller("event-university");
        var draft = await (await Client.Send(HttpMethod.Post, "/api/contracts", seller, RegistrationApi.Application(title: "风电叶片检测技术服务合同"))).Expect(201);
        var id = Guid.Parse((string)draft["id"]!);
        await Client.AttachContractText(id, seller);
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/submit", seller)).Expect(200);

        var submitted = await api.Published<ApplicationSubmitted>(m => m.ContractId == id);
        Assert.Equal("event-university", submitted.ApplicantOrg);
        Assert.Equal("changsha", submitted.RegistrationPoint);
        Assert.Equal("风电叶片检测技术服务合同", submitted.ContractName);
        Assert.Equal(api.Clock.Now, submitted.SubmittedAt);

        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/return", api.Registrar(), new { note = "请补充检测报告" })).Expect(200);
        var returned = await api.Published<ApplicationReturned>(m => m.ContractId == id);
        Assert.Equal(("event-university", "changsha", "风电叶片检测技术服务合同", "请补充检测报告"),
            (returned.ApplicantOrg, returned.RegistrationPoint, returned.ContractName, returned.Note));

        var resubmittedAt = api.Clock.Now.AddDays(2);
        api.Clock.Now = resubmittedAt;
        try
        {
            await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/submit", seller)).Expect(200);
            var resubmitted = await api.Published<ApplicationSubmitted>(m => m.ContractId == id && m.SubmittedAt == resubmittedAt);
            Assert.Equal("风电叶片检测技术服务合同", resubmitted.ContractName);
        }
        finally
        {
            api.Clock.Now = resubmittedAt.AddDays(-2);
        }
        Assert.Equal(2, CountSubmitted(id));
        Assert.Single(api.Harness.Published.Select<ApplicationReturned>(), m => m.Context.Message.ContractId == id);
    }

    [Fact]
    public async Task A_submission_the_rules_refuse_is_not_announced()
    {
        var seller = api.Seller("event-incomplete");
        var draft = await (await Client.Send(HttpMethod.Post, "/api/contracts", seller, new { title = "未完成的合同", type = "transfer" })).Expect(201);
        var id = Guid.Parse((string)draft["id"]!);
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{id}/submit", seller)).Expect(400);
        // a later, valid submission of another application is announced; this one never is
        var other = await api.Submitted(seller: seller);
        await api.Published<ApplicationSubmitted>(m => m.ContractId == Guid.Parse((string)other["id"]!));
        Assert.Equal(0, CountSubmitted(id));
    }

    [Fact]
    public async Task A_refusal_and_a_revocation_name_the_applicant()
    {
        var refusedOne = await api.Submitted(seller: api.Seller("event-refused"));
        var refusedId = Guid.Parse((string)refusedOne["id"]!);
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{refusedId}/refuse", api.Registrar(), new { reasons = new[] { "seals_mismatch" } })).Expect(200);
        Assert.Equal("event-refused", (await api.Published<ContractRefused>(m => m.ContractId == refusedId)).ApplicantOrg);

        var registered = await api.Registered(seller: api.Seller("event-revoked"));
        var revokedId = Guid.Parse((string)registered["id"]!);
        await (await Client.Send(HttpMethod.Post, $"/api/contracts/{revokedId}/revoke", api.Registrar(), new { reason = "合同被依法确认无效" })).Expect(200);
        var revoked = await api.Published<RegistrationRevoked>(m => m.ContractId == revokedId);
        Assert.Equal("event-revoked", revoked.ApplicantOrg);
        Assert.Equal((string)registered["registrationNumber"]!, revoked.RegistrationNumber);
    }

    private int CountSubmitted(Guid id) => api.Harness.Published.Select<ApplicationSubmitted>().Count(m => m.Context.Message.ContractId == id);
}
