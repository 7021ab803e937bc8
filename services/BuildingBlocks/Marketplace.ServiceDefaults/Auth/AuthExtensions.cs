using Marketplace.Contracts;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Marketplace.ServiceDefaults.Auth;

public sealed class AuthOptions
{
    public string Issuer { get; set; } = "xiaoxiang-market";
    public string Audience { get; set; } = "xiaoxiang-market";

    /// <summary>Base URL of the token issuer (the gateway); keys are read from its JWKS via OpenID discovery.</summary>
    public string? Authority { get; set; }

    /// <summary>Alternatively, the issuer's public key as a PEM file (or PEM text in <see cref="PublicKeyPem"/>).</summary>
    public string? PublicKeyFile { get; set; }
    public string? PublicKeyPem { get; set; }
}

public static class AuthExtensions
{
    /// <summary>
    /// JWT bearer validation (ES256, issuer, audience, lifetime) for a service. Keys come from
    /// <paramref name="localKey"/> when the issuer runs in this process (the gateway: read from
    /// its services when the options are first needed), else from the issuer's JWKS
    /// (<c>Auth:Authority</c>) or a configured public key.
    /// </summary>
    public static IHostApplicationBuilder AddMarketAuthentication(this IHostApplicationBuilder builder, Func<IServiceProvider, SecurityKey>? localKey = null)
    {
        var options = builder.Configuration.GetSection("Auth").Get<AuthOptions>() ?? new AuthOptions();
        builder.Services.Configure<AuthOptions>(builder.Configuration.GetSection("Auth"));
        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidIssuer = options.Issuer,
                    ValidAudience = options.Audience,
                    ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
                    NameClaimType = MarketClaims.Subject,
                    RoleClaimType = MarketClaims.Role,
                    ClockSkew = TimeSpan.FromSeconds(30),
                };
                jwt.Events = new JwtBearerEvents { OnTokenValidated = RefuseCriticalExtensions };
                if (localKey is not null) return; // set below, from the container
                if (!string.IsNullOrWhiteSpace(options.Authority))
                {
                    jwt.MetadataAddress = options.Authority.TrimEnd('/') + "/.well-known/openid-configuration";
                    jwt.RequireHttpsMetadata = options.Authority.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
                }
                else
                {
                    var pem = options.PublicKeyPem ?? (options.PublicKeyFile is { } file ? File.ReadAllText(file) : null)
                        ?? throw new InvalidOperationException("Configure Auth:Authority, Auth:PublicKeyFile or Auth:PublicKeyPem so tokens can be validated.");
                    jwt.TokenValidationParameters.IssuerSigningKey = EcdsaKeys.FromPem(pem);
                }
            });
        if (localKey is not null)
            builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
                .Configure<IServiceProvider>((jwt, services) => jwt.TokenValidationParameters.IssuerSigningKey = localKey(services));
        builder.Services.AddAuthorization();
        return builder;
    }

    /// <summary>
    /// RFC 7515 §4.1.11: a token whose <c>crit</c> header names an extension the recipient does not
    /// understand is invalid. The market understands none, so any <c>crit</c> is refused.
    /// </summary>
    private static Task RefuseCriticalExtensions(TokenValidatedContext context)
    {
        if (context.SecurityToken is JsonWebToken token && token.TryGetHeaderValue<object>("crit", out _))
            context.Fail("The token names critical header extensions this service does not understand.");
        return Task.CompletedTask;
    }
}
