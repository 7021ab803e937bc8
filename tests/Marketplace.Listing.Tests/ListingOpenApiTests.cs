using System.Text.Json.Nodes;

namespace Marketplace.Listing.Tests;

/// <summary>The OpenAPI document is a contract a client can trust: it names the problems each route can answer.</summary>
public sealed class ListingOpenApiTests(ListingApi api) : IClassFixture<ListingApi>
{
    [Theory]
    [InlineData("/api/listings", "post", new[] { "201", "400", "401", "403", "413", "415", "422" })]
    [InlineData("/api/listings", "get", new[] { "200", "400", "401", "403" })]
    [InlineData("/api/listings/{id}", "get", new[] { "200", "401", "403", "404" })]
    [InlineData("/api/listings/{id}", "put", new[] { "200", "400", "401", "403", "404", "409", "412", "413", "415", "428" })]
    [InlineData("/api/listings/{id}/proposals", "post", new[] { "201", "400", "401", "403", "404", "409", "413", "415" })]
    [InlineData("/api/listings/{id}/award", "post", new[] { "200", "400", "401", "403", "404", "409", "412", "413", "415" })]
    [InlineData("/api/listings/{id}/interests", "post", new[] { "201", "400", "401", "403", "404", "409", "413", "415", "422", "429" })]
    [InlineData("/api/interests", "get", new[] { "200", "400", "401", "403" })]
    [InlineData("/api/interests/funnel", "get", new[] { "200", "400", "401", "403" })]
    [InlineData("/api/interests/{id}", "get", new[] { "200", "401", "403", "404" })]
    [InlineData("/api/interests/{id}/accept", "post", new[] { "200", "400", "401", "403", "404", "409", "412", "413", "415" })]
    [InlineData("/api/interests/{id}/decline", "post", new[] { "200", "400", "401", "403", "404", "409", "412", "413", "415" })]
    [InlineData("/api/interests/{id}/withdraw", "post", new[] { "200", "400", "401", "403", "404", "409", "412" })]
    [InlineData("/api/interests/{id}/messages", "get", new[] { "200", "400", "401", "403", "404" })]
    [InlineData("/api/interests/{id}/messages", "post", new[] { "201", "400", "401", "403", "404", "409", "413", "415", "422" })]
    public async Task A_client_developer_reads_in_the_OpenAPI_document_every_answer_a_route_can_give(string path, string method, string[] statuses)
    {
        var operation = (await Document())["paths"]![path]![method]!;
        var responses = operation["responses"]!.AsObject();
        Assert.Equal(statuses, responses.Select(r => r.Key).Order());
        foreach (var problem in responses.Where(r => r.Key.StartsWith('4')))
            Assert.True(problem.Value!["content"]?["application/problem+json"] is not null, $"{method} {path} {problem.Key} is not a ProblemDetails");
    }

    [Fact]
    public async Task The_signed_in_user_is_read_from_the_token_not_asked_for_as_a_parameter()
    {
        var paths = (await Document())["paths"]!.AsObject();
        var parameters = paths.SelectMany(p => p.Value!.AsObject()).SelectMany(o => o.Value!["parameters"]?.AsArray() ?? []).Select(p => (string)p!["name"]!);
        Assert.DoesNotContain("user", parameters);
    }

    private async Task<JsonNode> Document() => JsonNode.Parse(await api.Client.GetStringAsync("/openapi/v1.json"))!;
}
