using Marketplace.TestKit;
using Microsoft.AspNetCore.Hosting;

namespace Marketplace.Gateway.Tests;

/// <summary>The OpenID discovery document names the configured issuer origin, whatever Host a caller sends.</summary>
public sealed class DiscoveryTests(EmbeddedGateway gateway) : IClassFixture<EmbeddedGateway>
{
    [Fact]
    public async Task The_discovery_document_does_not_echo_the_Host_header()
    {
        var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
        request.Headers.Host = "evil.example";
        var response = await client.SendAsync(request);
        var document = await response.Expect(200);
        var jwks = (string)document["jwks_uri"]!;
        Assert.DoesNotContain("evil.example", jwks);
        Assert.DoesNotContain("evil.example", (string)document["token_endpoint"]!);
        Assert.EndsWith("/.well-known/jwks.json", jwks);
    }

    [Fact]
    public async Task With_an_authority_configured_the_document_names_it()
    {
        await using var configured = new AuthorityGateway();
        var document = await (await configured.CreateClient().GetAsync("/.well-known/openid-configuration")).Expect(200);
        Assert.Equal("http://gateway:8080/.well-known/jwks.json", (string)document["jwks_uri"]!);
        Assert.Equal("http://gateway:8080/api/auth/token", (string)document["token_endpoint"]!);
    }
}

/// <summary>A gateway told where the services reach it (as compose and Kubernetes tell it).</summary>
public sealed class AuthorityGateway : EmbeddedGateway
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Auth:Authority", "http://gateway:8080");
    }
}
