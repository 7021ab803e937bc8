using System.Text.Json.Nodes;
using Marketplace.TestKit;

namespace Marketplace.Gateway.Tests;

/// <summary>What an admin may create: usernames of a defined alphabet, passwords of one length rule, roles that fit the organisation.</summary>
public sealed class AccountRulesTests(EmbeddedGateway gateway) : IClassFixture<EmbeddedGateway>
{
    private readonly HttpClient _client = gateway.CreateClient();

    private async Task<JsonArray> Usernames(string admin) =>
        (await (await _client.Send(HttpMethod.Get, "/api/admin/accounts?pageSize=100", admin)).Expect(200))["items"]!.AsArray();

    [Theory]
    [InlineData("李雷")]
    [InlineData("li\tlei")]
    [InlineData("li\nlei")]
    [InlineData("li\u0000lei")]
    [InlineData("li lei")]
    [InlineData("Li-Lei")]
    [InlineData("ll")]
    [InlineData("-lilei")]
    [InlineData(".lilei")]
    [InlineData("li@lei")]
    [InlineData("li/lei")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")] // 33
    public async Task A_username_outside_the_alphabet_is_refused_and_no_account_is_created(string username)
    {
        var admin = await gateway.SignIn("demo-admin");
        var refused = await _client.Send(HttpMethod.Post, "/api/admin/accounts", admin,
            new { username, displayName = "李雷", password = "Long-enough-secret-1", role = "university", organisationId = "demo-university-org" });
        var problem = await refused.Expect(400);
        Assert.Contains(" / ", problem["errors"]!["username"]![0]!.GetValue<string>()); // 中文 / English
        Assert.DoesNotContain(await Usernames(admin), a => ((string)a!["username"]!).Contains("lei", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_username_of_the_alphabet_is_created_at_its_escaped_address()
    {
        var admin = await gateway.SignIn("demo-admin");
        var created = await _client.Send(HttpMethod.Post, "/api/admin/accounts", admin,
            new { username = "wang_li.2-x", displayName = "王力", password = "Long-enough-secret-1", role = "university", organisationId = "demo-university-org" });
        await created.Expect(201);
        Assert.Equal("/api/admin/accounts/wang_li.2-x", created.Headers.Location!.OriginalString);
        await gateway.SignIn("wang_li.2-x", "Long-enough-secret-1");
    }

    [Theory]
    [InlineData("李雷")]
    [InlineData("demo-admin\u0000")]
    [InlineData("demo\tadmin")]
    [InlineData("ДЕМО-admin")]
    public async Task Signing_in_with_a_username_outside_the_alphabet_is_the_same_401_as_an_unknown_one(string username)
    {
        var unknown = await (await _client.Send(HttpMethod.Post, "/api/auth/token", body: new { username = "nobody-here", password = "guess" })).Expect(401);
        var odd = await (await _client.Send(HttpMethod.Post, "/api/auth/token", body: new { username, password = "Demo!2026" })).Expect(401);
        Assert.Equal((string)unknown["detail"]!, (string)odd["detail"]!);
    }

    [Fact]
    public async Task A_password_longer_than_sign_in_accepts_is_refused_at_creation()
    {
        var admin = await gateway.SignIn("demo-admin");
        foreach (var password in new[] { new string('x', 129), new string('x', 100_000) })
        {
            var refused = await _client.Send(HttpMethod.Post, "/api/admin/accounts", admin,
                new { username = "long-pass", displayName = "长密码", password, role = "university", organisationId = "demo-university-org" });
            Assert.Contains((int)refused.StatusCode, new[] { 400, 413 });
        }
        Assert.DoesNotContain(await Usernames(admin), a => (string)a!["username"]! == "long-pass");

        // the longest password creation allows is one sign-in accepts; CJK characters count one each
        var longest = string.Concat(Enumerable.Repeat("潇湘科技要素大市场", 14)) + "长沙"; // 128
        await (await _client.Send(HttpMethod.Post, "/api/admin/accounts", admin,
            new { username = "long-pass", displayName = "长密码", password = longest, role = "university", organisationId = "demo-university-org" })).Expect(201);
        await gateway.SignIn("long-pass", longest);
    }

    [Fact]
    public async Task A_password_shorter_than_fifteen_characters_is_refused_at_creation()
    {
        var admin = await gateway.SignIn("demo-admin");
        var refused = await (await _client.Send(HttpMethod.Post, "/api/admin/accounts", admin,
            new { username = "short-pass", displayName = "短密码", password = "Fourteen-chars", role = "enterprise", organisationId = "demo-enterprise-org" })).Expect(400);
        Assert.Contains("15", refused["errors"]!["password"]![0]!.GetValue<string>());
        await (await _client.Send(HttpMethod.Post, "/api/admin/accounts", admin,
            new { username = "short-pass", displayName = "短密码", password = "Fifteen-chars-1", role = "enterprise", organisationId = "demo-enterprise-org" })).Expect(201);
    }

    [Theory]
    [InlineData("registrar", "demo-university-org")]
    [InlineData("tax", "demo-enterprise-org")]
    [InlineData("admin", "demo-enterprise-org")]
    [InlineData("operator", "demo-broker-org")]
    [InlineData("broker", "demo-university-org")]
    [InlineData("university", "demo-registrar-org")]
    [InlineData("enterprise", "demo-platform-org")]
    [InlineData("registrar", "demo-tax-org")]
    public async Task A_role_that_does_not_fit_the_organisations_kind_is_refused(string role, string organisationId)
    {
        var admin = await gateway.SignIn("demo-admin");
        var username = $"misfit-{role}";
        var refused = await (await _client.Send(HttpMethod.Post, "/api/admin/accounts", admin,
            new { username, displayName = "错配", password = "Long-enough-secret-1", role, organisationId })).Expect(400);
        Assert.Contains(" / ", refused["errors"]!["role"]![0]!.GetValue<string>());
        Assert.DoesNotContain(await Usernames(admin), a => (string)a!["username"]! == username);
    }

    [Theory]
    [InlineData("registrar", "demo-registrar-org")]
    [InlineData("tax", "demo-tax-org")]
    [InlineData("operator", "demo-operator-org")]
    [InlineData("broker", "demo-broker-org-zz")]
    [InlineData("admin", "demo-platform-org")]
    public async Task A_role_that_fits_the_organisations_kind_is_created(string role, string organisationId)
    {
        var admin = await gateway.SignIn("demo-admin");
        await (await _client.Send(HttpMethod.Post, "/api/admin/accounts", admin,
            new { username = $"fit-{role}", displayName = "匹配", password = "Long-enough-secret-1", role, organisationId })).Expect(201);
    }
}
