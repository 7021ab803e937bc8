using System.Text.Json.Nodes;
using Marketplace.TestKit;

namespace Marketplace.EndToEnd.Tests;

/// <summary>
/// The distributed mode on one machine: the listing, matching, broker, registration and notifications hosts and the gateway in
/// proxy mode as separate processes, talking over the real RabbitMQ that ./test.sh started.
/// </summary>
public sealed class DistributedMarket : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "e2e-" + Guid.NewGuid().ToString("N"));

    public DistributedMarket()
    {
        var rabbit = RabbitFactAttribute.Uri ?? throw new InvalidOperationException("MARKETPLACE_TEST_RABBITMQ is not set.");
        var listingPort = ServiceProcess.FreePort();
        var gatewayPort = ServiceProcess.FreePort();
        var matchingPort = ServiceProcess.FreePort();
        var brokerPort = ServiceProcess.FreePort();
        var registrationPort = ServiceProcess.FreePort();
        var notificationsPort = ServiceProcess.FreePort();
        Listing = new ServiceProcess("listing", ServiceProcess.HostDll("services/Listing/Marketplace.Listing.Api", "Marketplace.Listing.Api"), listingPort, new Dictionary<string, string>
        {
            ["Storage__DataDirectory"] = Path.Combine(_directory, "listing"),
            ["Storage__RequireIndexedQueries"] = "true",
            ["Messaging__Transport"] = "RabbitMq",
            ["Messaging__RabbitMqUri"] = rabbit,
            ["Auth__Authority"] = $"http://127.0.0.1:{gatewayPort}",
            ["Outbox__PollInterval"] = "00:00:00.500",
        });
        Matching = new ServiceProcess("matching", ServiceProcess.HostDll("services/Matching/Marketplace.Matching.Api", "Marketplace.Matching.Api"), matchingPort, new Dictionary<string, string>
        {
            ["Storage__DataDirectory"] = Path.Combine(_directory, "matching"),
            ["Storage__RequireIndexedQueries"] = "true",
            ["Messaging__Transport"] = "RabbitMq",
            ["Messaging__RabbitMqUri"] = rabbit,
            ["Auth__Authority"] = $"http://127.0.0.1:{gatewayPort}",
            ["Instance__Id"] = MatchingInstance,
            ["Outbox__PollInterval"] = "00:00:00.500",
        });
        Broker = new ServiceProcess("broker", ServiceProcess.HostDll("services/Broker/Marketplace.Broker.Api", "Marketplace.Broker.Api"), brokerPort, new Dictionary<string, string>
        {
            ["Storage__DataDirectory"] = Path.Combine(_directory, "broker"),
            ["Storage__RequireIndexedQueries"] = "true",
            ["Messaging__Transport"] = "RabbitMq",
            ["Messaging__RabbitMqUri"] = rabbit,
            ["Auth__Authority"] = $"http://127.0.0.1:{gatewayPort}",
            ["Outbox__PollInterval"] = "00:00:00.500",
            ["Demo__Seed"] = "true",
        });
        Registration = new ServiceProcess("registration", ServiceProcess.HostDll("services/Registration/Marketplace.Registration.Api", "Marketplace.Registration.Api"), registrationPort, new Dictionary<string, string>
        {
            ["Storage__DataDirectory"] = Path.Combine(_directory, "registration"),
            ["Storage__RequireIndexedQueries"] = "true",
            ["Messaging__Transport"] = "RabbitMq",
            ["Messaging__RabbitMqUri"] = rabbit,
            ["Auth__Authority"] = $"http://127.0.0.1:{gatewayPort}",
            ["Outbox__PollInterval"] = "00:00:00.500",
        });
        Notifications = new ServiceProcess("notifications", ServiceProcess.HostDll("services/Notifications/Marketplace.Notifications.Api", "Marketplace.Notifications.Api"), notificationsPort, new Dictionary<string, string>
        {
            ["Storage__DataDirectory"] = Path.Combine(_directory, "notifications"),
            ["Storage__RequireIndexedQueries"] = "true",
            ["Messaging__Transport"] = "RabbitMq",
            ["Messaging__RabbitMqUri"] = rabbit,
            ["Auth__Authority"] = $"http://127.0.0.1:{gatewayPort}",
        });
        Gateway = new ServiceProcess("gateway", ServiceProcess.HostDll("gateway/Marketplace.Gateway", "Marketplace.Gateway"), gatewayPort, new Dictionary<string, string>
        {
            ["Gateway__Mode"] = "Proxy",
            ["Messaging__Transport"] = "RabbitMq",
            ["Messaging__RabbitMqUri"] = rabbit,
            ["Storage__DataDirectory"] = Path.Combine(_directory, "gateway"),
            ["Storage__RequireIndexedQueries"] = "true",
            ["Demo__Seed"] = "true",
            ["Gateway__RateLimits__SignInPerMinute"] = "1000",
            ["ReverseProxy__Clusters__listing__Destinations__primary__Address"] = $"http://127.0.0.1:{listingPort}",
            ["ReverseProxy__Clusters__matching__Destinations__primary__Address"] = $"http://127.0.0.1:{matchingPort}",
            ["ReverseProxy__Clusters__broker__Destinations__primary__Address"] = $"http://127.0.0.1:{brokerPort}",
            ["ReverseProxy__Clusters__matching__HealthCheck__Active__Interval"] = "00:00:01",
            ["ReverseProxy__Clusters__broker__HealthCheck__Active__Interval"] = "00:00:01",
            ["ReverseProxy__Clusters__registration__Destinations__primary__Address"] = $"http://127.0.0.1:{registrationPort}",
            ["ReverseProxy__Clusters__notifications__Destinations__primary__Address"] = $"http://127.0.0.1:{notificationsPort}",
            ["ReverseProxy__Clusters__notifications__HealthCheck__Active__Interval"] = "00:00:01",
            ["ReverseProxy__Clusters__registration__HealthCheck__Active__Interval"] = "00:00:01",
            ["ReverseProxy__Clusters__listing__HealthCheck__Active__Interval"] = "00:00:01",
            ["ReverseProxy__Clusters__listing__HealthCheck__Passive__ReactivationPeriod"] = "00:00:02",
        });
        // the directory's queue first, so that it hears the demo accounts the gateway announces as it starts
        // (on a broker that has never seen the market; later starts find the queue there)
        Notifications.Start();
        Notifications.WaitUntilReadyAsync().GetAwaiter().GetResult();
        Gateway.Start();
        Listing.Start();
        Matching.Start();
        Broker.Start();
        Registration.Start();
        Client = new HttpClient(new ProcessLogsOnFailure(this) { InnerHandler = new SocketsHttpHandler() }) { BaseAddress = Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ServiceProcess Listing { get; }
    public ServiceProcess Matching { get; }
    public ServiceProcess Broker { get; }
    public string MatchingInstance { get; } = "e2e-" + Guid.NewGuid().ToString("N")[..8];
    public ServiceProcess Registration { get; }
    public ServiceProcess Notifications { get; }
    public ServiceProcess Gateway { get; }
    public HttpClient Client { get; }

    public async Task StartAsync()
    {
        await Listing.WaitUntilReadyAsync();
        await Matching.WaitUntilReadyAsync();
        await Broker.WaitUntilReadyAsync();
        await Registration.WaitUntilReadyAsync();
        await Gateway.WaitUntilReadyAsync();
        // the gateway's readiness is its own: wait until its probes see every cluster healthy again
        await Gateway.WaitUntilReadyAsync("/health/backends");
    }

    public async Task<string> SignIn(string username)
    {
        var response = await Client.Send(HttpMethod.Post, "/api/auth/token", body: new { username, password = "Demo!2026" });
        return (string)(await response.Expect(200))["access_token"]!;
    }

    public static object Offer(int n) => new
    {
        kind = "offer",
        title = $"端到端测试成果 {n} 号：高性能锂电池隔膜",
        summary = "一种耐高温陶瓷涂覆锂电池隔膜的制备工艺与设备。",
        description = "该成果涉及陶瓷涂覆隔膜的浆料配方、涂布工艺与在线检测装置，已完成小试和中试验证，可授权或转让。",
        field = "new-energy",
        keywords = new[] { "锂电池", "隔膜" },
        maturity = 5,
        transferModes = new[] { "exclusive_license" },
        price = new { min = 100000m, max = 300000m },
    };

    public async Task<string> CreateAndSubmit(string token, int n)
    {
        var created = await (await Client.Send(HttpMethod.Post, "/api/listings", token, Offer(n))).Expect(201);
        var id = (string)created["id"]!;
        await (await Client.Send(HttpMethod.Post, $"/api/listings/{id}/submit", token)).Expect(200);
        return id;
    }

    public async Task<JsonObject> Get(string id, string token) =>
        await (await Client.Send(HttpMethod.Get, $"/api/listings/{id}", token)).Expect(200);

    public void Dispose()
    {
        Client.Dispose();
        Gateway.Dispose();
        Matching.Dispose();
        Broker.Dispose();
        Registration.Dispose();
        Notifications.Dispose();
        Listing.Dispose();
        try { Directory.Delete(_directory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>
/// A request that gets no answer at all (a closed connection, a timeout) fails with what the market's processes last
/// logged, which is where the reason is.
/// </summary>
internal sealed class ProcessLogsOnFailure(DistributedMarket market) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            return await base.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            var logs = string.Join('\n', new[] { market.Gateway, market.Registration, market.Listing, market.Matching, market.Broker, market.Notifications }
                .Select(p => $"--- {p.Name} ---\n{p.Output}"));
            throw new HttpRequestException($"{request.Method} {request.RequestUri} got no answer after {elapsed.Elapsed.TotalSeconds:0.0} s: {e}\n{logs}", e);
        }
    }
}
