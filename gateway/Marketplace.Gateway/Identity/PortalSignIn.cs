using Marketplace.Portal;

namespace Marketplace.Gateway.Identity;

/// <summary>The portal signs users in with the gateway's own identity service (same checks, lockouts and limits).</summary>
public sealed class PortalSignIn(IdentityService identity) : IPortalSignIn
{
    public async Task<string> SignInAsync(string? username, string? password, CancellationToken ct) =>
        (await identity.SignInAsync(username, password, ct)).Token;
}
