namespace Marketplace.Architecture.Tests;

/// <summary>The project graph keeps services apart, and the rules catch a reference that would join them.</summary>
public sealed class ProjectReferenceTests
{
    private static readonly ProjectGraph Solution = ProjectGraph.Load(Repository.Root());

    [Fact]
    public void The_graph_holds_every_module_host_and_building_block()
    {
        foreach (var project in Boundaries.RuledProjects) Assert.Contains(project, Solution.Projects.Keys);
        Assert.Contains(Boundaries.ServiceDefaults, Solution.DependenciesOf(Boundaries.Host("Listing")));
    }

    [Fact]
    public void No_service_uses_another_and_no_building_block_uses_a_service()
    {
        Assert.Empty(Boundaries.Violations(Solution));
    }

    [Fact]
    public void A_module_that_references_another_service_is_caught()
    {
        var broken = Solution.WithReference("Marketplace.Listing", "Marketplace.Matching");

        var violation = Assert.Single(Boundaries.Violations(broken), v => v.StartsWith("Marketplace.Listing depends on Marketplace.Matching", StringComparison.Ordinal));
        Assert.Contains("another", violation);
        // the host reaches Matching through its module: caught too
        Assert.Contains(Boundaries.Violations(broken), v => v.StartsWith("Marketplace.Listing.Api depends on Marketplace.Matching", StringComparison.Ordinal));
    }

    [Fact]
    public void A_host_that_references_another_services_host_is_caught()
    {
        var broken = Solution.WithReference("Marketplace.Broker.Api", "Marketplace.Registration.Api");

        Assert.Contains(Boundaries.Violations(broken), v => v.StartsWith("Marketplace.Broker.Api depends on Marketplace.Registration.Api", StringComparison.Ordinal));
        Assert.Contains(Boundaries.Violations(broken), v => v.StartsWith("Marketplace.Broker.Api depends on Marketplace.Registration:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_service_that_references_the_gateway_is_caught()
    {
        var broken = Solution.WithReference("Marketplace.Registration", "Marketplace.Gateway");

        Assert.Contains(Boundaries.Violations(broken), v => v.StartsWith("Marketplace.Registration depends on Marketplace.Gateway", StringComparison.Ordinal));
    }

    [Fact]
    public void A_building_block_that_references_a_service_or_a_host_is_caught()
    {
        Assert.Contains(Boundaries.Violations(Solution.WithReference(Boundaries.ServiceDefaults, "Marketplace.Broker")),
            v => v.StartsWith("Marketplace.ServiceDefaults depends on Marketplace.Broker", StringComparison.Ordinal));
        Assert.Contains(Boundaries.Violations(Solution.WithReference(Boundaries.ServiceDefaults, "Marketplace.Gateway")),
            v => v.StartsWith("Marketplace.ServiceDefaults depends on Marketplace.Gateway", StringComparison.Ordinal));
    }

    [Fact]
    public void Contracts_that_reference_a_project_or_a_package_are_caught()
    {
        Assert.Contains(Boundaries.Violations(Solution.WithReference(Boundaries.Contracts, Boundaries.ServiceDefaults)),
            v => v.StartsWith("Marketplace.Contracts references the project Marketplace.ServiceDefaults", StringComparison.Ordinal));
        Assert.Contains(Boundaries.Violations(Solution.WithPackage(Boundaries.Contracts, "MassTransit")),
            v => v.StartsWith("Marketplace.Contracts references the package MassTransit", StringComparison.Ordinal));
    }
}
