using System.Text.Json.Nodes;

namespace Marketplace.Broker.Tests;

/// <summary>The OpenAPI document is a contract a client can trust: each route lists the problems it can answer with, and only those.</summary>
public sealed class OpenApiTests(BrokerApi api) : IClassFixture<BrokerApi>
{
    private async Task<JsonNode> Operation(string path, string method)
    {
        var document = JsonNode.Parse(await api.Client.GetStringAsync("/openapi/v1.json"))!;
        var operation = document["paths"]?[path]?[method];
        Assert.True(operation is not null, $"{method.ToUpperInvariant()} {path} is not in the OpenAPI document.");
        return operation;
    }

    private async Task<JsonObject> Responses(string path, string method) => (await Operation(path, method))["responses"]!.AsObject();

    [Theory]
    [InlineData("/api/brokers", "post", "201 400 401 403 409 413 415")]
    [InlineData("/api/brokers", "get", "200 400 401 403")]
    [InlineData("/api/brokers/growth", "get", "200 400")]
    [InlineData("/api/brokers/me", "get", "200 401 403 404")]
    [InlineData("/api/brokers/{id}", "put", "200 400 401 403 404 409 412 413 415 428")]
    [InlineData("/api/brokers/{id}/stats", "get", "200 401 403 404")]
    [InlineData("/api/leads", "get", "200 400 401 403")]
    [InlineData("/api/leads/{id}/accept", "post", "201 400 401 403 404 409 412")]
    [InlineData("/api/leads/{id}/assign", "post", "200 400 401 403 404 409 412 413 415")]
    [InlineData("/api/deals", "post", "201 400 401 403 409 413 415 422")]
    [InlineData("/api/deals/{id}", "get", "200 401 403 404")]
    [InlineData("/api/deals/{id}/stage", "post", "200 400 401 403 404 409 412 413 415 428")]
    [InlineData("/api/deals/{id}/contract", "post", "200 400 401 403 404 409 412 413 415 422")]
    public async Task Each_route_lists_exactly_the_answers_it_can_give(string path, string method, string statuses)
    {
        var responses = await Responses(path, method);
        Assert.Equal(statuses.Split(' '), responses.Select(r => r.Key).Order());
        foreach (var (status, response) in responses.Where(r => r.Key.StartsWith('4')))
            Assert.True(response!["content"]?["application/problem+json"] is not null, $"{method} {path} {status} is not a ProblemDetails.");
    }

    [Fact]
    public async Task A_read_names_the_resource_it_answers_with()
    {
        var ok = (await Responses("/api/deals/{id}", "get"))["200"]!;
        var schema = ok["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
        Assert.EndsWith("/BrokerDealResponse", schema);
    }

    [Fact]
    public async Task The_signed_in_caller_is_not_a_parameter_a_client_sends()
    {
        var directory = await Operation("/api/brokers", "get");
        Assert.Equal(["field", "level", "page", "pageSize", "status", "subMarket"],
            directory["parameters"]!.AsArray().Select(p => (string)p!["name"]!).Order());
    }
}
