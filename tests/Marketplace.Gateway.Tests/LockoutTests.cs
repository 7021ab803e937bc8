using Marketplace.TestKit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Gateway.Tests;

/// <summary>A clock that stands still unless a test moves it: lockout answers do not depend on how fast the test runs.</summary>
public sealed class StoppedClock : TimeProvider
{
    // stopped in the recent past, so that the tokens it stamps stay valid to a real clock
    // (30 s of skew) while tests move it on by a few minutes
    private DateTimeOffset _now = DateTimeOffset.UtcNow.AddMinutes(-10);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

public sealed class StoppedClockGateway : EmbeddedGateway
{
    public StoppedClock Clock { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(Clock));
    }
}

/// <summary>
/// Lockout is not a weapon: failures from one address lock that address out of the account, not
/// the account's owner elsewhere; many addresses together only slow the account down; admins unlock.
/// </summary>
public sealed class LockoutTests(StoppedClockGateway gateway) : IClassFixture<StoppedClockGateway>
{
    private const string Password = "Lockout-test-secret";
    private readonly HttpClient _client = gateway.CreateClient();

    private static Dictionary<string, string> From(string address) => new() { [ClientAddressFromHeader.Header] = address };

    private Task<HttpResponseMessage> SignIn(string username, string password, string address) =>
        _client.Send(HttpMethod.Post, "/api/auth/token", body: new { username, password }, headers: From(address));

    /// <summary>An account of its own for each test, so that their counters never meet.</summary>
    private async Task<string> NewAccount(string username, string role = "enterprise", string organisationId = "demo-enterprise-org")
    {
        var admin = await gateway.SignIn("demo-admin");
        await (await _client.Send(HttpMethod.Post, "/api/admin/accounts", admin,
            new { username, displayName = "锁定测试", password = Password, role, organisationId })).Expect(201);
        return username;
    }

    [Fact]
    public async Task Five_wrong_passwords_from_one_address_lock_that_address_but_not_the_owner_at_another()
    {
        var username = await NewAccount("lock-a");
        for (var i = 0; i < 4; i++) await (await SignIn(username, "wrong", "203.0.113.7")).Expect(401);
        var locked = await SignIn(username, "wrong", "203.0.113.7");
        await locked.Expect(429);
        Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(10));

        await (await SignIn(username, Password, "198.51.100.20")).Expect(200);
        await (await SignIn(username, Password, "203.0.113.7")).Expect(429); // even with the right password
    }

    [Fact]
    public async Task An_IPv6_attacker_cannot_escape_the_lock_by_changing_the_last_64_bits()
    {
        var username = await NewAccount("lock-v6");
        for (var i = 0; i < 4; i++) await (await SignIn(username, "wrong", $"2001:db8:7:7::{i + 1}")).Expect(401);
        await (await SignIn(username, "wrong", "2001:db8:7:7::99")).Expect(429);
        await (await SignIn(username, Password, "2001:db8:7:7:abcd::1")).Expect(429);
        await (await SignIn(username, Password, "2001:db8:7:8::1")).Expect(200);
    }

    [Fact]
    public async Task An_admin_unlocks_an_account_and_nobody_else_may()
    {
        var username = await NewAccount("lock-b");
        for (var i = 0; i < 5; i++) await SignIn(username, "wrong", "203.0.113.8");
        await (await SignIn(username, Password, "203.0.113.8")).Expect(429);
        var admin = await gateway.SignIn("demo-admin");
        var listed = await (await _client.Send(HttpMethod.Get, "/api/admin/accounts?pageSize=100", admin)).Expect(200);
        Assert.True((bool)listed["items"]!.AsArray().Single(a => (string)a!["username"]! == username)!["locked"]!);

        await (await _client.Send(HttpMethod.Post, $"/api/admin/accounts/{username}/unlock")).Expect(401);
        await (await _client.Send(HttpMethod.Post, $"/api/admin/accounts/{username}/unlock", await gateway.SignIn("demo-operator"))).Expect(403);
        await (await _client.Send(HttpMethod.Post, $"/api/admin/accounts/{username}/unlock", await gateway.SignIn(username, Password))).Expect(403);
        await (await SignIn(username, Password, "203.0.113.8")).Expect(429); // the refused unlocks changed nothing
        await (await _client.Send(HttpMethod.Post, "/api/admin/accounts/no-such-account/unlock", admin)).Expect(404);

        var unlocked = await _client.Send(HttpMethod.Post, $"/api/admin/accounts/{username}/unlock", admin);
        Assert.Equal(System.Net.HttpStatusCode.NoContent, unlocked.StatusCode);
        await (await SignIn(username, Password, "203.0.113.8")).Expect(200);
    }

    [Fact]
    public async Task Failures_from_many_addresses_slow_the_account_down_without_shutting_out_a_clean_address()
    {
        var username = await NewAccount("slow-a");
        // one guess from each of ten addresses: no address is locked, but the account is under attack
        for (var i = 1; i < 10; i++) await (await SignIn(username, "wrong", $"192.0.2.{i}")).Expect(401);
        var slowed = await SignIn(username, "wrong", "192.0.2.10");
        await slowed.Expect(429);
        Assert.True(slowed.Headers.RetryAfter?.Delta is { } wait && wait > TimeSpan.Zero && wait <= TimeSpan.FromMinutes(1), "a short wait, not a lock");

        // an address that has failed waits, even with the right password; its password is not even tried
        await (await SignIn(username, Password, "192.0.2.1")).Expect(429);
        // the owner from an address with no failures gets through
        await (await SignIn(username, Password, "198.51.100.30")).Expect(200);
        // and when the wait is over the failed address may try again
        gateway.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await SignIn(username, Password, "192.0.2.1")).Expect(200);
    }

    [Fact]
    public async Task The_wait_grows_with_each_further_failure_and_stays_short()
    {
        var username = await NewAccount("slow-b");
        TimeSpan? last = null;
        for (var i = 1; i <= 20; i++)
        {
            var answer = await SignIn(username, "wrong", $"192.0.2.{100 + i}");
            if (i < 10) { await answer.Expect(401); continue; }
            await answer.Expect(429);
            var wait = answer.Headers.RetryAfter!.Delta!.Value;
            Assert.True(wait <= TimeSpan.FromMinutes(1));
            if (last is { } before) Assert.True(wait >= before);
            last = wait;
        }
        Assert.Equal(TimeSpan.FromMinutes(1), last);
    }

    [Fact]
    public async Task An_unknown_username_slows_down_like_a_known_one()
    {
        // otherwise the 429 of a slowed account would tell which usernames are real
        var known = await NewAccount("slow-known");
        for (var i = 1; i <= 10; i++)
        {
            var real = await SignIn(known, "wrong", $"192.0.2.{200 + i}");
            var fake = await SignIn("slow-unknown", "wrong", $"192.0.2.{200 + i}");
            Assert.Equal(real.StatusCode, fake.StatusCode);
            Assert.Equal(real.Headers.RetryAfter?.Delta, fake.Headers.RetryAfter?.Delta);
        }
        var realLocked = await SignIn(known, "wrong", "192.0.2.201");
        var fakeLocked = await SignIn("slow-unknown", "wrong", "192.0.2.201");
        Assert.Equal(429, (int)realLocked.StatusCode);
        Assert.Equal(realLocked.StatusCode, fakeLocked.StatusCode);
    }
}
