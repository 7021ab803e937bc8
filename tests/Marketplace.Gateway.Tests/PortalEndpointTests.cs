using System.Net;
using System.Text.RegularExpressions;
using Marketplace.TestKit;
using Microsoft.AspNetCore.Mvc.Testing;

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
