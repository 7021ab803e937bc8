using System.Text.Json.Nodes;
using Marketplace.TestKit;

namespace Marketplace.Registration.Tests;

/// <summary>The OpenAPI document is a contract a client can trust: each route lists the problems it can answer with, and only those.</summary>
[Collection(nameof(RegistrationHost))]
public sealed class OpenApiTests(RegistrationApi api)
{
    private async Task<JsonObject> Responses(string path, string method)
    {
        var document = await (await api.Client.Send(HttpMethod.Get, "/openapi/v1.json")).Expect(200);
        var operation = document["paths"]?[path]?[method];
        Assert.True(operation is not null, $"{method} {path} is not in the OpenAPI document");
        return operation["responses"]!.AsObject();
    }

    [Theory]
    [InlineData("/api/contracts", "post", new[] { "201", "400", "401", "403", "413", "415", "422" })]
    [InlineData("/api/contracts/{id}", "put", new[] { "200", "400", "401", "403", "404", "409", "412", "428" })]
    [InlineData("/api/contracts/{id}/register", "post", new[] { "200", "400", "401", "403", "404", "409", "412" })]
    [InlineData("/api/registrations/{number}/certificate", "get", new[] { "200", "401", "403", "404", "409" })]
    [InlineData("/api/verify/{number}/checks", "post", new[] { "201", "400", "401", "403", "404" })]
    [InlineData("/api/stats/turnover", "get", new[] { "200", "400" })]
    [InlineData("/api/working-calendar/{year}", "get", new[] { "200", "400", "404" })]
    [InlineData("/api/working-calendar/{year}", "put", new[] { "200", "400", "401", "403", "412", "413", "415" })]
    public async Task A_client_reads_in_the_OpenAPI_document_which_problems_a_route_can_answer_with(string path, string method, string[] statuses)
    {
        var responses = await Responses(path, method);
        foreach (var status in statuses) Assert.True(responses.ContainsKey(status), $"{method} {path} does not list {status}: {responses.ToJsonString()}");
        foreach (var problem in statuses.Where(s => s.StartsWith('4')))
            Assert.NotNull(responses[problem]!["content"]?["application/problem+json"]);
    }

    [Fact]
    public async Task The_document_upload_is_described_as_the_multipart_form_it_reads()
    {
        var document = await (await api.Client.Send(HttpMethod.Get, "/openapi/v1.json")).Expect(200);
        var form = document["paths"]?["/api/contracts/{id}/documents"]?["post"]?["requestBody"]?["content"]?["multipart/form-data"]?["schema"];
        Assert.True(form is not null, "the upload's form is not described");
        Assert.Equal(["contract_text", "annex"], form["properties"]!["kind"]!["enum"]!.AsArray().Select(k => (string)k!));
        Assert.Equal("binary", (string)form["properties"]!["file"]!["format"]!);
        var responses = document["paths"]!["/api/contracts/{id}/documents"]!["post"]!["responses"]!.AsObject();
        foreach (var status in new[] { "201", "400", "401", "403", "404", "409", "413", "415" }) Assert.True(responses.ContainsKey(status), status);
    }

    [Fact]
    public async Task Verifying_a_number_is_open_to_anyone_and_claims_no_problem_it_cannot_give()
    {
        var responses = await Responses("/api/verify/{number}", "get");
        Assert.Equal(["200"], responses.Select(r => r.Key));
    }

    [Fact]
    public async Task A_precheck_needs_sign_in_but_no_particular_role_so_it_claims_no_403()
    {
        var responses = await Responses("/api/contracts/precheck", "post");
        Assert.True(responses.ContainsKey("401"));
        Assert.False(responses.ContainsKey("403"), responses.ToJsonString());
    }
}
