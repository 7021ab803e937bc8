using System.Net;
using Marketplace.TestKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Gateway.Tests;

/// <summary>The gateway in embedded mode (every module in-process) on a fresh data folder.</summary>
public class EmbeddedGateway : WebApplicationFactory<Program>
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gateway-" + Guid.NewGuid().ToString("N"));

    protected virtual int SignInPerMinute => 10_000;

    public string DataDirectory => _directory;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:DataDirectory", _directory);
        builder.UseSetting("Storage:RequireIndexedQueries", "true");
        builder.UseSetting("Gateway:RateLimits:SignInPerMinute", SignInPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Outbox:PollInterval", "00:00:00.200");
        builder.ConfigureServices(services => services.AddTransient<IStartupFilter, ClientAddressFromHeader>());
    }

    public async Task<string> SignIn(string username, string password = "Demo!2026")
    {
        var response = await CreateClient().Send(HttpMethod.Post, "/api/auth/token", body: new { username, password });
        return (string)(await response.Expect(200))["access_token"]!;
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

/// <summary>
/// Lets a test speak from a client address of its choosing (header <see cref="Header"/>), as
/// Kestrel would report the remote end of the connection; without the header TestServer leaves it unset.
/// </summary>
public sealed class ClientAddressFromHeader : IStartupFilter
{
    public const string Header = "X-Test-Client-Address";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((http, inner) =>
        {
            if (IPAddress.TryParse(http.Request.Headers[Header].ToString(), out var address)) http.Connection.RemoteIpAddress = address;
            return inner(http);
        });
        next(app);
    };
}

public sealed class StrictSignInGateway : EmbeddedGateway
{
    protected override int SignInPerMinute => 3;
}
