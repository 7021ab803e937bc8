using System.IO.Compression;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marketplace.TestKit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Gateway.Tests;

/// <summary>
/// The routes added for the portal: the admin's lists (API, bearer tokens) and the portal's own
/// sign-in and Excel endpoints (cookie session): bad input, and who may use them.
/// </summary>
public sealed class PortalEndpointTests(EmbeddedGateway gateway) : IClassFixture<EmbeddedGateway>
{
    private readonly HttpClient _client = gateway.CreateClient();

    [Fact]
    public async Task Admins_list_accounts_and_organisations_and_nobody_else_may()
    {
        var admin = await gateway.SignIn("demo-admin");
        var accounts = await (await _client.Send(HttpMethod.Get, "/api/admin/accounts?pageSize=100", admin)).Expect(200);
        var usernames = accounts["items"]!.AsArray().Select(a => (string)a!["username"]!).ToList();
        Assert.Contains("demo-university", usernames);
        Assert.DoesNotContain(accounts["items"]!.AsArray(), a => a!["passwordHash"] is not null); // never the hash
        var registrars = await (await _client.Send(HttpMethod.Get, "/api/admin/accounts?role=registrar", admin)).Expect(200);
        Assert.All(registrars["items"]!.AsArray(), a => Assert.Equal("registrar", (string)a!["role"]!));
        var organisations = await (await _client.Send(HttpMethod.Get, "/api/admin/organisations", admin)).Expect(200);
        Assert.True((long)organisations["total"]! >= 1);

        var badRole = await (await _client.Send(HttpMethod.Get, "/api/admin/accounts?role=king", admin)).Expect(400);
        Assert.NotNull(badRole["errors"]!["role"]);
        await (await _client.Send(HttpMethod.Get, "/api/admin/accounts?pageSize=1000", admin)).Expect(400);
        await (await _client.Send(HttpMethod.Get, "/api/admin/accounts")).Expect(401);
        await (await _client.Send(HttpMethod.Get, "/api/admin/accounts", await gateway.SignIn("demo-operator"))).Expect(403);
        await (await _client.Send(HttpMethod.Get, "/api/admin/organisations", await gateway.SignIn("demo-university"))).Expect(403);
    }

    private HttpClient Browser() => gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    /// <summary>Signs in through the portal's form, as a browser does (antiforgery token from the page).</summary>
    private static async Task<HttpResponseMessage> PostSignIn(HttpClient browser, string username, string password)
    {
        var page = await browser.GetStringAsync("/signin");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEmpty(token);
        return await browser.PostAsync("/portal/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["username"] = username, ["password"] = password, ["returnUrl"] = "/my/listings",
        }));
    }

    [Fact]
    public async Task The_sign_in_form_refuses_a_forged_post_and_answers_bad_credentials_without_a_session()
    {
        using var browser = Browser();
        // no antiforgery token: refused, and no session cookie set
        var forged = await browser.PostAsync("/portal/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "demo-university", ["password"] = "Demo!2026",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.DoesNotContain(forged.Headers.TryGetValues("Set-Cookie", out var c1) ? c1 : [], v => v.StartsWith("xxkj.session", StringComparison.Ordinal));

        var wrong = await PostSignIn(browser, "demo-university", "not-it");
        Assert.Equal(HttpStatusCode.Redirect, wrong.StatusCode);
        Assert.StartsWith("/signin?error=failed", wrong.Headers.Location!.OriginalString);
        Assert.DoesNotContain(wrong.Headers.TryGetValues("Set-Cookie", out var c2) ? c2 : [], v => v.StartsWith("xxkj.session", StringComparison.Ordinal));

        var empty = await PostSignIn(browser, "", "");
        Assert.StartsWith("/signin?error=missing", empty.Headers.Location!.OriginalString);

        // a return address on another site is not followed
        var page = await browser.GetStringAsync("/signin");
        var token = Regex.Match(page, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        var away = await browser.PostAsync("/portal/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["username"] = "demo-university", ["password"] = "Demo!2026", ["returnUrl"] = "https://evil.example/",
        }));
        Assert.Equal("/", away.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task Excel_downloads_are_for_their_roles_only_and_a_session_never_authorises_the_API()
    {
        using var visitor = Browser();
        var anonymous = await visitor.GetAsync("/portal/export/registrar-queue.xlsx");
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
        Assert.Contains("/signin", anonymous.Headers.Location!.OriginalString);

        using var enterprise = Browser();
        var signedIn = await PostSignIn(enterprise, "demo-enterprise", "Demo!2026");
        Assert.Equal("/my/listings", signedIn.Headers.Location!.OriginalString);
        foreach (var export in new[] { "registrar-queue", "review-queue", "turnover" })
        {
            var refused = await enterprise.GetAsync($"/portal/export/{export}.xlsx");
            Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
            Assert.Contains("/denied", refused.Headers.Location!.OriginalString);
        }
        // the session cookie opens portal pages, but the API still wants a bearer token
        Assert.Equal(HttpStatusCode.OK, (await enterprise.GetAsync("/my/listings")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await enterprise.GetAsync("/api/listings?mine=true")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await enterprise.GetAsync("/api/auth/me")).StatusCode);
    }
}

/// <summary>The embedded gateway as the README's command runs it: in the Production environment (a test host is in Development).</summary>
public sealed class ProductionGateway : EmbeddedGateway
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseEnvironment(Environments.Production);
    }
}

