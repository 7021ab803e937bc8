using System.Security.Claims;
using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.ServiceDefaults.Auth;

/// <summary>The signed-in caller as the market's JWT describes them.</summary>
public sealed record MarketUser(string Subject, string Role, string Organisation, string? OrganisationName, string? SubMarket, string? Name)
{
    public static MarketUser? From(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return null;
        var sub = principal.FindFirstValue(MarketClaims.Subject);
        var role = principal.FindFirstValue(MarketClaims.Role);
        var org = principal.FindFirstValue(MarketClaims.Organisation);
        if (sub is null || role is null || org is null) return null;
        return new MarketUser(sub, role, org,
            principal.FindFirstValue(MarketClaims.OrganisationName),
            principal.FindFirstValue(MarketClaims.SubMarket),
            principal.FindFirstValue(MarketClaims.Name));
    }

    public static MarketUser Required(ClaimsPrincipal principal) =>
        From(principal) ?? throw new ForbiddenException("令牌缺少必要声明 / The token lacks the market's claims.");

    public bool IsOperatorOf(string subMarket) =>
        Role == Roles.Operator && (SubMarket == subMarket || SubMarket == ReferenceData.ProvincialMarket);

    /// <summary>
    /// The sub-market an operator's list is limited to: an operator of a city sub-market sees only
    /// its own (asking for another is 403); an operator of <c>hq</c> sees the one asked for, or all (null).
    /// </summary>
    /// <param name="what">what is listed, for the message (e.g. "线索 / leads").</param>
    public string? OperatorScope(string? requested, string what)
    {
        if (SubMarket == ReferenceData.ProvincialMarket) return requested;
        if (requested is not null && requested != SubMarket)
            throw new ForbiddenException($"只能查看本分市场（{SubMarket}）的{what} / Operators see only their own sub-market.");
        return SubMarket;
    }

    /// <summary>Demo accounts carry <c>demo=true</c>; what they create is marked as demo data.</summary>
    public static bool IsDemo(ClaimsPrincipal principal) => principal.FindFirstValue(MarketClaims.Demo) == "true";
}
