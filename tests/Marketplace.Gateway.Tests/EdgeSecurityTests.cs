using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Gateway.Tests;

/// <summary>
/// The front door on a real Kestrel socket (127.0.0.1): browser security headers, no server banner,
/// headers a backend cannot carry refused, clients behind a proxy counted apart, and a key ring
/// that outlives the process.
/// </summary>
public sealed class EdgeSecurityTests
{
    private sealed class RunningGateway(WebApplication app, string address) : IAsyncDisposable
    {
        public WebApplication App => app;
        public string Address => address;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    private static async Task<RunningGateway> Start(string directory, IReadOnlyDictionary<string, string>? settings = null)
    {
        var app = GatewayHost.Build([], builder =>
        {
            builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
            builder.Configuration["Storage:DataDirectory"] = directory;
            builder.Configuration["Matching:RebuildOnStart"] = "false";
            foreach (var (key, value) in settings ?? new Dictionary<string, string>()) builder.Configuration[key] = value;
        });
        await app.StartAsync();
        return new RunningGateway(app, app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
    }

    private static string NewDirectory() => Path.Combine(Path.GetTempPath(), "gateway-edge-" + Guid.NewGuid().ToString("N"));

    private static void Delete(string directory)
    {
        try { Directory.Delete(directory, true); } catch (IOException) { }
    }

    [Fact]
    public async Task Pages_carry_the_browser_security_headers_and_no_server_banner()
    {
        var directory = NewDirectory();
        try
        {
            await using var gateway = await Start(directory);
            using var http = new HttpClient { BaseAddress = new Uri(gateway.Address) };
            var page = await http.GetAsync("/");
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            var csp = string.Join(" ", page.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'self'", csp);
            Assert.Contains("script-src 'self'", csp);
            Assert.Contains("frame-ancestors 'self'", csp);
            Assert.DoesNotContain("unsafe-eval", csp);
            Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("strict-origin-when-cross-origin", page.Headers.GetValues("Referrer-Policy").Single());
            Assert.False(page.Headers.Contains("Server"), "the server names itself");

            var api = await http.GetAsync("/api/reference/sub-markets");
            Assert.Equal("nosniff", api.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.False(api.Headers.Contains("Server"));
        }
        finally { Delete(directory); }
    }

    [Theory]
    [InlineData("你好")]
    [InlineData("a\u0001b")]
    [InlineData("caf\u00E9")]
    public async Task A_header_value_a_backend_cannot_carry_is_a_400_at_the_gateway(string value)
    {
        var directory = NewDirectory();
        try
        {
            await using var gateway = await Start(directory);
            // HttpClient sends non-ASCII header values only when told how to encode them, as a prober does
            using var http = new HttpClient(new SocketsHttpHandler { RequestHeaderEncodingSelector = (_, _) => System.Text.Encoding.UTF8 })
            {
                BaseAddress = new Uri(gateway.Address),
            };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/reference/sub-markets");
            request.Headers.TryAddWithoutValidation("x-note", value);
            var refused = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var problem = await refused.Content.ReadAsStringAsync();
            Assert.Contains("x-note", problem);
            using var plain = new HttpRequestMessage(HttpMethod.Get, "/api/reference/sub-markets");
            plain.Headers.Add("x-note", "hello");
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(plain)).StatusCode);
        }
        finally { Delete(directory); }
    }

    [Fact]
    public async Task Clients_behind_a_trusted_proxy_have_limits_of_their_own()
    {
        var directory = NewDirectory();
        try
        {
            // the test's requests come from 127.0.0.1, a trusted proxy, as the portal's own calls do
            await using var gateway = await Start(directory, new Dictionary<string, string> { ["Gateway:RateLimits:SignInPerMinute"] = "2" });
            using var http = new HttpClient { BaseAddress = new Uri(gateway.Address) };
            async Task<HttpStatusCode> SignInFrom(string client)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token")
                {
                    Content = JsonContent.Create(new { username = "demo-university", password = "wrong password here" }),
                };
                request.Headers.Add("X-Forwarded-For", client);
                return (await http.SendAsync(request)).StatusCode;
            }
            Assert.Equal(HttpStatusCode.Unauthorized, await SignInFrom("203.0.113.5"));
            Assert.Equal(HttpStatusCode.Unauthorized, await SignInFrom("203.0.113.5"));
            Assert.Equal(HttpStatusCode.TooManyRequests, await SignInFrom("203.0.113.5"));
            Assert.Equal(HttpStatusCode.Unauthorized, await SignInFrom("198.51.100.7")); // another visitor, not the first one's limit
        }
        finally { Delete(directory); }
    }

