using System.Threading.RateLimiting;
using Marketplace.ServiceDefaults.Errors;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Marketplace.Gateway.Proxy;

public static class ProxySetup
{
    public const string ApiRateLimit = "api";

    /// <summary>Per-client limits: sign-in by address; the API by user (or address when anonymous).</summary>
    public static IServiceCollection AddGatewayRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var signInPerMinute = configuration.GetValue<int?>("Gateway:RateLimits:SignInPerMinute") ?? 20;
        var apiPerMinute = configuration.GetValue<int?>("Gateway:RateLimits:ApiPerMinute") ?? 1200;
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = async (context, ct) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : TimeSpan.FromSeconds(60);
                var problem = ProblemDetailsExceptionHandler.Map(new TooManyRequestsException("请求过于频繁，请稍后再试 / Too many requests; slow down.", retryAfter));
                context.HttpContext.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await context.HttpContext.RequestServices.GetRequiredService<IProblemDetailsService>()
                    .WriteAsync(new ProblemDetailsContext { HttpContext = context.HttpContext, ProblemDetails = problem });
            };
            o.AddPolicy(Identity.IdentityEndpoints.SignInRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                "ip:" + http.Connection.RemoteIpAddress,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = signInPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            o.AddPolicy(ApiRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.User.FindFirst("sub")?.Value is { } sub ? "user:" + sub : "ip:" + http.Connection.RemoteIpAddress,
                _ => new FixedWindowRateLimiterOptions { PermitLimit = apiPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
        });
        return services;
    }
}

/// <summary>
/// A read that failed on its way to one replica (refused, reset, timed out before any answer) is
/// sent to another replica of the same cluster. Only GET and HEAD, which change nothing, and only
/// while nothing has been written back to the client; the failed replica is reported to the
/// passive health check as usual, so the next requests avoid it too.
/// </summary>
public static class IdempotentRetry
{
    public static async Task Invoke(HttpContext context, Func<Task> next)
    {
        var method = context.Request.Method;
        if (!HttpMethods.IsGet(method) && !HttpMethods.IsHead(method))
        {
            await next();
            return;
        }
        var proxy = context.GetReverseProxyFeature();
        var candidates = proxy.AvailableDestinations.ToList();
        while (true)
        {
            await next();
            var failed = proxy.ProxiedDestination;
            if (context.GetForwarderErrorFeature() is null || context.Response.HasStarted || failed is null) return;
            candidates.Remove(failed);
            if (candidates.Count == 0) return; // no other replica: the 502/504 stands
            context.Features.Set<IForwarderErrorFeature>(null);
            context.Response.Clear();
            proxy.AvailableDestinations = candidates.ToArray();
            proxy.ProxiedDestination = null;
        }
    }
}

/// <summary>
/// Whether every proxied cluster has at least one healthy destination, at <c>/health/backends</c>:
/// for monitoring, never for the gateway's own readiness.
/// </summary>
public sealed class BackendsHealthCheck(IProxyStateLookup proxy) : IHealthCheck
{
    public const string Tag = "backends";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var down = proxy.GetClusters()
            .Where(c => !c.Destinations.Values.Any(IsUsable))
            .Select(c => c.ClusterId)
            .ToList();
        return Task.FromResult(down.Count == 0
            ? HealthCheckResult.Healthy("all backends available")
            : HealthCheckResult.Unhealthy("no healthy destination for: " + string.Join(", ", down)));
    }

    private static bool IsUsable(DestinationState destination) =>
        destination.Health.Active != DestinationHealth.Unhealthy && destination.Health.Passive != DestinationHealth.Unhealthy;
}
