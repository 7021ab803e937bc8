using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Marketplace.Gateway.Tests;

/// <summary>The gateway in proxy mode (its own appsettings.json routes) on a fresh data folder, with extra settings.</summary>
public class ProxyGateway(IReadOnlyDictionary<string, string> settings) : WebApplicationFactory<Program>
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "proxy-" + Guid.NewGuid().ToString("N"));

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Gateway:Mode", "Proxy");
        // the backends here are fakes, not bus consumers: the gateway's account events stay in-process
        builder.UseSetting("Messaging:Transport", "InMemory");
        builder.UseSetting("Storage:DataDirectory", _directory);
        builder.UseSetting("Storage:RequireIndexedQueries", "true");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing && Directory.Exists(_directory))
        {
            try { Directory.Delete(_directory, true); } catch (IOException) { }
        }
    }
}

/// <summary>The proxy-mode gateway with no backend running and none probed: for what it maps, not what it forwards to.</summary>
public sealed class IdleProxyGateway() : ProxyGateway(new[] { "listing", "matching", "broker", "registration" }
    .ToDictionary(cluster => $"ReverseProxy:Clusters:{cluster}:HealthCheck:Active:Enabled", _ => "false"));