    [Fact]
    public async Task Behind_an_HTTPS_proxy_the_session_cookie_is_Secure_and_production_sends_HSTS()
    {
        var directory = NewDirectory();
        try
        {
            await using var gateway = await Start(directory); // Production: no ASPNETCORE_ENVIRONMENT in the tests
            using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false })
            {
                BaseAddress = new Uri(gateway.Address),
            };
            // the Ingress terminated TLS and says so; the test's loopback address is a trusted proxy
            using var page = new HttpRequestMessage(HttpMethod.Get, "/signin");
            page.Headers.Add("X-Forwarded-Proto", "https");
            page.Headers.Host = "market.example.cn"; // HSTS is never sent for localhost
            var signInPage = await browser.SendAsync(page);
            Assert.Contains("max-age=", string.Join(" ", signInPage.Headers.GetValues("Strict-Transport-Security")));
            var antiforgery = signInPage.Headers.GetValues("Set-Cookie").ToList();
            var token = Regex.Match(await signInPage.Content.ReadAsStringAsync(), "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;

            using var post = new HttpRequestMessage(HttpMethod.Post, "/portal/signin")
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = token, ["username"] = "demo-university", ["password"] = "Demo!2026", ["returnUrl"] = "/",
                }),
            };
            post.Headers.Add("X-Forwarded-Proto", "https");
            post.Headers.Host = "market.example.cn";
            post.Headers.Add("Cookie", string.Join("; ", antiforgery.Select(c => c.Split(';')[0])));
            var signedIn = await browser.SendAsync(post);
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            var session = signedIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("xxkj.session=", StringComparison.Ordinal));
            Assert.Contains("secure", session, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("httponly", session, StringComparison.OrdinalIgnoreCase);

            // plain HTTP (no proxy saying otherwise): no HSTS, which browsers ignore there anyway (RFC 6797)
            using var plain = new HttpRequestMessage(HttpMethod.Get, "/signin");
            plain.Headers.Host = "market.example.cn";
            Assert.False((await browser.SendAsync(plain)).Headers.Contains("Strict-Transport-Security"));
        }
        finally { Delete(directory); }
    }

    [Fact]
    public async Task A_portal_session_outlives_a_restart_because_the_key_ring_is_in_the_store()
    {
        var directory = NewDirectory();
        var cookies = new CookieContainer();
        try
        {
            await using (var first = await Start(directory))
            {
                using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(first.Address) };
                var page = await browser.GetStringAsync("/signin");
                var token = Regex.Match(page, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
                var signedIn = await browser.PostAsync("/portal/signin", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["__RequestVerificationToken"] = token, ["username"] = "demo-university", ["password"] = "Demo!2026", ["returnUrl"] = "/my/listings",
                }));
                Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
                Assert.Equal("/my/listings", signedIn.Headers.Location!.OriginalString);
                var keys = await first.App.Services.GetRequiredKeyedService<IDocumentStore>(GatewayHost.StoreKey)
                    .QueryAsync("dataprotection_keys", new DocumentQuery { Take = 10 });
                Assert.NotEmpty(keys.Items);
            }

            await using var second = await Start(directory);
            var session = cookies.GetAllCookies().Single(c => c.Name == "xxkj.session");
            using var again = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri(second.Address) };
            using var request = new HttpRequestMessage(HttpMethod.Get, "/my/listings");
            request.Headers.Add("Cookie", $"{session.Name}={session.Value}");
            var mine = await again.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, mine.StatusCode); // not a redirect to /signin
        }
        finally { Delete(directory); }
    }
}
