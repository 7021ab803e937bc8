using Marketplace.ServiceDefaults.Auth;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Marketplace.Gateway.Identity;

/// <summary>
/// The origin the OpenID discovery document names for the key set and the token endpoint. Never the
/// request's Host header: a cache in front of the gateway would keep a document pointing services at
/// an attacker's keys. It is <c>Auth:Authority</c> — where the services reach the issuer, the reason
/// the document exists — when configured (compose and Kubernetes set it), else the gateway's own
/// listening address.
/// </summary>
public sealed class IssuerOrigin(IOptions<AuthOptions> auth, IServer server)
{
    public string Value => auth.Value.Authority is { Length: > 0 } authority
        ? new Uri(authority).GetLeftPart(UriPartial.Authority)
        : Listening() ?? "http://localhost";

    private string? Listening()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null) return null;
        // a wildcard binding (http://+:8080, http://0.0.0.0:8080, http://[::]:8080) is reached as localhost
        var wildcard = address.Replace("://+:", "://localhost:", StringComparison.Ordinal).Replace("://*:", "://localhost:", StringComparison.Ordinal)
            .Replace("://0.0.0.0:", "://localhost:", StringComparison.Ordinal).Replace("://[::]:", "://localhost:", StringComparison.Ordinal);
        return Uri.TryCreate(wildcard, UriKind.Absolute, out var uri) ? uri.GetLeftPart(UriPartial.Authority) : null;
    }
}
