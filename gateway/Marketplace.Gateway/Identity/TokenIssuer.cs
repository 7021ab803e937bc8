using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Auth;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Marketplace.Gateway.Identity;

public sealed class TokenSettings
{
    /// <summary>PEM file of the ES256 signing key; created on first start when missing (mount a secret in production).</summary>
    public string SigningKeyFile { get; set; } = Path.Combine("data", "keys", "jwt-signing.pem");
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>Issues the market's ES256 JWTs; its public key is what /.well-known/jwks.json publishes.</summary>
public sealed class TokenIssuer
{
    private readonly JsonWebTokenHandler _handler = new();
    private readonly AuthOptions _auth;
    private readonly TokenSettings _options;
    private readonly TimeProvider _time;

    public TokenIssuer(IOptions<AuthOptions> auth, IOptions<TokenSettings> options, TimeProvider time)
    {
        _auth = auth.Value;
        _options = options.Value;
        _time = time;
        SigningKey = EcdsaKeys.LoadOrCreate(_options.SigningKeyFile);
        PublicKey = EcdsaKeys.PublicOnly(SigningKey);
    }

    public ECDsaSecurityKey SigningKey { get; }
    public ECDsaSecurityKey PublicKey { get; }
    public TimeSpan Lifetime => _options.Lifetime;
    public string Issuer => _auth.Issuer;

    public string Issue(Account account, Organisation organisation)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        var claims = new Dictionary<string, object>
        {
            [MarketClaims.Subject] = account.Username,
            [MarketClaims.Role] = account.Role,
            [MarketClaims.Organisation] = organisation.Id,
            [MarketClaims.OrganisationName] = organisation.Name,
            [MarketClaims.SubMarket] = organisation.SubMarket,
            [MarketClaims.Name] = account.DisplayName,
            [MarketClaims.Sessions] = account.SessionGeneration,
            [JwtRegisteredClaimNames.Jti] = Guid.NewGuid().ToString("N"),
        };
        if (account.IsDemo) claims[MarketClaims.Demo] = "true";
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = _auth.Issuer,
            Audience = _auth.Audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now + _options.Lifetime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(SigningKey, SecurityAlgorithms.EcdsaSha256),
        });
    }
}
