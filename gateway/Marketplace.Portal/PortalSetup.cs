using System.Net;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Marketplace.Portal;

/// <summary>Signs a user in with username and password; the gateway answers with the market's token.</summary>
public interface IPortalSignIn
{
    /// <param name="client">the remote address of the browser's connection (lockouts are per address)</param>
    /// <returns>The access token.</returns>
    /// <exception cref="DomainException">wrong credentials, a locked account, bad input.</exception>
    Task<string> SignInAsync(string? username, string? password, IPAddress? client, CancellationToken ct);

    /// <summary>The seeded demo accounts and their password, or null when there are none to offer.</summary>
    DemoAccountsHint? DemoAccounts { get; }
}

/// <summary>What the sign-in page may say about the demo accounts: they exist and have this (published) password.</summary>
public sealed record DemoAccountsHint(IReadOnlyList<string> Usernames, string Password);

/// <summary>
/// The web portal (Blazor, interactive server rendering, Ant Design) served by the gateway at
/// <c>/</c>. API requests keep using bearer tokens; portal pages use a cookie whose session —
/// with the user's token — is kept server-side in the gateway's store.
/// </summary>
public static class PortalSetup
{
    public const string CookieScheme = "portal";
    public const string SelectorScheme = "market";

    /// <param name="bearerScheme">the API's token scheme, used for every API request</param>
    /// <param name="storeKey">the keyed document store that keeps the portal's sessions</param>
    public static IHostApplicationBuilder AddPortal(this IHostApplicationBuilder builder, string bearerScheme, string storeKey)
    {
        var services = builder.Services;
        ServeStaticAssetsAsPublished(builder);
        // the pages are Chinese: written as such, not as &#x...; references (eight bytes a character instead of
        // three); what HTML needs escaped (<, >, &, quotes) still is
        services.AddWebEncoders(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddAntDesign();
        services.AddCascadingAuthenticationState();
        services.AddSingleton(sp => new PortalTicketStore(sp.GetRequiredKeyedService<IDocumentStore>(storeKey), sp.GetRequiredService<TimeProvider>()));
        // the sweep of expired sessions reads them by expiry
        services.AddCollectionIndexes(storeKey, PortalTicketStore.Collection, ["expires"]);
        services.AddAuthentication()
            .AddCookie(CookieScheme, o =>
            {
                o.Cookie.Name = "xxkj.session";
                o.Cookie.HttpOnly = true;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                o.LoginPath = "/signin";
                o.AccessDeniedPath = "/denied";
                o.SlidingExpiration = false;
            })
            .AddPolicyScheme(SelectorScheme, "API token or portal session", o =>
                o.ForwardDefaultSelector = http => IsApiRequest(http.Request) ? bearerScheme : CookieScheme);
        services.AddOptions<CookieAuthenticationOptions>(CookieScheme).Configure<PortalTicketStore>((o, store) => o.SessionStore = store);
        services.Configure<AuthenticationOptions>(o =>
        {
            o.DefaultScheme = SelectorScheme;
            o.DefaultAuthenticateScheme = SelectorScheme;
            o.DefaultChallengeScheme = SelectorScheme;
            o.DefaultForbidScheme = SelectorScheme;
        });

        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddScoped<PortalVisitor>();
        services.AddSingleton<PortalApiAddress>();
        services.AddSingleton(typeof(SharedFigures<>));
        services.AddHttpClient<MarketApi>((sp, http) =>
            {
                http.BaseAddress = sp.GetRequiredService<PortalApiAddress>().Value;
                // the resilience handler times each request; this only bounds the longest, an upload
                http.Timeout = UploadTimeout;
            })
            .AddStandardResilienceHandler(o =>
            {
                // reads are retried on transient faults; a write is never sent twice by the portal
                o.Retry.DisableForUnsafeHttpMethods();
                // an upload streams up to 20 MB from the browser through the circuit, at the browser's pace:
                // it may take far longer than any other request
                var (attempt, total) = (o.AttemptTimeout.Timeout, o.TotalRequestTimeout.Timeout);
                o.AttemptTimeout.TimeoutGenerator = args => ValueTask.FromResult(IsUpload(args.Context) ? UploadTimeout : attempt);
                o.TotalRequestTimeout.TimeoutGenerator = args => ValueTask.FromResult(IsUpload(args.Context) ? UploadTimeout : total);
            });
        return builder;
    }

    /// <summary>The portal's page for an unknown address (<see cref="Components.Pages.NotFound"/>).</summary>
    public const string NotFoundPath = "/not-found";

    private static readonly TimeSpan UploadTimeout = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The market runs from its build output (<c>dotnet run</c>, the tests) as well as from a publish. Serving a
    /// build's manifest, MapStaticAssets by default reloads edited files at runtime and answers every asset — a
    /// fingerprinted one too — with <c>Cache-Control: no-cache</c>, for editing the portal while it runs. Outside
    /// Development the build output is served as a publish is, with the manifest's headers (fingerprinted URLs
    /// immutable for a year); <c>ReloadStaticAssetsAtRuntime</c>, when set, decides.
    /// </summary>
    private static void ServeStaticAssetsAsPublished(IHostApplicationBuilder builder)
    {
        const string reload = "ReloadStaticAssetsAtRuntime";
        if (builder.Environment.IsDevelopment() || builder.Configuration[reload] is not null) return;
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [reload] = "false" });
    }

    private static bool IsUpload(ResilienceContext context) => context.GetRequestMessage()?.Content is MultipartFormDataContent;

    /// <summary>The API, OpenAPI, health and key routes authenticate with bearer tokens only.</summary>
    public static bool IsApiRequest(HttpRequest request) =>
        request.Headers.Authorization.Count > 0
        || request.Path.StartsWithSegments("/api")
        || request.Path.StartsWithSegments("/openapi")
        || request.Path.StartsWithSegments("/health")
        || request.Path.StartsWithSegments("/.well-known");

    /// <param name="signInRateLimit">the rate-limit policy of sign-in attempts</param>
    /// <param name="hostAssembly">the host's assembly name: its static-assets manifest lists the portal's files</param>
    public static WebApplication MapPortal(this WebApplication app, string signInRateLimit, string hostAssembly)
    {
        // the portal speaks zh-CN (Ant Design's texts, dates and numbers follow the culture of the
        // request that opens the circuit); the API keeps its invariant formats
        app.UseWhen(http => !IsApiRequest(http.Request), portal => portal.UseRequestLocalization(o =>
        {
            var china = new System.Globalization.CultureInfo("zh-CN");
            o.DefaultRequestCulture = new Microsoft.AspNetCore.Localization.RequestCulture(china);
            o.SupportedCultures = [china];
            o.SupportedUICultures = [china];
        }));
        // an address the portal does not know gets the portal's 404 page, with status 404; the API, OpenAPI and
        // health routes keep the ProblemDetails the service defaults write, and so do the portal's other statuses.
        // At the top level, not in a UseWhen branch: a branch has no route builder, and the re-executed request
        // would not be routed to the page.
        app.UseStatusCodePagesWithReExecute(NotFoundPath, createScopeForStatusCodePages: true);
        app.Use(async (http, next) =>
        {
            var pages = http.Features.Get<IStatusCodePagesFeature>();
            if (IsApiRequest(http.Request) && pages is not null) pages.Enabled = false;
            await next(http);
            if (http.Response.StatusCode != StatusCodes.Status404NotFound && pages is not null) pages.Enabled = false;
        });
        app.UseAntiforgery();
        app.MapStaticAssets(Path.Combine(AppContext.BaseDirectory, $"{hostAssembly}.staticwebassets.endpoints.json"));
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

        app.MapPost("/portal/signin", async ([FromForm] string? username, [FromForm] string? password, [FromForm] string? returnUrl,
            IPortalSignIn signIn, HttpContext http, CancellationToken ct) =>
        {
            var back = SafeReturnUrl(returnUrl);
            try
            {
                var token = await signIn.SignInAsync(username, password, http.Connection.RemoteIpAddress, ct);
                var user = PortalClaims.FromToken(token, CookieScheme);
                await http.SignInAsync(CookieScheme, user, new AuthenticationProperties
                {
                    ExpiresUtc = PortalClaims.ExpiresAt(token),
                    IsPersistent = false,
                });
                http.Response.Cookies.Delete(SignInUsernameCookie, new CookieOptions { Path = "/signin" });
                return Results.LocalRedirect(back == "/" ? LandingPage(user.Role()) : back);
            }
            catch (DomainException e)
            {
                var reason = e switch
                {
                    TooManyRequestsException => "locked",
                    ValidationFailedException => "missing",
                    ForbiddenException => "disabled",
                    _ => "failed",
                };
                if (username is { Length: > 0 } typed)
                    http.Response.Cookies.Append(SignInUsernameCookie, typed.Length > 64 ? typed[..64] : typed, new CookieOptions
                    {
                        Path = "/signin", HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps,
                        MaxAge = TimeSpan.FromMinutes(10), IsEssential = true,
                    });
                return Results.LocalRedirect($"/signin?error={reason}&returnUrl={WebUtility.UrlEncode(back)}");
            }
        }).RequireRateLimiting(signInRateLimit).ExcludeFromDescription();

        app.MapExports();
        app.MapFileDownloads();

        app.MapPost("/portal/signout", async (HttpContext http) =>
        {
            await http.SignOutAsync(CookieScheme);
            return Results.LocalRedirect("/");
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// The username of a failed sign-in, for the sign-in page to fill in again: in a cookie of that page only, not
    /// in its address (which history and logs keep).
    /// </summary>
    public const string SignInUsernameCookie = "xxkj.signin-username";

    /// <summary>Where a user lands after signing in without a page to go back to: an operator works from the dashboard.</summary>
    public static string LandingPage(string? role) => role == Marketplace.Contracts.Roles.Operator ? "/operator/dashboard" : "/";

    /// <summary>
    /// Only a path of this site — never an open redirect to another one, never a 500 from a
    /// redirect the framework or the server refuses. ASP.NET Core's <c>IsLocalUrl</c> rules (a single
    /// leading '/', not "//" or "/\"), stricter in two ways: only printable ASCII (browsers drop a
    /// tab or line feed inside a URL, so "/\t/evil.example" would become "//evil.example", and Kestrel
    /// refuses a non-ASCII Location header — the portal's own links are percent-encoded), and the
    /// whole must parse as a relative URI. Anything else goes home.
    /// </summary>
    public static string SafeReturnUrl(string? returnUrl) =>
        returnUrl is { Length: > 1 } url && url[0] == '/' && url[1] is not '/' and not '\\'
        && url.All(c => c is > ' ' and < '\u007f')
        && Uri.TryCreate(url, UriKind.Relative, out _)
            ? url
            : "/";
}

/// <summary>
/// Where the portal reaches the public API: <c>Portal:ApiBaseUrl</c>, or this very process (the
/// gateway) on the first address it listens on.
/// </summary>
public sealed class PortalApiAddress(IConfiguration configuration, IServer server)
{
    private Uri? _value;

    public Uri Value => _value ??= Resolve();

    private Uri Resolve()
    {
        if (configuration["Portal:ApiBaseUrl"] is { Length: > 0 } configured) return new Uri(configured);
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("Set Portal:ApiBaseUrl: the server reports no address.");
        var uri = new UriBuilder(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://*", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal)
            .Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal));
        if (uri.Host == "localhost") uri.Host = "127.0.0.1";
        return uri.Uri;
    }
}
