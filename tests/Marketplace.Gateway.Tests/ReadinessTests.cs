using System.Net;

namespace Marketplace.Gateway.Tests;

/// <summary>The gateway's readiness is its own: a backend that is down answers 503 on its routes only.</summary>
public sealed class ReadinessTests
{
    [Fact]
    public async Task A_backend_that_is_down_takes_out_its_routes_and_not_the_gateway()
    {
        // nothing listens behind the proxy; the active probes find that out within a second or two
        var settings = new[] { "listing", "matching", "broker", "registration" }.SelectMany(cluster => new[]
        {
            KeyValuePair.Create($"ReverseProxy:Clusters:{cluster}:HealthCheck:Active:Interval", "00:00:01"),
            KeyValuePair.Create($"ReverseProxy:Clusters:{cluster}:HealthCheck:Active:Timeout", "00:00:01"),
        }).ToDictionary();
        await using var gateway = new ProxyGateway(settings);
        var client = gateway.CreateClient();

        var deadline = DateTime.UtcNow.AddSeconds(60);
        HttpStatusCode contracts;
        do
        {
            await Task.Delay(250);
            contracts = (await client.GetAsync("/api/contracts")).StatusCode;
        }
        while (contracts != HttpStatusCode.ServiceUnavailable && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, contracts);

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        var backends = await client.GetAsync("/health/backends");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, backends.StatusCode);
        Assert.Contains("registration", await backends.Content.ReadAsStringAsync());
    }
}
