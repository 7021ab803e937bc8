using Marketplace.Gateway.Identity;
using Marketplace.TestKit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Gateway.Tests;

/// <summary>An embedded gateway on a data folder the test owns (so that a second start finds the first one's accounts).</summary>
internal sealed class GatewayOn(string directory, params (string Key, string Value)[] settings) : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:DataDirectory", directory);
        builder.UseSetting("Storage:RequireIndexedQueries", "true");
        builder.UseSetting("Gateway:RateLimits:SignInPerMinute", "10000");
        foreach (var (key, value) in settings) builder.UseSetting(key, value);
    }

    public async Task<int> SignIn(string username, string password) =>
        (int)(await CreateClient().Send(HttpMethod.Post, "/api/auth/token", body: new { username, password })).StatusCode;
}

/// <summary>The demo accounts: what the sign-in page says about them, and which password they have.</summary>
public sealed class DemoAccountsTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "gateway-demo-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        try { if (Directory.Exists(_directory)) Directory.Delete(_directory, true); } catch (IOException) { }
    }

    [Fact]
    public async Task Without_demo_accounts_the_sign_in_page_mentions_none()
    {
        using var gateway = new GatewayOn(_directory, ("Demo:Seed", "false"));
        var page = await gateway.CreateClient().GetStringAsync("/signin");
        Assert.Contains("data-testid=\"signin-form\"", page);
        Assert.DoesNotContain("Demo!2026", page);
        Assert.DoesNotContain("演示账户", page);
    }

    [Fact]
    public async Task The_sign_in_page_shows_the_configured_demo_password_and_a_changed_one_takes_effect_at_the_next_start()
    {
        // a real account that happens to have a demo username: the seeder must never touch it
        using (var before = new GatewayOn(_directory, ("Demo:Seed", "false")))
        {
            var identity = before.Services.GetRequiredService<IdentityService>();
            await identity.CreateOrganisationAsync("real-tax-org", "长沙市某区税务局",
                Marketplace.ServiceDefaults.Validation.CreditCode.WithCheck("11430100MA4L0T0X1"), OrganisationKind.TaxOffice, "changsha", false, default);
            await identity.CreateAccountAsync("demo-tax", "真实税务人员", "Real-tax-officer-secret", "tax", "real-tax-org", null, false, default);
        }

        using (var first = new GatewayOn(_directory, ("Demo:Password", "First-demo-pass")))
        {
            var page = await first.CreateClient().GetStringAsync("/signin");
            Assert.Contains("First-demo-pass", page);
            Assert.Contains("demo-admin", page);
            Assert.DoesNotContain("demo-tax", page); // not a demo account here
            Assert.DoesNotContain("Demo!2026", page);
            Assert.Equal(200, await first.SignIn("demo-admin", "First-demo-pass"));
        }

        using var second = new GatewayOn(_directory, ("Demo:Password", "Second-demo-pass"));
        Assert.Contains("Second-demo-pass", await second.CreateClient().GetStringAsync("/signin"));
        Assert.Equal(200, await second.SignIn("demo-admin", "Second-demo-pass"));
        Assert.Equal(401, await second.SignIn("demo-university", "First-demo-pass"));
        Assert.Equal(200, await second.SignIn("demo-tax", "Real-tax-officer-secret"));
        Assert.Equal(401, await second.SignIn("demo-tax", "Second-demo-pass"));
    }
}
