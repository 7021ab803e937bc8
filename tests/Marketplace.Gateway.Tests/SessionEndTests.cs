using System.Net;
using System.Text.RegularExpressions;
using Marketplace.TestKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Marketplace.Gateway.Tests;

/// <summary>
/// Disabling an account, or an admin's new password for it, ends the sessions it already has: its tokens are
/// refused at once (on the gateway's routes, the embedded modules' and the ones it forwards) and its portal
/// sessions are signed out. Before, a token kept working for the hour it was issued for.
/// </summary>
public sealed class SessionEndTests(EmbeddedGateway gateway) : IClassFixture<EmbeddedGateway>
{
    private const string Password = "Session-end-secret";
    private readonly HttpClient _client = gateway.CreateClient();

    private async Task<string> NewAccount(string username)
    {
        var admin = await gateway.SignIn("demo-admin");
        await (await _client.Send(HttpMethod.Post, "/api/admin/accounts", admin,
            new { username, displayName = "会话测试", password = Password, role = "enterprise", organisationId = "demo-enterprise-org" })).Expect(201);
        return username;
    }

    private async Task<string> Token(string username, string password = Password) =>
        (string)(await (await _client.Send(HttpMethod.Post, "/api/auth/token", body: new { username, password })).Expect(200))["access_token"]!;

    private async Task SetActive(string username, bool active) =>
        await (await _client.Send(HttpMethod.Put, $"/api/admin/accounts/{username}/active", await gateway.SignIn("demo-admin"), new { active })).Expect(200);

    [Fact]
    public async Task A_disabled_accounts_token_is_refused_at_once_and_enabling_the_account_does_not_bring_it_back()
    {
        var username = await NewAccount("session-disabled");
        var token = await Token(username);
        await (await _client.Send(HttpMethod.Get, "/api/auth/me", token)).Expect(200);
        await (await _client.Send(HttpMethod.Get, "/api/listings?mine=true", token)).Expect(200);

        await SetActive(username, false);
        var refused = await _client.Send(HttpMethod.Get, "/api/auth/me", token);
        var problem = await refused.Expect(401);
        Assert.Contains("sign in again", (string?)problem["detail"]);
        Assert.Contains("invalid_token", refused.Headers.WwwAuthenticate.ToString());
        // a module's route and a write: refused too, and the write changes nothing
        await (await _client.Send(HttpMethod.Get, "/api/listings?mine=true", token)).Expect(401);
        await (await _client.Send(HttpMethod.Post, "/api/listings", token, new { kind = "Demand", title = "停用账户不应能发布" })).Expect(401);

        await SetActive(username, true);
        await (await _client.Send(HttpMethod.Get, "/api/auth/me", token)).Expect(401);
        var fresh = await Token(username);
        var me = await (await _client.Send(HttpMethod.Get, "/api/auth/me", fresh)).Expect(200);
        Assert.Equal(username, (string?)me["username"]);
        var mine = await (await _client.Send(HttpMethod.Get, "/api/listings?mine=true", fresh)).Expect(200);
        Assert.Equal(0, (long)mine["total"]!);
    }

    [Fact]
    public async Task An_admins_new_password_ends_the_sessions_of_the_old_one_and_other_accounts_keep_theirs()
    {
        var username = await NewAccount("session-new-password");
        var token = await Token(username);
        var other = await Token(await NewAccount("session-bystander"));

        await (await _client.Send(HttpMethod.Put, $"/api/admin/accounts/{username}/password", await gateway.SignIn("demo-admin"),
            new { password = "Another-long-secret" })).Expect(204);
        await (await _client.Send(HttpMethod.Get, "/api/auth/me", token)).Expect(401);
        await (await _client.Send(HttpMethod.Get, "/api/auth/me", await Token(username, "Another-long-secret"))).Expect(200);
        await (await _client.Send(HttpMethod.Get, "/api/auth/me", other)).Expect(200);
    }

    [Fact]
    public async Task An_ended_token_on_a_route_anyone_may_call_is_answered_as_a_visitor_without_one()
    {
        var username = await NewAccount("session-visitor");
        var token = await Token(username);
        await SetActive(username, false);
        await SetActive(username, true);

        // signing in again with the old token still attached works, and so does a public read
        var again = await (await _client.Send(HttpMethod.Post, "/api/auth/token", token, new { username, password = Password })).Expect(200);
        Assert.False(string.IsNullOrEmpty((string?)again["access_token"]));
        Assert.Equal(HttpStatusCode.OK, (await _client.Send(HttpMethod.Get, "/api/reference/fields", token)).StatusCode);
    }

    [Fact]
    public async Task A_portal_session_of_a_disabled_account_is_signed_out_and_its_page_asks_to_sign_in_again()
    {
        var username = await NewAccount("session-portal");
        using var browser = gateway.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var page = await browser.GetStringAsync("/signin");
        var antiforgery = Regex.Match(page, "name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"").Groups[1].Value;
        var signedIn = await browser.PostAsync("/portal/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = antiforgery, ["username"] = username, ["password"] = Password, ["returnUrl"] = "/my/listings",
        }));
        Assert.Equal("/my/listings", signedIn.Headers.Location!.OriginalString);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/my/listings")).StatusCode);

        await SetActive(username, false);
        var after = await browser.GetAsync("/my/listings");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.Contains("/signin", after.Headers.Location!.OriginalString);
        // the session is gone, not only hidden: enabling the account does not bring it back
        await SetActive(username, true);
        var later = await browser.GetAsync("/my/listings");
        Assert.Equal(HttpStatusCode.Redirect, later.StatusCode);
    }
}

/// <summary>In proxy mode the gateway refuses an ended session's token itself: the request never reaches a service.</summary>
public sealed class ProxiedSessionEndTests : IAsyncLifetime
{
    private WebApplication? _listing;
    private int _reads;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{ServiceProcess.FreePort()}");
        _listing = builder.Build();
        _listing.MapGet("/api/listings/{id}", (string id) =>
        {
            Interlocked.Increment(ref _reads);
            return Results.Json(new { id });
        });
        await _listing.StartAsync();
    }

    [Fact]
    public async Task A_disabled_accounts_token_is_refused_at_the_gateway_and_not_forwarded()
    {
        using var gateway = new ProxyGateway(new Dictionary<string, string>
        {
            ["Demo:Seed"] = "true",
            ["ReverseProxy:Clusters:listing:HealthCheck:Active:Enabled"] = "false",
            ["ReverseProxy:Clusters:listing:Destinations:primary:Address"] = _listing!.Urls.Single(),
        });
        var client = gateway.CreateClient();
        async Task<string> SignIn(string username) =>
            (string)(await (await client.Send(HttpMethod.Post, "/api/auth/token", body: new { username, password = "Demo!2026" })).Expect(200))["access_token"]!;
        var token = await SignIn("demo-enterprise");
        await (await client.Send(HttpMethod.Get, "/api/listings/1", token)).Expect(200);
        Assert.Equal(1, _reads);

        var admin = await SignIn("demo-admin");
        await (await client.Send(HttpMethod.Put, "/api/admin/accounts/demo-enterprise/active", admin, new { active = false })).Expect(200);
        var refused = await client.Send(HttpMethod.Get, "/api/listings/1", token);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("sign in again", (string?)(await refused.Expect(401))["detail"]);
        Assert.Equal(1, _reads);
        // a visitor without a token is still forwarded
        await (await client.Send(HttpMethod.Get, "/api/listings/1")).Expect(200);
        Assert.Equal(2, _reads);
    }

    public async Task DisposeAsync()
    {
        if (_listing is not null) await _listing.DisposeAsync();
    }
}
