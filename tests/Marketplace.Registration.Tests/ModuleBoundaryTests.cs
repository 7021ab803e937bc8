namespace Marketplace.Registration.Tests;

/// <summary>A host sees how to add and map the module, and nothing else it could come to depend on.</summary>
public sealed class ModuleBoundaryTests
{
    [Fact]
    public void A_host_sees_only_how_to_add_and_map_the_registration_module()
    {
        var exported = typeof(RegistrationModule).Assembly.GetExportedTypes().Select(t => t.FullName);
        Assert.Equal(["Marketplace.Registration.RegistrationModule"], exported);
    }
}
