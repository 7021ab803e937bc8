using System.Reflection;
using Marketplace.Broker;
using Marketplace.Contracts;
using Marketplace.Listing;
using Marketplace.Matching;
using Marketplace.Notifications;
using Marketplace.Registration;
using Marketplace.ServiceDefaults;
using NetArchTest.Rules;

namespace Marketplace.Architecture.Tests;

/// <summary>
/// The compiled code keeps the same boundaries as the project graph: no type of a module uses a
/// type of another module (whatever brought its assembly in), no building block uses a module.
/// </summary>
public sealed class TypeDependencyTests
{
    public static readonly TheoryData<string> Services = [.. Boundaries.Services];

    private static readonly Dictionary<string, Assembly> Modules = new()
    {
        ["Listing"] = typeof(ListingModule).Assembly,
        ["Matching"] = typeof(MatchingModule).Assembly,
        ["Broker"] = typeof(BrokerModule).Assembly,
        ["Registration"] = typeof(RegistrationModule).Assembly,
        ["Notifications"] = typeof(NotificationsModule).Assembly,
    };

    /// <summary>The namespaces a module's code must not touch: the other services' and the gateway's.</summary>
    private static string[] ForeignTo(string service) =>
        [.. Boundaries.Services.Where(s => s != service).Select(Boundaries.Module), .. Boundaries.Front];

    private static TestResult UsesNothingForeign(Conditions shouldNot, string service) =>
        shouldNot.HaveDependencyOnAny(ForeignTo(service)).GetResult();

    [Theory]
    [MemberData(nameof(Services))]
    public void A_modules_types_use_no_other_modules_types(string service)
    {
        var result = UsesNothingForeign(Types.InAssembly(Modules[service]).ShouldNot(), service);

        Assert.True(result.IsSuccessful, $"{Boundaries.Module(service)} uses another service: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void A_type_that_uses_two_modules_is_reported()
    {
        // CoupledOnPurpose (below) calls into Listing and Matching: judged as Listing code, it breaks the rule
        var result = UsesNothingForeign(Types.InAssembly(typeof(CoupledOnPurpose).Assembly)
            .That().HaveName(nameof(CoupledOnPurpose)).ShouldNot(), "Listing");

        Assert.False(result.IsSuccessful);
        Assert.Equal(typeof(CoupledOnPurpose).FullName, Assert.Single(result.FailingTypeNames));
    }

    [Fact]
    public void Building_blocks_use_no_module_and_no_gateway_type()
    {
        string[] services = [.. Boundaries.Services.Select(Boundaries.Module), .. Boundaries.Front];
        foreach (var block in new[] { typeof(ReferenceData).Assembly, typeof(HostingExtensions).Assembly })
        {
            var result = Types.InAssembly(block).ShouldNot().HaveDependencyOnAny(services).GetResult();
            Assert.True(result.IsSuccessful, $"{block.GetName().Name} uses a service: {string.Join(", ", result.FailingTypeNames ?? [])}");
        }
    }

    [Fact]
    public void Contracts_are_built_on_the_base_class_library_alone()
    {
        var references = typeof(ReferenceData).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToList();

        Assert.NotEmpty(references);
        Assert.All(references, name => Assert.True(name is "System" or "netstandard" or "mscorlib" || name.StartsWith("System.", StringComparison.Ordinal),
            $"{Boundaries.Contracts} references {name}"));
    }
}

/// <summary>A type that joins two modules, for the test that shows the rule reports it. Never called.</summary>
internal static class CoupledOnPurpose
{
    public static void Join(Microsoft.AspNetCore.Builder.WebApplicationBuilder builder)
    {
        builder.AddListing();
        builder.AddMatching();
    }
}
