using System.Net;
using System.Xml.Linq;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.AspNetCore.HttpOverrides;

namespace Marketplace.Gateway;

/// <summary>
/// What the front door does before any route: trusts forwarded headers only from configured proxies
/// (so limits count real clients behind an ingress), refuses request headers a backend could not
/// carry, sends the browser security headers, and keeps the data-protection key ring (portal cookies,
/// antiforgery) in the gateway's store so every replica and every restart reads the same keys.
/// </summary>
public static class EdgeSecurity
{
    /// <summary>
    /// The portal's policy: scripts and styles from the gateway only (Ant Design sets style attributes,
    /// hence 'unsafe-inline' for styles alone); Blazor's circuit is a WebSocket to the same origin.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

    /// <summary>
    /// The API reference (Scalar) starts itself with an inline module script: inline scripts are
    /// allowed on that page alone, which shows the public OpenAPI documents and no user content.
    /// </summary>
    public const string ApiReferencePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
        "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'";

    public static WebApplicationBuilder AddEdgeSecurity(this WebApplicationBuilder builder, string storeKey)
    {
        // parsed here, so a mistyped address stops the start instead of failing every request
        var proxies = (builder.Configuration.GetSection("Gateway:ForwardedHeaders:KnownProxies").Get<string[]>() ?? []).Select(IPAddress.Parse).ToList();
        var networks = (builder.Configuration.GetSection("Gateway:ForwardedHeaders:KnownNetworks").Get<string[]>() ?? []).Select(n => System.Net.IPNetwork.Parse(n)).ToList();
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // loopback stays trusted (the portal's own calls); an ingress is trusted only when configured
            foreach (var proxy in proxies) o.KnownProxies.Add(proxy);
            foreach (var network in networks) o.KnownIPNetworks.Add(network);
        });
        builder.Services.AddHsts(o =>
        {
            o.MaxAge = TimeSpan.FromDays(365);
            o.IncludeSubDomains = false; // the market does not speak for the rest of its domain
        });
        builder.Services.AddDataProtection().SetApplicationName("xiaoxiang-market");
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>((o, services) =>
            o.XmlRepository = new StoreXmlRepository(services.GetRequiredKeyedService<IDocumentStore>(storeKey)));
        return builder;
    }

    public static WebApplication UseEdgeSecurity(this WebApplication app)
    {
        app.UseForwardedHeaders();
        if (!app.Environment.IsDevelopment()) app.UseHsts(); // sent on HTTPS requests only, as RFC 6797 says
        app.Use((context, next) =>
        {
            RefuseInvalidHeaders(context.Request);
            var response = context.Response;
            response.OnStarting(() =>
            {
                response.Headers.XContentTypeOptions = "nosniff";
                response.Headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
                if (response.ContentType?.StartsWith("text/html", StringComparison.OrdinalIgnoreCase) == true)
                    response.Headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments(ApiReference.Path) ? ApiReferencePolicy : ContentSecurityPolicy;
                return Task.CompletedTask;
            });
            return next(context);
        });
        return app;
    }

    /// <summary>
    /// Header values are visible ASCII, spaces and tabs (RFC 9110 §5.5 without obs-text): anything else
    /// cannot be forwarded to a backend, and a request that fails there would count against its health.
    /// </summary>
    private static void RefuseInvalidHeaders(HttpRequest request)
    {
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                if (value is null || value.All(c => c is '\t' or (>= ' ' and <= '~'))) continue;
                throw ValidationFailedException.For("headers",
                    $"请求头 {name} 只能含可见 ASCII 字符（其他文字请先编码）/ The {name} header may hold visible ASCII characters only; encode anything else.");
            }
        }
    }
}

/// <summary>The data-protection key ring as documents of the gateway's store (collection <c>dataprotection_keys</c>).</summary>
internal sealed class StoreXmlRepository(IDocumentStore store) : IXmlRepository
{
    private const string Collection = "dataprotection_keys";

    // Data protection reads and writes its key ring synchronously, rarely (at start, then about once a day).
    public IReadOnlyCollection<XElement> GetAllElements()
    {
        var elements = new List<XElement>();
        for (var skip = 0; ; skip += 100)
        {
            var page = store.QueryAsync(Collection, new DocumentQuery { Skip = skip, Take = 100, CountTotal = false }).GetAwaiter().GetResult();
            elements.AddRange(page.Items.Select(d => XElement.Parse(d.Body)));
            if (page.Items.Count < 100) return elements;
        }
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        var id = string.IsNullOrEmpty(friendlyName) ? Guid.NewGuid().ToString("N") : friendlyName;
        store.InsertAsync(Collection, new StoredDocument { Id = id, Body = element.ToString(SaveOptions.DisableFormatting) }).GetAwaiter().GetResult();
    }
}
