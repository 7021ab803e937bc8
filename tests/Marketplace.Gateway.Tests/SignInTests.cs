using System.Text.Json.Nodes;
using Marketplace.TestKit;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Marketplace.Gateway.Tests;

public sealed class SignInTests(EmbeddedGateway gateway) : IClassFixture<EmbeddedGateway>
{
    private readonly HttpClient _client = gateway.CreateClient();

    [Theory]
    [InlineData("demo-university", "university")]
    [InlineData("demo-enterprise", "enterprise")]
    [InlineData("demo-broker", "broker")]
    [InlineData("demo-operator", "operator")]
    [InlineData("demo-registrar", "registrar")]
    [InlineData("demo-tax", "tax")]
    [InlineData("demo-admin", "admin")]
    public async Task Every_demo_account_signs_in_and_gets_an_ES256_token_the_JWKS_verifies(string username, string role)
    {
        var answer = await (await _client.Send(HttpMethod.Post, "/api/auth/token", body: new { username, password = "Demo!2026" })).Expect(200);
        Assert.Equal("Bearer", (string)answer["token_type"]!);
        Assert.Equal(3600, (int)answer["expires_in"]!);
        var token = (string)answer["access_token"]!;

        var jwks = new JsonWebKeySet(await _client.GetStringAsync("/.well-known/jwks.json"));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = "xiaoxiang-market",
            ValidAudience = "xiaoxiang-market",
            IssuerSigningKeys = jwks.GetSigningKeys(),
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal("ES256", jwt.Alg);
        Assert.Equal(username, jwt.Subject);
        Assert.Equal(role, jwt.GetClaim("role").Value);
        Assert.Equal(username == "demo-admin" ? "hq" : "changsha", jwt.GetClaim("subMarket").Value);
        Assert.False(string.IsNullOrEmpty(jwt.GetClaim("org").Value));
        Assert.Equal("true", jwt.GetClaim("demo").Value);
    }

    [Fact]
    public async Task Me_describes_the_account_and_its_organisation_and_marks_demo_data()
    {
        await (await _client.Send(HttpMethod.Get, "/api/auth/me")).Expect(401);
        var me = await (await _client.Send(HttpMethod.Get, "/api/auth/me", await gateway.SignIn("demo-university"))).Expect(200);
        Assert.Equal("university", (string)me["role"]!);
        Assert.True((bool)me["isDemo"]!);
        Assert.Equal("university", (string)me["organisation"]!["kind"]!);
        Assert.Equal(18, ((string)me["organisation"]!["creditCode"]!).Length);
        Assert.True((bool)me["organisation"]!["isDemo"]!);
    }

    [Fact]
    public async Task A_wrong_password_and_an_unknown_user_get_the_same_answer()
    {
        var wrong = await (await _client.Send(HttpMethod.Post, "/api/auth/token", body: new { username = "demo-tax", password = "guess" })).Expect(401);
        var unknown = await (await _client.Send(HttpMethod.Post, "/api/auth/token", body: new { username = "nobody", password = "guess" })).Expect(401);
        Assert.Equal((string)wrong["detail"]!, (string)unknown["detail"]!);
        await (await _client.Send(HttpMethod.Post, "/api/auth/token", body: "{\"username\":")).Expect(400);
        var missing = await (await _client.Send(HttpMethod.Post, "/api/auth/token", body: new { username = "demo-tax" })).Expect(400);
        Assert.NotNull(missing["errors"]!["password"]);
    }

