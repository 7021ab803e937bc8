using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Marketplace.Contracts.Identity;
using Marketplace.Gateway.Identity;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.TestKit;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Gateway.Tests;

/// <summary>The gateway tells the other services who its users are (<see cref="AccountChanged"/>), for the notifications directory.</summary>
public sealed class AccountEventsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gateway-accounts-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { if (Directory.Exists(_directory)) Directory.Delete(_directory, true); } catch (IOException) { }
    }

    private static ConcurrentQueue<AccountChanged> Listen(IServiceProvider services)
    {
        var heard = new ConcurrentQueue<AccountChanged>();
        var handle = services.GetRequiredService<IBus>().ConnectReceiveEndpoint("test-account-probe-" + Guid.NewGuid().ToString("N"),
            e => e.Handler<AccountChanged>(context =>
            {
                heard.Enqueue(context.Message);
                return Task.CompletedTask;
            }));
        handle.Ready.GetAwaiter().GetResult();
        return heard;
    }

    private static async Task<AccountChanged> Heard(ConcurrentQueue<AccountChanged> heard, string subject)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (heard.FirstOrDefault(a => a.Subject == subject) is { } found) return found;
            await Task.Delay(50);
        }
        throw new TimeoutException($"No AccountChanged for {subject}.");
    }

    [Fact]
    public async Task An_account_the_admin_creates_is_announced_with_its_organisation_and_email()
    {
        using var gateway = new GatewayOn(_directory, ("Outbox:PollInterval", "00:00:00.200"));
        var heard = Listen(gateway.Services);
        var client = gateway.CreateClient();
        var admin = (string)(await (await client.Send(HttpMethod.Post, "/api/auth/token", body: new { username = "demo-admin", password = "Demo!2026" })).Expect(200))["access_token"]!;

        var created = await (await client.Send(HttpMethod.Post, "/api/admin/accounts", admin, new
        {
            username = "li.ming", displayName = "李明", password = "a-long-enough-password", role = "enterprise",
            organisationId = "demo-enterprise-org", email = "li.ming@example.cn",
        })).Expect(201);
        Assert.Equal("li.ming@example.cn", (string?)created["email"]);

        var changed = await Heard(heard, "li.ming");
        Assert.Equal("李明", changed.DisplayName);
        Assert.Equal("enterprise", changed.Role);
        Assert.Equal("demo-enterprise-org", changed.Organisation);
        Assert.Equal("长沙示范智造有限公司（演示）", changed.OrganisationName);
        Assert.Equal("changsha", changed.SubMarket);
        Assert.Equal("li.ming@example.cn", changed.Email);
        Assert.False(changed.IsDemo);
        Assert.Equal(1, changed.Version);
    }

    [Fact]
    public async Task Asked_to_replay_the_gateway_publishes_every_account_again_at_its_stored_version()
    {
        using var gateway = new GatewayOn(_directory, ("Outbox:PollInterval", "00:00:00.200"));
        var identity = gateway.Services.GetRequiredService<IdentityService>();
        // the seeded accounts' own announcements go out before the probe listens
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while ((await identity.Accounts.Store.FindPendingOutboxAsync(identity.Accounts.Collection, 10)).Count > 0 || await identity.Accounts.FindAsync("demo-registrar") is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "the seeded accounts were not announced");
            await Task.Delay(50);
        }
        var heard = Listen(gateway.Services);
        await gateway.Services.GetRequiredService<IBus>().Publish(new AccountsReplayRequested { RequestId = Guid.NewGuid(), RequestedBy = "test" });
        var registrar = await Heard(heard, "demo-registrar");
        Assert.Equal("registrar", registrar.Role);
        Assert.Equal("demo-registrar-org", registrar.Organisation);
        Assert.True(registrar.IsDemo);
        Assert.Equal((await identity.Accounts.FindAsync("demo-registrar"))!.Version, registrar.Version);
        await Heard(heard, "demo-admin");
    }

    [Fact]
    public async Task A_bad_email_address_is_refused_and_creates_no_account()
    {
        using var gateway = new GatewayOn(_directory);
        var client = gateway.CreateClient();
        var admin = (string)(await (await client.Send(HttpMethod.Post, "/api/auth/token", body: new { username = "demo-admin", password = "Demo!2026" })).Expect(200))["access_token"]!;
        var problem = await (await client.Send(HttpMethod.Post, "/api/admin/accounts", admin, new
        {
            username = "wang.fang", displayName = "王芳", password = "a-long-enough-password", role = "enterprise",
            organisationId = "demo-enterprise-org", email = "not an address",
        })).Expect(400);
        Assert.NotNull(problem["errors"]!["email"]);
        Assert.Null(await gateway.Services.GetRequiredService<IdentityService>().Accounts.FindAsync("wang.fang"));
    }

    [Fact]
    public async Task An_account_stored_before_accounts_were_announced_is_announced_once_at_the_next_start()
    {
        // the gateway's store as an earlier release left it: an organisation and an account without the
        // "announced" field (written before the gateway opens the file: one LiteDB instance at a time)
        Directory.CreateDirectory(_directory);
        var now = DateTimeOffset.UtcNow;
        var organisation = Organisation.Create("old-tax-org", "长沙市某区税务局", Marketplace.ServiceDefaults.Validation.CreditCode.WithCheck("11430100MA4L0T0X1"),
            OrganisationKind.TaxOffice, "changsha", false, now);
        var account = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(
            Account.Create("old-tax", "早期税务人员", "not-a-hash", "tax", organisation, null, false, now), Marketplace.ServiceDefaults.Json.MarketJson.Storage))!.AsObject();
        Assert.True(account.Remove("announced") || account.Remove("Announced"));
        using (var legacy = new LiteDbDocumentStore(Path.Combine(_directory, GatewayHost.StoreKey + ".db")))
        {
            await legacy.InsertAsync("organisations", new StoredDocument
            {
                Id = organisation.Id, Body = System.Text.Json.JsonSerializer.Serialize(organisation, Marketplace.ServiceDefaults.Json.MarketJson.Storage),
                Fields = new Dictionary<string, string> { ["id"] = organisation.Id },
            });
            await legacy.InsertAsync("accounts", new StoredDocument
            {
                Id = "old-tax", Body = account.ToJsonString(), Fields = new Dictionary<string, string> { ["username"] = "old-tax", ["role"] = "tax", ["org"] = organisation.Id },
            });
        }

        // announced as the host starts (before a probe could listen): the flag shows it, and the stored
        // account is at a new version (the event went out in that write's outbox)
        using var second = new GatewayOn(_directory, ("Demo:Seed", "false"), ("Outbox:PollInterval", "00:00:00.200"));
        _ = second.CreateClient();
        var identity = second.Services.GetRequiredService<IdentityService>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(await identity.Accounts.FindAsync("old-tax"))!.Announced && DateTime.UtcNow < deadline) await Task.Delay(50);
        var announced = (await identity.Accounts.FindAsync("old-tax"))!;
        Assert.True(announced.Announced);
        Assert.Equal(2, announced.Version);
    }
}
