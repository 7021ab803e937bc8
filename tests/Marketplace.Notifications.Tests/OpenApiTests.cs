using System.Text.Json.Nodes;

namespace Marketplace.Notifications.Tests;

/// <summary>The OpenAPI document is a contract a client can trust: each route lists the problems it can answer with, and only those.</summary>
public sealed class OpenApiTests(NotificationsApi api) : IClassFixture<NotificationsApi>
{
    private async Task<JsonNode> Document() => JsonNode.Parse(await api.Client.GetStringAsync("/openapi/v1.json"))!;

    private async Task<JsonNode> Operation(string path, string method)
    {
        var operation = (await Document())["paths"]?[path]?[method];
        Assert.True(operation is not null, $"{method.ToUpperInvariant()} {path} is not in the OpenAPI document.");
        return operation;
    }

    [Theory]
    [InlineData("/api/notifications", "get", "200 400 401 403")]
    [InlineData("/api/notifications/unread", "get", "200 401 403")]
    [InlineData("/api/notifications/{id}/read", "post", "200 401 403 404")]
    [InlineData("/api/notifications/read-all", "post", "200 401 403")]
    [InlineData("/api/notifications/settings", "get", "200 401 403")]
    [InlineData("/api/notifications/settings", "put", "200 400 401 403 412 413 415")]
    public async Task Each_route_lists_exactly_the_answers_it_can_give(string path, string method, string statuses)
    {
        var responses = (await Operation(path, method))["responses"]!.AsObject();
        Assert.Equal(statuses.Split(' '), responses.Select(r => r.Key).Order());
        foreach (var (status, response) in responses.Where(r => r.Key.StartsWith('4')))
            Assert.True(response!["content"]?["application/problem+json"] is not null, $"{method} {path} {status} is not a ProblemDetails.");
    }

    [Fact]
    public async Task The_list_names_its_page_and_its_filters_and_not_the_signed_in_caller()
    {
        var list = await Operation("/api/notifications", "get");
        Assert.Equal(["page", "pageSize", "unread"], list["parameters"]!.AsArray().Select(p => (string)p!["name"]!).Order());
        var schema = list["responses"]!["200"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>();
        Assert.EndsWith("/NotificationsNotificationPage", schema);
    }

    [Fact]
    public async Task The_notification_and_settings_shapes_are_documented()
    {
        var schemas = (await Document())["components"]!["schemas"]!.AsObject();
        var notification = schemas["NotificationsNotificationResponse"]!["properties"]!.AsObject();
        Assert.Equal(["body", "createdAt", "id", "kind", "link", "read", "readAt", "title"], notification.Select(p => p.Key).Order());
        var settings = schemas["NotificationsNotificationSettingsResponse"]!["properties"]!.AsObject();
        Assert.Equal(["customEmail", "email", "emailKinds", "mailEnabled"], settings.Select(p => p.Key).Order());
    }
}
