using System.Reflection;
using System.Security.Claims;
using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Errors;
using Microsoft.AspNetCore.Http;

namespace Marketplace.ServiceDefaults.Auth;

/// <summary>
/// The signed-in caller as the market's JWT describes them. A handler takes it as a parameter:
/// <c>MarketUser user</c> on a route that requires sign-in (a token without the market's claims
/// is a 403), <c>MarketUser? user</c> on one that anonymous visitors may call.
/// </summary>
public sealed record MarketUser(string Subject, string Role, string Organisation, string? OrganisationName, string? SubMarket, string? Name)
{
    private static readonly NullabilityInfoContext Nullability = new();

    /// <summary>Demo accounts carry <c>demo=true</c>; what they create is marked as demo data.</summary>
    public bool IsDemo { get; init; }

    /// <summary>Minimal APIs bind a handler's <see cref="MarketUser"/> parameter with this.</summary>
    public static ValueTask<MarketUser?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        bool optional;
        lock (Nullability) optional = Nullability.Create(parameter).ReadState == NullabilityState.Nullable;
        return ValueTask.FromResult(optional ? From(context.User) : Required(context.User));
    }

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
            principal.FindFirstValue(MarketClaims.Name))
        {
            IsDemo = principal.FindFirstValue(MarketClaims.Demo) == "true",
        };
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
}
