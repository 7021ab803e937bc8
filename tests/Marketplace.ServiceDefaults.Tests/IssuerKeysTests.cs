using System.Net;
using System.Net.Http.Headers;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.TestKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Marketplace.ServiceDefaults.Tests;

/// <summary>A service reading its issuer's keys (Auth:Authority, as in compose and Kubernetes), on real Kestrels.</summary>
public sealed class IssuerKeysTests
{
    /// <summary>
    /// Containers start in any order: a service asked by a request before the gateway answers must not keep the
    /// failed read of the keys (a guard for the containers stage, whose flows once failed on the gateway's keys).
    /// </summary>
    [Fact]
    public async Task A_service_asked_before_its_issuer_answers_accepts_its_tokens_once_the_issuer_is_up()
    {
        var tokens = new TestTokens();
        var issuerPort = ServiceProcess.FreePort();
        await using var service = await StartServiceAsync($"http://127.0.0.1:{issuerPort}");
        using var client = new HttpClient { BaseAddress = new Uri(service.Urls.First()) };
        var token = tokens.For("university", "org-hnu");

        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, token)).StatusCode);

        await using var issuer = await StartIssuerAsync(issuerPort, tokens);
        var deadline = DateTime.UtcNow.AddSeconds(15);
        HttpStatusCode status;
        do
        {
            await Task.Delay(250);
            status = (await GetAsync(client, token)).StatusCode;
        } while (status != HttpStatusCode.OK && DateTime.UtcNow < deadline);
        Assert.Equal(HttpStatusCode.OK, status);
        // a token signed by another key is still refused
        Assert.Equal(HttpStatusCode.Unauthorized, (await GetAsync(client, new TestTokens().For("university", "org-hnu"))).StatusCode);
    }

    private static Task<HttpResponseMessage> GetAsync(HttpClient client, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/whoami");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }

    private static async Task<WebApplication> StartServiceAsync(string authority)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{ServiceProcess.FreePort()}");
        builder.Configuration["Auth:Authority"] = authority;
        builder.AddMarketAuthentication();
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/whoami", (HttpContext http) => http.User.Identity?.Name).RequireAuthorization();
        await app.StartAsync();
        return app;
    }

    /// <summary>The gateway's two documents: discovery, naming the key set on the configured origin, and the key set.</summary>
    private static async Task<WebApplication> StartIssuerAsync(int port, TestTokens tokens)
    {
        var origin = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls(origin);
        var app = builder.Build();
        var jwk = EcdsaKeys.PublicJwk(EcdsaKeys.FromPem(tokens.PublicKeyPem));
        jwk.Kid = TestTokens.KeyId;
        app.MapGet("/.well-known/openid-configuration", () => Results.Ok(new Dictionary<string, object>
        {
            ["issuer"] = "xiaoxiang-market",
            ["jwks_uri"] = origin + "/.well-known/jwks.json",
            ["id_token_signing_alg_values_supported"] = new[] { "ES256" },
        }));
        app.MapGet("/.well-known/jwks.json", () => Results.Ok(new { keys = new[] { jwk } }));
        await app.StartAsync();
        return app;
    }
}
