using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Marketplace.Contracts;

namespace Marketplace.Portal;

/// <summary>What the portal keeps of a signed-in user: the token's claims and the token itself, server-side.</summary>
public static class PortalClaims
{
    public const string AccessToken = "access_token";

    /// <summary>The principal of a portal session, built from the token the market issued.</summary>
    public static ClaimsPrincipal FromToken(string token, string scheme)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) throw new ArgumentException("Not a JWT.", nameof(token));
        var payload = JsonNode.Parse(Encoding.UTF8.GetString(Base64UrlDecode(parts[1])))!.AsObject();
        var claims = new List<Claim> { new(AccessToken, token) };
        foreach (var name in new[] { MarketClaims.Subject, MarketClaims.Role, MarketClaims.Organisation, MarketClaims.OrganisationName, MarketClaims.SubMarket, MarketClaims.Name, MarketClaims.Demo })
            if (payload[name] is JsonValue value) claims.Add(new Claim(name, value.ToString()));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, MarketClaims.Name, MarketClaims.Role));
    }

    /// <summary>When the token stops being accepted: the session ends with it.</summary>
    public static DateTimeOffset ExpiresAt(string token)
    {
        var payload = JsonNode.Parse(Encoding.UTF8.GetString(Base64UrlDecode(token.Split('.')[1])))!.AsObject();
        return DateTimeOffset.FromUnixTimeSeconds((long)payload["exp"]!);
    }

    public static string? Role(this ClaimsPrincipal user) => user.FindFirst(MarketClaims.Role)?.Value;

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirst(MarketClaims.Name)?.Value ?? user.FindFirst(MarketClaims.Subject)?.Value ?? "";

    public static string? OrganisationName(this ClaimsPrincipal user) => user.FindFirst(MarketClaims.OrganisationName)?.Value;

    private static byte[] Base64UrlDecode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}
