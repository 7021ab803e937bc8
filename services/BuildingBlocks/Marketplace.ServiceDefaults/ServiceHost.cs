using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace Marketplace.ServiceDefaults;

/// <summary>
/// A service host for distributed mode: the hosting defaults, token validation against the
/// gateway's keys, one service module, the bus — or, with <c>healthcheck</c> as the first argument,
/// a readiness probe of a running host (<see cref="HealthProbe"/>).
/// </summary>
public static class ServiceHost
{
    public static int Run(string[] args, Action<IHostApplicationBuilder> addModule, Action<IEndpointRouteBuilder> mapModule)
    {
        if (HealthProbe.RunIfAsked(args) is { } exitCode) return exitCode;

        var builder = WebApplication.CreateBuilder(args);
        builder.AddServiceDefaults();
        builder.AddMarketAuthentication();
        addModule(builder);
        builder.AddMarketMessaging();

        var app = builder.Build();
        app.UseServiceDefaults();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapServiceDefaults();
        mapModule(app);
        app.Run();
        return 0;
    }
}
