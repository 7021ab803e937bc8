namespace Marketplace.Listing.Tests;

/// <summary>What the module lets a host (the listing API, the embedded gateway) depend on.</summary>
public sealed class ListingBoundaryTests
{
    [Fact]
    public void A_host_sees_only_the_module_entry_point_and_nothing_of_its_insides()
    {
        var exported = typeof(ListingModule).Assembly.GetExportedTypes();
        Assert.Equal([typeof(ListingModule)], exported);
    }
}
