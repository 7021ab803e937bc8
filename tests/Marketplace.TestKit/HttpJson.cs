using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marketplace.ServiceDefaults.Json;

namespace Marketplace.TestKit;

/// <summary>Small helpers so API tests read like what a client does.</summary>
public static class HttpJson
{
    public static JsonSerializerOptions Options => MarketJson.Wire;

    public static async Task<HttpResponseMessage> Send(this HttpClient client, HttpMethod method, string url, string? token = null, object? body = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is string raw) request.Content = new StringContent(raw, System.Text.Encoding.UTF8, "application/json");
        else if (body is not null) request.Content = JsonContent.Create(body, body.GetType(), options: Options);
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
            request.Headers.TryAddWithoutValidation(name, value);
        return await client.SendAsync(request);
    }

    public static async Task<JsonObject> Json(this HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        return JsonNode.Parse(text)?.AsObject() ?? throw new InvalidOperationException($"Not a JSON object: {text}");
    }

    /// <summary>Asserts the status and, for errors, that the body is a ProblemDetails; returns the body.</summary>
    public static async Task<JsonObject> Expect(this HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"Expected {status}, got {(int)response.StatusCode}: {text}"
            + ((int)response.StatusCode >= 500 ? "\nWhat the hosts logged last:\n" + ServerErrors.Recent() : ""));
        if (status >= 400)
        {
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = JsonNode.Parse(text)!.AsObject();
            Assert.Equal(status, (int)problem["status"]!);
            Assert.NotNull(problem["title"]);
            Assert.NotNull(problem["traceId"]);
            return problem;
        }
        return string.IsNullOrWhiteSpace(text) ? [] : JsonNode.Parse(text)!.AsObject();
    }
}
