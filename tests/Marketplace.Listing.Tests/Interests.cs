using System.Text.Json.Nodes;
using Marketplace.TestKit;

namespace Marketplace.Listing.Tests;

/// <summary>What a client does with interests, in a line each.</summary>
public static class Interests
{
    public static object Body(string message = "我们对该成果很感兴趣，希望进一步了解技术细节和合作方式。", string? mode = "transfer", decimal? budget = 800000m, bool? withoutBroker = null) =>
        new { message, mode, budget, withoutBroker };

    public static Task<HttpResponseMessage> Express(this HttpClient client, string? token, string listingId, object? body = null, IDictionary<string, string>? headers = null) =>
        client.Send(HttpMethod.Post, $"/api/listings/{listingId}/interests", token, body ?? Body(), headers);

    /// <summary>Expresses an interest that must be accepted as a 201; returns it.</summary>
    public static async Task<JsonObject> Interest(this HttpClient client, string token, string listingId, object? body = null) =>
        await (await client.Express(token, listingId, body)).Expect(201);

    public static Task<HttpResponseMessage> Act(this HttpClient client, string token, string interestId, string action, object? body = null, IDictionary<string, string>? headers = null) =>
        client.Send(HttpMethod.Post, $"/api/interests/{interestId}/{action}", token, body, headers);

    public static async Task<JsonObject> Read(this HttpClient client, string token, string interestId) =>
        await (await client.Send(HttpMethod.Get, $"/api/interests/{interestId}", token)).Expect(200);

    public static async Task<JsonObject> Box(this HttpClient client, string token, string box, string query = "") =>
        await (await client.Send(HttpMethod.Get, $"/api/interests?box={box}{query}", token)).Expect(200);

    public static Task<HttpResponseMessage> Say(this HttpClient client, string token, string interestId, string text) =>
        client.Send(HttpMethod.Post, $"/api/interests/{interestId}/messages", token, new { text });

    public static async Task<JsonObject> Messages(this HttpClient client, string token, string interestId, string query = "") =>
        await (await client.Send(HttpMethod.Get, $"/api/interests/{interestId}/messages{query}", token)).Expect(200);

    public static string Id(this JsonObject resource) => (string)resource["id"]!;
}
