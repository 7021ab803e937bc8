using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.Model;

namespace Marketplace.Gateway.Tests;

/// <summary>
/// The public API is the same in both modes: every route a module maps in embedded mode is
/// forwarded by a proxy route (<c>ReverseProxy:Routes</c> in appsettings.json) to the service that
/// owns it, and every proxy route leads to something a service answers.
/// </summary>
public sealed class RouteParityTests(EmbeddedGateway embedded, IdleProxyGateway proxy)
    : IClassFixture<EmbeddedGateway>, IClassFixture<IdleProxyGateway>
{
    private static readonly string[] Clusters = ["listing", "matching", "broker", "registration", "notifications"];

    /// <summary>A route the embedded gateway maps: its pattern, methods, and the module (cluster) whose code answers it.</summary>
    private sealed record Mapped(string Pattern, IReadOnlyList<string> Methods, string? Owner)
    {
        public override string ToString() => $"{string.Join(",", Methods)} {Pattern}";
    }

    private static List<Mapped> Routes(IServiceProvider services) =>
        [.. services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<RouteModel>() is null) // YARP's own endpoints are the proxy routes
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("/api", StringComparison.Ordinal) || raw.StartsWith("/openapi", StringComparison.Ordinal)))
            .Select(e => new Mapped(e.RoutePattern.RawText!, e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [], Owner(e)))];

    /// <summary>"listing" for a handler in Marketplace.Listing, and so on; null for the gateway's or the framework's.</summary>
    private static string? Owner(Endpoint endpoint)
    {
        var assembly = endpoint.Metadata.GetMetadata<MethodInfo>()?.DeclaringType?.Assembly.GetName().Name;
        return Clusters.FirstOrDefault(c => string.Equals(assembly, "Marketplace." + c, StringComparison.OrdinalIgnoreCase));
    }

    private IReadOnlyList<RouteConfig> ProxyRoutes =>
        [.. proxy.Services.GetRequiredService<IProxyStateLookup>().GetRoutes().Select(r => r.Config)];

    /// <summary>A concrete path the pattern answers: parameters get a value their constraints accept.</summary>
    private static string SamplePath(string pattern) =>
        "/" + string.Join("/", RoutePatternFactory.Parse(pattern).PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter when parameter.ParameterPolicies.Any(p => p.Content is "guid") => Guid.Empty.ToString(),
            RoutePatternParameterPart parameter when parameter.ParameterPolicies.Any(p => p.Content is "int" or "long") => "1",
            RoutePatternParameterPart => "sample",
            _ => throw new InvalidOperationException(pattern),
        }))));

    private static bool Matches(string routePattern, string path) =>
        new TemplateMatcher(TemplateParser.Parse(routePattern), new RouteValueDictionary()).TryMatch(path, new RouteValueDictionary());

    private static bool Allows(RouteConfig route, Mapped mapped) =>
        route.Match.Methods is not { Count: > 0 } allowed || mapped.Methods.Count > 0 && mapped.Methods.All(m => allowed.Contains(m, StringComparer.OrdinalIgnoreCase));

    private static string? PathSet(RouteConfig route) =>
        route.Transforms?.Select(t => t.TryGetValue("PathSet", out var path) ? path : null).FirstOrDefault(p => p is not null);

    [Fact]
    public void Every_module_route_is_forwarded_to_the_service_that_owns_it_with_the_api_rate_limit()
    {
        var servedByTheGateway = Routes(proxy.Services).Select(r => r.ToString()).ToHashSet();
        var moduleRoutes = Routes(embedded.Services).Where(r => !servedByTheGateway.Contains(r.ToString())).ToList();
        Assert.Contains(moduleRoutes, r => r.Pattern.StartsWith("/api/listings", StringComparison.Ordinal)); // the set is not empty by accident

        var problems = new List<string>();
        foreach (var mapped in moduleRoutes)
        {
            var path = SamplePath(mapped.Pattern);
            var forwarding = ProxyRoutes.Where(r => Matches(r.Match.Path!, path) && Allows(r, mapped)).ToList();
            if (mapped.Owner is null) problems.Add($"{mapped}: not the gateway's own, yet no module answers it");
            else if (forwarding.Count == 0) problems.Add($"{mapped}: no proxy route forwards {path}");
            else if (forwarding.FirstOrDefault(r => r.ClusterId != mapped.Owner) is { } wrong) problems.Add($"{mapped}: route {wrong.RouteId} sends it to {wrong.ClusterId}, not {mapped.Owner}");
            else if (forwarding.FirstOrDefault(r => r.RateLimiterPolicy != "api") is { } unlimited) problems.Add($"{mapped}: route {unlimited.RouteId} lacks the api rate limit");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_proxy_route_reaches_a_route_of_the_service_it_targets()
    {
        var mapped = Routes(embedded.Services);

        var problems = new List<string>();
        foreach (var route in ProxyRoutes)
        {
            var reaches = PathSet(route) is { } rewritten
                // every service maps the same defaults (OpenAPI, health) as the embedded gateway
                ? mapped.Any(m => Matches(m.Pattern, rewritten))
                : mapped.Any(m => m.Owner == route.ClusterId && Matches(route.Match.Path!, SamplePath(m.Pattern)));
            if (!reaches) problems.Add($"route {route.RouteId} ({route.Match.Path} → {route.ClusterId}) reaches nothing the service maps");
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Each_services_OpenAPI_document_is_forwarded_and_listed_in_the_API_reference()
    {
        foreach (var cluster in Clusters)
        {
            var route = Assert.Single(ProxyRoutes, r => Matches(r.Match.Path!, $"/openapi/{cluster}.json"));
            Assert.Equal(cluster, route.ClusterId);
            Assert.Equal("/openapi/v1.json", PathSet(route));
        }
        Assert.Equal([.. Clusters, "v1"], ApiReference.Documents(embedded: false).Select(d => d.Name));
        Assert.Equal(["v1"], ApiReference.Documents(embedded: true).Select(d => d.Name));
    }
}
