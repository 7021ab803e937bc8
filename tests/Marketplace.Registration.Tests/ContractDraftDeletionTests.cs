using Marketplace.Registration.Applications;
using Marketplace.ServiceDefaults.Storage.Files;
using Marketplace.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Registration.Tests;

/// <summary><c>DELETE /api/contracts/{id}</c>: the applicant's organisation throws away a draft it no longer wants (issue 18 item 3).</summary>
[Collection(nameof(RegistrationHost))]
public sealed class ContractDraftDeletionTests(RegistrationApi api)
{
    private HttpClient Client => api.Client;

    private static Dictionary<string, string> IfMatch(string tag) => new() { ["If-Match"] = tag };

    private async Task<(string Id, long Version)> Draft(string seller, string title = "不再需要的合同草稿")
    {
        var draft = await (await Client.Send(HttpMethod.Post, "/api/contracts", seller, RegistrationApi.Application(title: title))).Expect(201);
        return ((string)draft["id"]!, (long)draft["version"]!);
    }

    [Fact]
    public async Task The_applicant_deletes_its_draft_and_the_drafts_documents_with_it()
    {
        var seller = api.Seller("draft-deleting-uni");
        var (id, _) = await Draft(seller);
        await Client.AttachContractText(id, seller);
        var current = await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}", seller)).Expect(200);
        var files = api.Services.GetRequiredKeyedService<IFileStore>(RegistrationModule.StoreKey);
        Assert.Equal(1, await files.CountAsync(ContractDocuments.Bucket, id));

        var deleted = await Client.Send(HttpMethod.Delete, $"/api/contracts/{id}", seller, headers: IfMatch($"\"{(long)current["version"]!}\""));

        Assert.Equal(System.Net.HttpStatusCode.NoContent, deleted.StatusCode);
        await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}", seller)).Expect(404);
        var mine = await (await Client.Send(HttpMethod.Get, "/api/contracts?mine=true&pageSize=100", seller)).Expect(200);
        Assert.DoesNotContain(mine["items"]!.AsArray(), a => (string)a!["id"]! == id);
        Assert.Equal(0, await files.CountAsync(ContractDocuments.Bucket, id));
        // deleting it again: there is nothing left
        await (await Client.Send(HttpMethod.Delete, $"/api/contracts/{id}", seller)).Expect(404);
    }

    [Fact]
    public async Task A_malformed_or_stale_If_Match_deletes_nothing()
    {
        var seller = api.Seller("draft-ifmatch-uni");
        var (id, version) = await Draft(seller);

        var malformed = await (await Client.Send(HttpMethod.Delete, $"/api/contracts/{id}", seller, headers: IfMatch("version-one"))).Expect(400);
        Assert.Contains("If-Match 必须是", malformed["errors"]!.ToJsonString(new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        await (await Client.Send(HttpMethod.Delete, $"/api/contracts/{id}", seller, headers: IfMatch($"\"{version + 5}\""))).Expect(412);
        await (await Client.Send(HttpMethod.Delete, "/api/contracts/not-an-id", seller)).Expect(404);

        var still = await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}", seller)).Expect(200);
        Assert.Equal("draft", (string)still["status"]!);
    }

    [Fact]
    public async Task Nobody_but_the_applicants_organisation_deletes_its_draft()
    {
        var seller = api.Seller("draft-owner-uni");
        var (id, _) = await Draft(seller);

        // to another university and to the point's registrar the draft does not exist, as on every other route
        var stranger = await (await Client.Send(HttpMethod.Delete, $"/api/contracts/{id}", api.Seller("draft-stranger-uni"))).Expect(404);
        Assert.Contains(id, (string)stranger["detail"]!);
        await (await Client.Send(HttpMethod.Delete, $"/api/contracts/{id}", api.Registrar())).Expect(403);
        await (await Client.Send(HttpMethod.Delete, $"/api/contracts/{id}", api.Tax())).Expect(403);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await Client.Send(HttpMethod.Delete, $"/api/contracts/{id}")).StatusCode);

        await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}", seller)).Expect(200);
    }

    [Fact]
    public async Task A_submitted_application_is_not_deleted()
    {
        var seller = api.Seller("draft-submitted-uni");
        var submitted = await api.Submitted(RegistrationApi.Application(title: "已提交的合同"), seller);
        var id = (string)submitted["id"]!;

        var refused = await (await Client.Send(HttpMethod.Delete, $"/api/contracts/{id}", seller)).Expect(409);
        Assert.Contains("只能删除草稿", (string)refused["detail"]!);
        // another organisation is refused as for any application that is not its own
        await (await Client.Send(HttpMethod.Delete, $"/api/contracts/{id}", api.Seller("draft-stranger-uni"))).Expect(403);

        var still = await (await Client.Send(HttpMethod.Get, $"/api/contracts/{id}", seller)).Expect(200);
        Assert.Equal("submitted", (string)still["status"]!);
    }
}
