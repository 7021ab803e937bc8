using System.Net;
using Marketplace.Portal;

namespace Marketplace.Gateway.Identity;

/// <summary>The portal signs users in with the gateway's own identity service (same checks, lockouts and limits).</summary>
public sealed class PortalSignIn(IdentityService identity, IEnumerable<IHostedService> hostedServices) : IPortalSignIn
{
    // registered only when demo accounts are seeded (Demo:Seed); what it seeded is what the page may offer
    private readonly DemoSeeder? _seeder = hostedServices.OfType<DemoSeeder>().SingleOrDefault();

    public async Task<string> SignInAsync(string? username, string? password, IPAddress? client, CancellationToken ct) =>
        (await identity.SignInAsync(username, password, client, ct)).Token;

    public DemoAccountsHint? DemoAccounts => _seeder?.Seeded;
}
