using System.Text.Json.Nodes;
using Marketplace.TestKit;

namespace Marketplace.Gateway.Tests;

/// <summary>
/// What a client developer reads: the OpenAPI documents say which problems each route can answer
/// with, and the interactive reference beside /docs shows every service's document, to anyone.
/// </summary>
public sealed class ApiDocumentTests(EmbeddedGateway embedded, IdleProxyGateway proxy)
    : IClassFixture<EmbeddedGateway>, IClassFixture<IdleProxyGateway>
{
    private static async Task<JsonObject> Document(HttpClient client, string name) =>
        await (await client.Send(HttpMethod.Get, $"/openapi/{name}.json")).Expect(200);

    private static List<string> Responses(JsonObject document, string path, string method) =>
        [.. document["paths"]![path]![method]!["responses"]!.AsObject().Select(r => r.Key)];

    [Fact]
    public async Task The_gateway_serves_its_own_OpenAPI_document_in_both_modes()
    {
        var all = await Document(embedded.CreateClient(), "v1");
        Assert.NotNull(all["paths"]!["/api/listings"]);
        Assert.NotNull(all["paths"]!["/api/auth/token"]);

        var own = await Document(proxy.CreateClient(), "v1");
        Assert.NotNull(own["paths"]!["/api/auth/token"]);
        Assert.Null(own["paths"]!["/api/listings"]); // the listing service's own document has it
    }

    [Fact]
    public async Task The_OpenAPI_document_lists_the_problems_sign_in_and_administration_can_answer_with()
    {
        var document = await Document(embedded.CreateClient(), "v1");

        Assert.Equal(["200", "400", "401", "413", "415", "429"], Responses(document, "/api/auth/token", "post").Order());
        Assert.Equal(["200", "401", "403", "404"], Responses(document, "/api/auth/me", "get").Order());
        Assert.Equal(["201", "400", "401", "403", "409", "413", "415"], Responses(document, "/api/admin/accounts", "post").Order());
        Assert.Equal(["200", "400", "401", "403"], Responses(document, "/api/admin/accounts", "get").Order());
        var problem = document["paths"]!["/api/admin/accounts"]!["post"]!["responses"]!["409"]!["content"]!.AsObject();
        Assert.Contains("application/problem+json", problem.Select(c => c.Key));
        // the created account is a named schema, not an untyped object
        Assert.NotNull(document["paths"]!["/api/admin/accounts"]!["post"]!["responses"]!["201"]!["content"]!["application/json"]!["schema"]!["$ref"]);
        // every module route sits behind the gateway's per-client rate limit
        Assert.Contains("429", Responses(document, "/api/listings", "get"));
    }

    [Fact]
    public async Task The_interactive_API_reference_is_public_and_lists_the_market_document_when_embedded()
    {
        var client = embedded.CreateClient();

        var page = await client.GetAsync(ApiReference.Path + "/");
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.IsSuccessStatusCode, $"{(int)page.StatusCode}: {html}");
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("\"url\":\"openapi/v1.json\"", html);
        Assert.DoesNotContain("openapi/listing.json", html);
        // Scalar's script comes from the gateway itself, not from a CDN
        Assert.Contains("<script src=\"scalar.js\">", html);
        var script = await client.GetAsync(ApiReference.Path + "/scalar.js");
        Assert.True(script.IsSuccessStatusCode);
        Assert.True((await script.Content.ReadAsByteArrayAsync()).Length > 100_000);
    }

    [Fact]
    public async Task The_interactive_API_reference_lists_every_services_document_in_proxy_mode()
    {
        var html = await proxy.CreateClient().GetStringAsync(ApiReference.Path + "/");

        foreach (var name in new[] { "listing", "matching", "broker", "registration", "v1" })
            Assert.Contains($"\"url\":\"openapi/{name}.json\"", html);
    }
}
