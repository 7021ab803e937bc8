using System.Net;
using Marketplace.TestKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Marketplace.Gateway.Tests;

/// <summary>
/// The gateway in proxy mode in front of two replicas of the listing service, one of them dead:
/// a read that hits the dead one is answered by the other; a write is never sent twice.
/// </summary>
public sealed class ProxyRetryTests : IAsyncLifetime
{
    private readonly int _deadPort = ServiceProcess.FreePort();
    private WebApplication? _live;
    private int _reads;
    private int _writes;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{ServiceProcess.FreePort()}");
        _live = builder.Build();
        _live.MapGet("/api/listings/{id}", (string id) =>
        {
            Interlocked.Increment(ref _reads);
            return Results.Json(new { id, replica = "live" });
        });
        _live.MapPost("/api/listings", () =>
        {
            Interlocked.Increment(ref _writes);
            return Results.Json(new { created = true }, statusCode: 201);
        });
        await _live.StartAsync();
    }

    [Fact]
    public async Task A_read_that_meets_a_dead_replica_is_answered_by_the_other_and_a_write_is_not_repeated()
    {
        using var gateway = new ProxyGateway(new Dictionary<string, string>
        {
            // "primary" sorts first, so every request tries the dead replica first
            ["ReverseProxy:Clusters:listing:LoadBalancingPolicy"] = "FirstAlphabetical",
            ["ReverseProxy:Clusters:listing:HealthCheck:Active:Enabled"] = "false",
            ["ReverseProxy:Clusters:listing:HealthCheck:Passive:Enabled"] = "false",
            ["ReverseProxy:Clusters:listing:Destinations:primary:Address"] = $"http://127.0.0.1:{_deadPort}",
            ["ReverseProxy:Clusters:listing:Destinations:secondary:Address"] = _live!.Urls.Single(),
        });
        var client = gateway.CreateClient();

        var write = await client.Send(HttpMethod.Post, "/api/listings", body: new { title = "x" });
        Assert.Equal(HttpStatusCode.BadGateway, write.StatusCode);
        Assert.Equal(0, _writes);

        for (var i = 0; i < 10; i++)
        {
            var read = await client.Send(HttpMethod.Get, $"/api/listings/{i}");
            var body = await read.Expect(200);
            Assert.Equal("live", (string)body["replica"]!);
        }
        Assert.Equal(10, _reads);
    }

    [Fact]
    public async Task With_every_replica_dead_a_read_fails_once_and_plainly()
    {
        using var gateway = new ProxyGateway(new Dictionary<string, string>
        {
            ["ReverseProxy:Clusters:listing:HealthCheck:Active:Enabled"] = "false",
            ["ReverseProxy:Clusters:listing:HealthCheck:Passive:Enabled"] = "false",
            ["ReverseProxy:Clusters:listing:Destinations:primary:Address"] = $"http://127.0.0.1:{_deadPort}",
            ["ReverseProxy:Clusters:listing:Destinations:secondary:Address"] = $"http://127.0.0.1:{ServiceProcess.FreePort()}",
        });
        var read = await gateway.CreateClient().Send(HttpMethod.Get, "/api/listings/1");
        Assert.Equal(HttpStatusCode.BadGateway, read.StatusCode);
        Assert.Equal(0, _reads);
    }

    public async Task DisposeAsync()
    {
        if (_live is not null) await _live.DisposeAsync();
    }
}
