using System.Text.Json.Nodes;

namespace Marketplace.Matching.Tests;

/// <summary>The OpenAPI document is a contract a client can trust: each route lists the answers it can give, and no others.</summary>
public sealed class OpenApiTests(MatchingApi api) : IClassFixture<MatchingApi>
{
    [Theory]
    [InlineData("/api/search", "get", new[] { "200", "400" })]
    [InlineData("/api/search/suggest", "get", new[] { "200", "400" })]
    [InlineData("/api/matches/{listingId}", "get", new[] { "200", "400", "401", "403", "404" })]
    [InlineData("/api/matching/rebuild", "post", new[] { "202", "401", "403" })]
    public async Task Each_route_lists_the_problems_it_can_answer_with(string path, string method, string[] statuses)
    {
        var response = await api.Client.GetAsync("/openapi/v1.json");
        Assert.Equal(200, (int)response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        var responses = document["paths"]?[path]?[method]?["responses"]?.AsObject();
        Assert.NotNull(responses);
        Assert.Equal(statuses, responses.Select(r => r.Key).Order(StringComparer.Ordinal));
        foreach (var status in statuses.Where(s => s[0] == '4'))
            Assert.NotNull(responses[status]!["content"]?["application/problem+json"]);
    }
}
