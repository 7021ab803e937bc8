using Marketplace.Broker;
using Marketplace.Gateway.Identity;
using Marketplace.Gateway.Proxy;
using Marketplace.Listing;
using Marketplace.Matching;
using Marketplace.Notifications;
using Marketplace.Portal;
using Marketplace.Registration;
using Marketplace.ServiceDefaults;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.ServiceDefaults.Storage.Files;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Identity;

namespace Marketplace.Gateway;

/// <summary>
/// The front door. <c>Gateway:Mode</c> = <c>Embedded</c> (default) hosts the service modules in
/// this process on the in-memory bus and LiteDB; <c>Proxy</c> forwards the explicitly listed
/// routes to separate service processes with YARP.
/// </summary>
public static class GatewayHost
{
    public const string StoreKey = "gateway";

    public static bool IsEmbedded(IConfiguration configuration) =>
        !string.Equals(configuration["Gateway:Mode"], "Proxy", StringComparison.OrdinalIgnoreCase);

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // named after this assembly even when a test host starts it: the static-assets manifests carry its name
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ApplicationName = typeof(GatewayHost).Assembly.GetName().Name });
        configure?.Invoke(builder);
        // the portal's files (and Ant Design's) come from the build output in every environment;
        // a published app has them in wwwroot and this finds nothing more to add
        builder.WebHost.UseStaticWebAssets();
        var embedded = IsEmbedded(builder.Configuration);
        if (embedded)
        {
            // Derived read models are rebuilt from their owners at every start (nothing a user sees is lost).
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Matching:RebuildOnStart"] = builder.Configuration["Matching:RebuildOnStart"] ?? "true",
                ["Demo:Seed"] = builder.Configuration["Demo:Seed"] ?? "true",
            });
        }
        else if (builder.Configuration["Messaging:Transport"] is null)
        {
            // the gateway publishes account changes to the other services: in proxy mode they are other
            // processes, which an in-memory bus cannot reach (a test may still choose one explicitly)
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Messaging:Transport"] = "RabbitMq" });
        }

        builder.AddServiceDefaults();
        builder.AddDocumentStore(StoreKey);
        builder.AddEdgeSecurity(StoreKey);
        builder.Services.TryAddTimeProvider();
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection("Auth"));
        builder.Services.Configure<TokenSettings>(builder.Configuration.GetSection("Auth"));
        if (builder.Configuration["Auth:SigningKeyFile"] is null)
        {
            var dataDirectory = builder.Configuration["Storage:DataDirectory"] ?? "data";
            builder.Services.PostConfigure<TokenSettings>(o => o.SigningKeyFile = Path.Combine(dataDirectory, "keys", "jwt-signing.pem"));
        }
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<IssuerOrigin>();
        builder.Services.AddSingleton<IPasswordHasher<Account>, NormalizingPasswordHasher>();
        builder.AddAggregates(StoreKey, "accounts", new IndexFields<Account>
        {
            { "username", a => Account.Key(a.Username) }, { "role", a => a.Role }, { "org", a => a.OrganisationId },
            // the admin's list of one role's accounts
            new IndexShape(["role"], "username"),
        });
        builder.Services.AddHostedService<AccountAnnouncer>();
        builder.Services.AddMarketConsumers(x => x.AddConsumer<AccountReplayConsumer>().Endpoint(e => e.Name = "gateway-account-replay"));
        builder.AddAggregates(StoreKey, "organisations", new IndexFields<Organisation> { { "id", o => o.Id } }, outbox: false);
        builder.Services.AddSingleton<UnknownUsernames>();
        builder.Services.AddSingleton<IdentityService>();
        builder.Services.AddSingleton<AccountSessions>();
        if (builder.Configuration.GetValue<bool?>("Demo:Seed") ?? embedded)
            builder.Services.AddHostedService<DemoSeeder>();

        // The gateway validates the tokens it issues with its own public key.
        builder.AddMarketAuthentication(services => services.GetRequiredService<TokenIssuer>().PublicKey);
        builder.Services.AddGatewayRateLimits(builder.Configuration);
        builder.Services.AddSingleton<IPortalSignIn, PortalSignIn>();
        builder.AddPortal(Microsoft.AspNetCore.Authentication.JwtBearer.JwtBearerDefaults.AuthenticationScheme, StoreKey);
        builder.Services.AddCors(o => o.AddDefaultPolicy(p =>
        {
            var origins = builder.Configuration.GetSection("Gateway:CorsOrigins").Get<string[]>() ?? [];
            if (origins.Length > 0) p.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod().WithExposedHeaders("ETag", "Location");
        }));

        if (embedded)
        {
            builder.AddListing();
            builder.AddMatching();
            builder.AddBroker();
            builder.AddRegistration();
            builder.AddNotifications();
        }
        else
        {
            builder.Services.AddReverseProxy().LoadFromConfig(builder.Configuration.GetSection("ReverseProxy"));
            // not "ready": one backend down must not take every gateway replica out of the Ingress
            // (search still works without registration); each route without a destination answers 503
            builder.Services.AddHealthChecks().AddCheck<BackendsHealthCheck>("backends", tags: [BackendsHealthCheck.Tag]);
        }
        // the accounts' outbox (AccountChanged) in both modes, and the embedded modules' consumers
        builder.AddMarketMessaging();

        var app = builder.Build();
        app.UseServiceDefaults();
        app.UseEdgeSecurity();
        app.UseCors();
        app.UseAuthentication();
        // a disabled account's tokens and portal sessions (or those from before an admin's new password) end here
        app.Use(app.Services.GetRequiredService<AccountSessions>().RefuseEnded);
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapServiceDefaults();
        if (!embedded)
            app.MapHealthChecks("/health/backends", new HealthCheckOptions { Predicate = c => c.Tags.Contains(BackendsHealthCheck.Tag), ResponseWriter = HostingExtensions.WriteHealth })
                .AllowAnonymous();
        app.MapIdentity();
        app.MapPortal(IdentityEndpoints.SignInRateLimit, typeof(GatewayHost).Assembly.GetName().Name!);
        app.MapApiReference(embedded);
        if (embedded)
        {
            // the same per-client limit as the proxy routes (RateLimiterPolicy "api")
            var api = app.MapGroup("").RequireRateLimiting(ProxySetup.ApiRateLimit).ProducesProblems(429);
            api.MapListing();
            api.MapMatching();
            api.MapBroker();
            api.MapRegistration();
            api.MapNotifications();
        }
        else
        {
            // routes marked FileUpload take a file: their body may be as large as the services accept one
            var maxFileBytes = (app.Configuration.GetSection(FileStorageOptions.Section).Get<FileStorageOptions>() ?? new FileStorageOptions()).MaxFileBytes;
            app.MapReverseProxy(pipeline =>
            {
                pipeline.Use(IdempotentRetry.Invoke);
                pipeline.UseSessionAffinity();
                pipeline.UseLoadBalancing();
                pipeline.UsePassiveHealthChecks();
            }).ConfigureEndpoints((endpoint, route) =>
            {
                if (route.Metadata?.GetValueOrDefault("FileUpload") == "true") endpoint.WithMetadata(new FileUploadLimit(maxFileBytes));
            });
        }
        return app;
    }

    private static void TryAddTimeProvider(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(TimeProvider))) services.AddSingleton(TimeProvider.System);
    }
}
