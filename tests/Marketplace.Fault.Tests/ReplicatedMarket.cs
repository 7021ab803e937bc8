using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Marketplace.TestKit;
using MongoDB.Driver;

namespace Marketplace.Fault.Tests;

public enum SharedStore { LiteDb, MongoDb }

/// <summary>
/// The distributed market with two replicas of the listing, matching and registration services,
/// each its own process, behind one gateway in proxy mode, over the real RabbitMQ of ./test.sh.
/// The replicas of a service share one store: one LiteDB file opened in shared mode, or one
/// MongoDB database when MARKETPLACE_TEST_MONGO is set. Each matching replica keeps its own index
/// and its own queue, as in production.
/// </summary>
public sealed class ReplicatedMarket : IAsyncDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "fault-" + Guid.NewGuid().ToString("N"));
    private readonly string _tag = Guid.NewGuid().ToString("N")[..8];
    private readonly SharedStore _store;

    public ReplicatedMarket(SharedStore store)
    {
        _store = store;
        var rabbit = RabbitFactAttribute.Uri ?? throw new InvalidOperationException("MARKETPLACE_TEST_RABBITMQ is not set.");
        Directory.CreateDirectory(_directory);
        var gatewayPort = ServiceProcess.FreePort();

        // both registration replicas sign with the one key a deployment hands them as a file
        var signingKey = Path.Combine(_directory, "registration-signing.pem");
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256)) File.WriteAllText(signingKey, key.ExportECPrivateKeyPem());

        ServiceProcess Replica(string service, string project, string assembly, char replica, Dictionary<string, string> extra)
        {
            var environment = new Dictionary<string, string>
            {
                ["Messaging__Transport"] = "RabbitMq",
                ["Messaging__RabbitMqUri"] = rabbit,
                ["Auth__Authority"] = $"http://127.0.0.1:{gatewayPort}",
                ["Outbox__PollInterval"] = "00:00:00.500",
                ["Instance__Id"] = $"{service}-{replica}-{_tag}",
            };
            if (store == SharedStore.LiteDb)
            {
                environment["Storage__DataDirectory"] = Path.Combine(_directory, service);
                environment["Storage__LiteDbConnection"] = "Shared";
            }
            else
            {
                environment["Storage__DataDirectory"] = Path.Combine(_directory, $"{service}-{replica}");
                environment["Storage__Provider"] = "MongoDb";
                environment["Storage__MongoConnectionString"] = MongoFactAttribute.ConnectionString!;
                environment["Storage__MongoDatabasePrefix"] = $"fault-{_tag}-";
            }
            foreach (var (k, v) in extra) environment[k] = v;
            return new ServiceProcess($"{service}-{replica}", ServiceProcess.HostDll(project, assembly), ServiceProcess.FreePort(), environment);
        }

        Listing = [.. "ab".Select(r => Replica("listing", "services/Listing/Marketplace.Listing.Api", "Marketplace.Listing.Api", r, []))];
        Matching = [.. "ab".Select(r => Replica("matching", "services/Matching/Marketplace.Matching.Api", "Marketplace.Matching.Api", r, new()
        {
            ["Matching__IndexPath"] = Path.Combine(_directory, $"matching-index-{r}"),
            ["Matching__QueueExpiry"] = "00:10:00",
        }))];
        Registration = [.. "ab".Select(r => Replica("registration", "services/Registration/Marketplace.Registration.Api", "Marketplace.Registration.Api", r, new()
        {
            ["Registration__SigningKeyFile"] = signingKey,
        }))];

        var gateway = new Dictionary<string, string>
        {
            ["Gateway__Mode"] = "Proxy",
            ["Messaging__Transport"] = "RabbitMq",
            ["Messaging__RabbitMqUri"] = rabbit,
            ["Storage__DataDirectory"] = Path.Combine(_directory, "gateway"),
            ["Demo__Seed"] = "true",
            ["Gateway__RateLimits__SignInPerMinute"] = "1000",
            ["Gateway__RateLimits__ApiPerMinute"] = "100000",
        };
        foreach (var (cluster, replicas) in new[] { ("listing", Listing), ("matching", Matching), ("registration", Registration) })
        {
            gateway[$"ReverseProxy__Clusters__{cluster}__Destinations__primary__Address"] = replicas[0].BaseAddress.ToString();
            gateway[$"ReverseProxy__Clusters__{cluster}__Destinations__secondary__Address"] = replicas[1].BaseAddress.ToString();
            gateway[$"ReverseProxy__Clusters__{cluster}__HealthCheck__Active__Interval"] = "00:00:01";
            gateway[$"ReverseProxy__Clusters__{cluster}__HealthCheck__Active__Timeout"] = "00:00:01";
            gateway[$"ReverseProxy__Clusters__{cluster}__HealthCheck__Passive__ReactivationPeriod"] = "00:00:05";
        }
        Gateway = new ServiceProcess("gateway", ServiceProcess.HostDll("gateway/Marketplace.Gateway", "Marketplace.Gateway"), gatewayPort, gateway);
        Client = new HttpClient { BaseAddress = Gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ServiceProcess Gateway { get; }
    public IReadOnlyList<ServiceProcess> Listing { get; }
    public IReadOnlyList<ServiceProcess> Matching { get; }
    public IReadOnlyList<ServiceProcess> Registration { get; }
    public HttpClient Client { get; }

    private IEnumerable<ServiceProcess> Services => [.. Listing, .. Matching, .. Registration];

    public async Task StartAsync()
    {
        Gateway.Start();
        await Gateway.WaitUntilReadyAsync("/health/live");
        // the first replica of each service creates the store; the second joins it
        foreach (var first in new[] { Listing[0], Matching[0], Registration[0] }) first.Start();
        foreach (var first in new[] { Listing[0], Matching[0], Registration[0] }) await first.WaitUntilReadyAsync(timeout: TimeSpan.FromSeconds(90));
        foreach (var second in new[] { Listing[1], Matching[1], Registration[1] }) second.Start();
        foreach (var second in new[] { Listing[1], Matching[1], Registration[1] }) await second.WaitUntilReadyAsync(timeout: TimeSpan.FromSeconds(90));
        // the gateway's own active checks see every replica before traffic starts
        await Task.Delay(TimeSpan.FromSeconds(2));
    }

    /// <summary>A client that talks to one replica directly, bypassing the gateway.</summary>
    public static HttpClient Direct(ServiceProcess replica) => new() { BaseAddress = replica.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    public async Task<string> SignIn(string username)
    {
        var response = await Client.Send(HttpMethod.Post, "/api/auth/token", body: new { username, password = "Demo!2026" });
        return (string)(await response.Expect(200))["access_token"]!;
    }

    /// <summary>The last lines each process wrote, for a failure message.</summary>
    public string Logs() => string.Join("\n\n", Services.Append(Gateway).Select(p => $"--- {p.Name}\n{string.Join('\n', p.Output.Split('\n').TakeLast(30))}"));

    public static JsonObject Offer(string batch, int n) => new()
    {
        ["kind"] = "offer",
        ["title"] = $"故障演练成果 {batch}-{n} 号：固态锂电池电解质膜",
        ["summary"] = "一种硫化物固态电解质薄膜的连续制备工艺。",
        ["description"] = "该成果包括电解质浆料配方、干法成膜工艺与界面修饰方法，已完成中试验证，可许可或转让。",
        ["field"] = "new-energy",
        ["keywords"] = new JsonArray("固态电池", "电解质"),
        ["maturity"] = 6,
        ["transferModes"] = new JsonArray("exclusive_license"),
        ["price"] = new JsonObject { ["min"] = 200000m, ["max"] = 500000m },
    };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Gateway.Dispose();
        foreach (var service in Services) service.Dispose();
        if (_store == SharedStore.MongoDb)
        {
            var client = new MongoClient(MongoFactAttribute.ConnectionString);
            foreach (var name in (await client.ListDatabaseNamesAsync()).ToList().Where(n => n.StartsWith($"fault-{_tag}-", StringComparison.Ordinal)))
                await client.DropDatabaseAsync(name);
        }
        try { Directory.Delete(_directory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
