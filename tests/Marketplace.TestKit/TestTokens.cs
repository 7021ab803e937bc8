using System.Security.Cryptography;
using Marketplace.Contracts;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Marketplace.TestKit;

/// <summary>An ES256 key of the tests' own, and tokens signed with it as the gateway would sign them.</summary>
public sealed class TestTokens
{
    private readonly ECDsaSecurityKey _key;

    public TestTokens()
    {
        var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        _key = new ECDsaSecurityKey(ecdsa) { KeyId = KeyId };
        PublicKeyPem = ecdsa.ExportSubjectPublicKeyInfoPem();
    }

    public string PublicKeyPem { get; }

    /// <summary>The key id the tokens name (the same for every instance: only the key differs).</summary>
    public const string KeyId = "test";

    /// <param name="header">extra JOSE header parameters (a forged or extended token)</param>
    public string For(string role, string org, string subMarket = "changsha", string? sub = null, TimeSpan? lifetime = null, string issuer = "xiaoxiang-market",
        IDictionary<string, object>? header = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = "xiaoxiang-market",
            IssuedAt = now.AddMinutes(-5),
            NotBefore = now.AddMinutes(-5),
            Expires = now + (lifetime ?? TimeSpan.FromHours(1)),
            Claims = new Dictionary<string, object>
            {
                [MarketClaims.Subject] = sub ?? $"{role}@{org}",
                [MarketClaims.Role] = role,
                [MarketClaims.Organisation] = org,
                [MarketClaims.OrganisationName] = org + " 名称",
                [MarketClaims.SubMarket] = subMarket,
            },
            SigningCredentials = new SigningCredentials(_key, SecurityAlgorithms.EcdsaSha256),
            AdditionalHeaderClaims = header,
        });
    }
}