    [Fact]
    public async Task Five_failed_sign_ins_lock_the_account_even_against_the_right_password()
    {
        // demo-registrar is used by no other test in this class
        for (var i = 0; i < 4; i++)
            await (await _client.Send(HttpMethod.Post, "/api/auth/token", body: new { username = "demo-registrar", password = "wrong" })).Expect(401);
        var locked = await _client.Send(HttpMethod.Post, "/api/auth/token", body: new { username = "demo-registrar", password = "wrong" });
        await locked.Expect(429);
        Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(10));
        await (await _client.Send(HttpMethod.Post, "/api/auth/token", body: new { username = "demo-registrar", password = "Demo!2026" })).Expect(429);
    }

    [Fact]
    public async Task A_username_that_does_not_exist_locks_like_one_that_does()
    {
        // otherwise a 429 after five guesses would tell which usernames are real
        for (var i = 0; i < 4; i++)
            await (await _client.Send(HttpMethod.Post, "/api/auth/token", body: new { username = "no-such-user-7", password = "wrong" })).Expect(401);
        var locked = await _client.Send(HttpMethod.Post, "/api/auth/token", body: new { username = "No-Such-User-7", password = "wrong" });
        var problem = await locked.Expect(429);
        Assert.True(locked.Headers.RetryAfter?.Delta > TimeSpan.FromMinutes(10));
        Assert.Equal("https://xiaoxiang-market.cn/problems/too-many-requests", (string)problem["type"]!);
    }

    [Fact]
    public async Task Admins_create_organisations_with_valid_credit_codes_and_their_accounts_sign_in()
    {
        var admin = await gateway.SignIn("demo-admin");
        var operatorToken = await gateway.SignIn("demo-operator");
        var org = new { id = "xtu", name = "湘潭大学", creditCode = "12430300MA4L00009", kind = "university", subMarket = "xiangtan" };
        var bad = await (await _client.Send(HttpMethod.Post, "/api/admin/organisations", admin, org)).Expect(400);
        Assert.NotNull(bad["errors"]!["creditCode"]);
        var badId = await (await _client.Send(HttpMethod.Post, "/api/admin/organisations", admin,
            org with { id = " XTU/../x", creditCode = Marketplace.ServiceDefaults.Validation.CreditCode.WithCheck("12430300MA4L00009") })).Expect(400);
        Assert.NotNull(badId["errors"]!["id"]);
        var good = org with { creditCode = Marketplace.ServiceDefaults.Validation.CreditCode.WithCheck("12430300MA4L00009") };
        await (await _client.Send(HttpMethod.Post, "/api/admin/organisations", operatorToken, good)).Expect(403);
        await (await _client.Send(HttpMethod.Post, "/api/admin/organisations", null, good)).Expect(401);
        await (await _client.Send(HttpMethod.Post, "/api/admin/organisations", admin, good)).Expect(201);
        await (await _client.Send(HttpMethod.Post, "/api/admin/organisations", admin, good)).Expect(409);

        await (await _client.Send(HttpMethod.Post, "/api/admin/accounts", admin,
            new { username = "xtu-li", displayName = "李老师", password = "short", role = "university", organisationId = "xtu" })).Expect(400);
        await (await _client.Send(HttpMethod.Post, "/api/admin/accounts", admin,
            new { username = "xtu-li", displayName = "李老师", password = "Xtu-2026-secret", role = "university", organisationId = "xtu" })).Expect(201);
        var token = await gateway.SignIn("xtu-li", "Xtu-2026-secret");
        var me = await (await _client.Send(HttpMethod.Get, "/api/auth/me", token)).Expect(200);
        Assert.Equal("xiangtan", (string)me["organisation"]!["subMarket"]!);
        Assert.False((bool)me["isDemo"]!);
    }

    [Fact]
    public async Task Health_and_the_OpenAPI_document_are_served()
    {
        // ready once the embedded matching index has filled from the listing module (a moment after start)
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await _client.GetAsync("/health/ready")).StatusCode != System.Net.HttpStatusCode.OK && DateTime.UtcNow < deadline) await Task.Delay(200);
        var ready = await (await _client.Send(HttpMethod.Get, "/health/ready")).Expect(200);
        Assert.Equal("Healthy", (string)ready["status"]!);
        await (await _client.Send(HttpMethod.Get, "/health/live")).Expect(200);
        var openapi = JsonNode.Parse(await _client.GetStringAsync("/openapi/v1.json"))!;
        Assert.NotNull(openapi["paths"]!["/api/listings"]);
        Assert.NotNull(openapi["paths"]!["/api/auth/token"]);
    }
}

public sealed class SignInRateLimitTests(StrictSignInGateway gateway) : IClassFixture<StrictSignInGateway>
{
    [Fact]
    public async Task Sign_in_attempts_from_one_address_are_rate_limited()
    {
        var client = gateway.CreateClient();
        for (var i = 0; i < 3; i++)
            await (await client.Send(HttpMethod.Post, "/api/auth/token", body: new { username = "nobody", password = "x" })).Expect(401);
        var limited = await client.Send(HttpMethod.Post, "/api/auth/token", body: new { username = "demo-admin", password = "Demo!2026" });
        await limited.Expect(429);
        Assert.NotNull(limited.Headers.RetryAfter);
    }
}
