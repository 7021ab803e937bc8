using System.Reflection;
using Marketplace.Broker;
using Marketplace.Listing;
using Marketplace.Matching;
using Marketplace.Notifications;
using Marketplace.Registration;

namespace Marketplace.Architecture.Tests;

/// <summary>
/// A module shows its host only what the host needs: the <c>*Module</c> class (AddX / MapX and
/// its store key), the options bound from configuration, and the broker's demo accounts the
/// gateway seeds. Everything else is internal, so no other project can come to lean on it.
/// </summary>
public sealed class PublicSurfaceTests
{
    public static readonly TheoryData<string> Modules = [.. Boundaries.Services];

    private static readonly Dictionary<string, (Assembly Assembly, string[] Allowed)> Surfaces = new()
    {
        ["Listing"] = (typeof(ListingModule).Assembly, [nameof(ListingModule)]),
        ["Matching"] = (typeof(MatchingModule).Assembly, [nameof(MatchingModule)]),
        ["Broker"] = (typeof(BrokerModule).Assembly, [nameof(BrokerModule), "DemoBrokerAccount"]),
        ["Registration"] = (typeof(RegistrationModule).Assembly, [nameof(RegistrationModule)]),
        ["Notifications"] = (typeof(NotificationsModule).Assembly, [nameof(NotificationsModule)]),
    };

    [Theory]
    [MemberData(nameof(Modules))]
    public void A_module_exposes_only_what_a_host_needs(string service)
    {
        var (assembly, allowed) = Surfaces[service];

        var exposed = assembly.GetExportedTypes()
            .Where(t => !allowed.Contains(t.Name) && !t.Name.EndsWith("Options", StringComparison.Ordinal))
            .Select(t => t.FullName)
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.True(exposed.Count == 0, $"{Boundaries.Module(service)} exposes {exposed.Count} types a host does not need: {string.Join(", ", exposed)}");
    }
}
