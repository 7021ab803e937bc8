using System.Collections.Concurrent;
using Marketplace.Contracts.Identity;
using Marketplace.TestKit;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Gateway.Tests;

/// <summary>An admin finds accounts by username, sees their organisations by name, disables, enables and gives new passwords.</summary>
public sealed class AdminAccountsTests(EmbeddedGateway gateway) : IClassFixture<EmbeddedGateway>, IDisposable
{
    private const string Password = "Admin-accounts-secret";
    private readonly HttpClient _client = gateway.CreateClient();
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gateway-admin-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { if (Directory.Exists(_directory)) Directory.Delete(_directory, true); } catch (IOException) { }
    }

    private async Task<string> NewAccount(string username)
    {
        var admin = await gateway.SignIn("demo-admin");
        await (await _client.Send(HttpMethod.Post, "/api/admin/accounts", admin,
            new { username, displayName = "账户管理测试", password = Password, role = "enterprise", organisationId = "demo-enterprise-org" })).Expect(201);
        return username;
    }

    private Task<HttpResponseMessage> Token(string username, string password) =>
        _client.Send(HttpMethod.Post, "/api/auth/token", body: new { username, password });

    [Fact]
    public async Task The_list_names_each_organisation_and_finds_accounts_by_the_start_of_their_username_a_page_at_a_time()
    {
        foreach (var n in new[] { "1", "2", "3" }) await NewAccount("find-me-" + n);
        var admin = await gateway.SignIn("demo-admin");

        var found = await (await _client.Send(HttpMethod.Get, "/api/admin/accounts?q=FIND-me&pageSize=2", admin)).Expect(200);
        Assert.Equal(3, (long)found["total"]!);
        Assert.Equal(["find-me-1", "find-me-2"], found["items"]!.AsArray().Select(a => (string)a!["username"]!));
        Assert.Equal("长沙示范智造有限公司（演示）", (string?)found["items"]![0]!["organisationName"]);
        Assert.True((bool)found["items"]![0]!["active"]!);
        var second = await (await _client.Send(HttpMethod.Get, "/api/admin/accounts?q=find-me&pageSize=2&page=2", admin)).Expect(200);
        Assert.Equal(["find-me-3"], second["items"]!.AsArray().Select(a => (string)a!["username"]!));

        var none = await (await _client.Send(HttpMethod.Get, "/api/admin/accounts?q=nobody-by-this-name", admin)).Expect(200);
        Assert.Equal(0, (long)none["total"]!);
        await (await _client.Send(HttpMethod.Get, "/api/admin/accounts?q=" + new string('a', 65), admin)).Expect(400);
    }

    [Fact]
    public async Task A_disabled_account_gets_no_token_until_it_is_enabled_again()
    {
        var username = await NewAccount("disable-me");
        var admin = await gateway.SignIn("demo-admin");
        var disabled = await (await _client.Send(HttpMethod.Put, $"/api/admin/accounts/{username}/active", admin, new { active = false })).Expect(200);
        Assert.False((bool)disabled["active"]!);

        var refused = await (await Token(username, Password)).Expect(403);
        Assert.Contains("停用", (string?)refused["title"] + (string?)refused["detail"]);
        // a wrong password still says only that it is wrong
        await (await Token(username, "not-the-password")).Expect(401);
        var listed = await (await _client.Send(HttpMethod.Get, $"/api/admin/accounts?q={username}", admin)).Expect(200);
        Assert.False((bool)listed["items"]![0]!["active"]!);

        await (await _client.Send(HttpMethod.Put, $"/api/admin/accounts/{username}/active", admin, new { active = true })).Expect(200);
        await (await Token(username, Password)).Expect(200);
    }

    [Fact]
    public async Task An_admin_gives_an_account_a_new_password_and_the_old_one_stops_working()
    {
        var username = await NewAccount("new-password");
        var admin = await gateway.SignIn("demo-admin");
        await (await _client.Send(HttpMethod.Put, $"/api/admin/accounts/{username}/password", admin, new { password = "A-brand-new-long-secret" })).Expect(204);
        await (await Token(username, "A-brand-new-long-secret")).Expect(200);
        await (await Token(username, Password)).Expect(401);
    }

    [Fact]
    public async Task Bad_input_and_unknown_accounts_are_refused_with_problem_details()
    {
        var username = await NewAccount("bad-input");
        var admin = await gateway.SignIn("demo-admin");
        var shortPassword = await (await _client.Send(HttpMethod.Put, $"/api/admin/accounts/{username}/password", admin, new { password = "short" })).Expect(400);
        Assert.NotNull(shortPassword["errors"]!["password"]);
        await (await _client.Send(HttpMethod.Put, $"/api/admin/accounts/{username}/password", admin, new { })).Expect(400);
        var noFlag = await (await _client.Send(HttpMethod.Put, $"/api/admin/accounts/{username}/active", admin, new { })).Expect(400);
        Assert.NotNull(noFlag["errors"]!["active"]);
        var self = await (await _client.Send(HttpMethod.Put, "/api/admin/accounts/demo-admin/active", admin, new { active = false })).Expect(400);
        Assert.NotNull(self["errors"]!["active"]);

        await (await _client.Send(HttpMethod.Put, "/api/admin/accounts/no-such-account/active", admin, new { active = false })).Expect(404);
        await (await _client.Send(HttpMethod.Put, "/api/admin/accounts/no-such-account/password", admin, new { password = "A-brand-new-long-secret" })).Expect(404);
        await (await _client.Send(HttpMethod.Put, "/api/admin/accounts/Not%20A%20Name/active", admin, new { active = false })).Expect(404);
    }

    [Theory]
    [InlineData("demo-operator")]
    [InlineData("demo-enterprise")]
    public async Task Nobody_but_an_admin_disables_searches_or_sets_passwords(string username)
    {
        var target = await NewAccount("not-yours-" + username);
        var token = await gateway.SignIn(username);
        await (await _client.Send(HttpMethod.Put, $"/api/admin/accounts/{target}/active", token, new { active = false })).Expect(403);
        await (await _client.Send(HttpMethod.Put, $"/api/admin/accounts/{target}/password", token, new { password = "A-brand-new-long-secret" })).Expect(403);
        await (await _client.Send(HttpMethod.Get, $"/api/admin/accounts?q={target}", token)).Expect(403);
        await (await _client.Send(HttpMethod.Put, $"/api/admin/accounts/{target}/active", body: new { active = false })).Expect(401);
        await (await Token(target, Password)).Expect(200);
    }

    [Fact]
    public async Task Disabling_an_account_tells_the_other_services_it_is_no_longer_active()
    {
        using var own = new GatewayOn(_directory, ("Outbox:PollInterval", "00:00:00.200"));
        var heard = new ConcurrentQueue<AccountChanged>();
        var handle = own.Services.GetRequiredService<IBus>().ConnectReceiveEndpoint("test-account-active-" + Guid.NewGuid().ToString("N"),
            e => e.Handler<AccountChanged>(context =>
            {
                heard.Enqueue(context.Message);
                return Task.CompletedTask;
            }));
        await handle.Ready;
        var client = own.CreateClient();
        var admin = (string)(await (await client.Send(HttpMethod.Post, "/api/auth/token", body: new { username = "demo-admin", password = "Demo!2026" })).Expect(200))["access_token"]!;
        await (await client.Send(HttpMethod.Post, "/api/admin/accounts", admin,
            new { username = "announce-me", displayName = "停用通知", password = Password, role = "enterprise", organisationId = "demo-enterprise-org" })).Expect(201);
        await (await client.Send(HttpMethod.Put, "/api/admin/accounts/announce-me/active", admin, new { active = false })).Expect(200);

        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!heard.Any(a => a.Subject == "announce-me" && !a.Active) && DateTime.UtcNow < deadline) await Task.Delay(50);
        var changed = Assert.Single(heard, a => a.Subject == "announce-me" && !a.Active);
        Assert.Equal("长沙示范智造有限公司（演示）", changed.OrganisationName);
        Assert.Equal(2, changed.Version);
    }
}