/// <summary>
/// The portal's static assets as a browser gets them from the build output (what `dotnet run` and the tests
/// serve): each linked once, at its fingerprinted URL, and answered compressed with a year's immutable caching.
/// </summary>
public sealed class PortalAssetTests(ProductionGateway gateway) : IClassFixture<ProductionGateway>
{
    private readonly HttpClient _client = gateway.CreateClient();

    /// <summary>The stylesheets and scripts a page links.</summary>
    private static List<string> Linked(string page) =>
        [.. Regex.Matches(page, "<(?:link rel=\"stylesheet\" href|script src)=\"([^\"]+)\"").Select(m => m.Groups[1].Value)];

    /// <summary>The JS initializers Blazor imports as it starts, which the page lists (base64 JSON) in a comment.</summary>
    private static List<string> Initializers(string page) =>
        JsonSerializer.Deserialize<List<string>>(Convert.FromBase64String(Regex.Match(page, "<!--Blazor-Web-Initializers:([^-]+)-->").Groups[1].Value))!;

    private static bool IsFingerprinted(string url) => Regex.IsMatch(url, @"\.[0-9a-z]{10}(\.lib\.module)?\.(css|js)$");

    [Theory]
    [InlineData("/")]
    [InlineData("/search?q=%E9%94%82%E7%94%B5%E6%B1%A0")]
    [InlineData("/brokers")]
    [InlineData("/verify")]
    [InlineData("/signin")]
    public async Task A_public_page_describes_the_market_to_search_engines_in_Chinese(string path)
    {
        var page = await _client.GetStringAsync(path);
        var description = Regex.Match(page, "<meta name=\"description\" content=\"([^\"]+)\"");
        Assert.True(description.Success, $"{path} has no meta description");
        Assert.Contains("潇湘科技要素大市场", description.Groups[1].Value);
        Assert.Single(Regex.Matches(page, "<meta name=\"description\""));
    }

    [Fact]
    public async Task A_page_links_each_asset_once_at_its_fingerprinted_url_and_Ant_Designs_initializer_adds_none()
    {
        var page = await _client.GetStringAsync("/");
        var linked = Linked(page);
        Assert.All(linked, url => Assert.True(IsFingerprinted(url), url));
        Assert.Single(linked, url => url.StartsWith("_content/AntDesign/css/ant-design-blazor.", StringComparison.Ordinal));
        Assert.Single(linked, url => url.StartsWith("_content/AntDesign/js/ant-design-blazor.", StringComparison.Ordinal));
        Assert.Single(linked, url => url.StartsWith("_content/Marketplace.Portal/portal.", StringComparison.Ordinal));
        Assert.Single(linked, url => url.StartsWith("_framework/blazor.web.", StringComparison.Ordinal));

        // Ant Design's initializer adds its own <script> (at the plain URL, so a second copy) and <link>
        // unless the page carries these marks; it is still the initializer that honours them
        Assert.Matches("<script src=\"_content/AntDesign/js/ant-design-blazor\\.[0-9a-z]{10}\\.js\" no-antblazor-js>", page);
        // the stylesheet with CSS variables, whose primary colour portal.css themes
        Assert.Matches("<link rel=\"stylesheet\" href=\"_content/AntDesign/css/ant-design-blazor\\.variable\\.[0-9a-z]{10}\\.css\" no-antblazor-css />", page);
        var initializer = Assert.Single(Initializers(page));
        Assert.True(IsFingerprinted(initializer), initializer);
        var module = await _client.GetStringAsync(initializer);
        Assert.Contains("document.querySelector('[no-antblazor-js]')", module);
        Assert.Contains("document.querySelector('[no-antblazor-css]')", module);
    }

    [Fact]
    public async Task Every_asset_a_page_loads_is_answered_compressed_and_cached_for_a_year()
    {
        var assets = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var path in new[] { "/", "/search?q=%E9%94%82%E7%94%B5%E6%B1%A0", "/signin" })
        {
            var page = await _client.GetStringAsync(path);
            assets.UnionWith(Linked(page));
            assets.UnionWith(Initializers(page));
        }
        Assert.Contains(assets, url => url.Contains("ant-design-blazor", StringComparison.Ordinal) && url.EndsWith(".css", StringComparison.Ordinal));

        foreach (var url in assets)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            request.Headers.TryAddWithoutValidation("Accept-Encoding", "br, gzip");
            var compressed = await _client.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, compressed.StatusCode);
            var encoding = Assert.Single(compressed.Content.Headers.ContentEncoding);
            Assert.True(encoding is "br" or "gzip", $"{url}: {encoding}");
            var caching = compressed.Headers.CacheControl!;
            Assert.True(caching.MaxAge == TimeSpan.FromDays(365) && caching.Extensions.Any(e => e.Name == "immutable"), $"{url}: {caching}");
            Assert.Contains("Accept-Encoding", compressed.Headers.Vary);

            // the same file: what the compressed body decompresses to is what a client without compression gets
            var identity = await _client.GetByteArrayAsync(url);
            var body = await compressed.Content.ReadAsByteArrayAsync();
            Assert.True(body.Length < identity.Length, $"{url}: {body.Length} bytes compressed, {identity.Length} plain");
            Assert.Equal(identity, Decompress(body, encoding));
        }
    }

    private static byte[] Decompress(byte[] body, string encoding)
    {
        using var input = new MemoryStream(body);
        using Stream decompressing = encoding == "br" ? new BrotliStream(input, CompressionMode.Decompress) : new GZipStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        decompressing.CopyTo(output);
        return output.ToArray();
    }
}
