using System.Security.Claims;
using System.Text.Json;
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
        using var payload = Payload(token);
        var claims = new List<Claim> { new(AccessToken, token) };
        foreach (var name in new[] { MarketClaims.Subject, MarketClaims.Role, MarketClaims.Organisation, MarketClaims.OrganisationName, MarketClaims.SubMarket, MarketClaims.Name, MarketClaims.Demo, MarketClaims.Sessions })
            if (payload.RootElement.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Null))
                claims.Add(new Claim(name, value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme, MarketClaims.Name, MarketClaims.Role));
    }

    /// <summary>When the token stops being accepted: the session ends with it.</summary>
    public static DateTimeOffset ExpiresAt(string token)
    {
        using var payload = Payload(token);
        return DateTimeOffset.FromUnixTimeSeconds(payload.RootElement.GetProperty("exp").GetInt64());
    }

    public static string? Role(this ClaimsPrincipal user) => user.FindFirst(MarketClaims.Role)?.Value;

    public static string DisplayName(this ClaimsPrincipal user) =>
        user.FindFirst(MarketClaims.Name)?.Value ?? user.FindFirst(MarketClaims.Subject)?.Value ?? "";

    public static string? OrganisationName(this ClaimsPrincipal user) => user.FindFirst(MarketClaims.OrganisationName)?.Value;

    private static JsonDocument Payload(string token) => JsonDocument.Parse(Base64UrlDecode(token.Split('.')[1]));

    private static byte[] Base64UrlDecode(string text)
    {
        var s = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + (4 - s.Length % 4) % 4, '='));
    }
}
