namespace Marketplace.Architecture.Tests;

/// <summary>
/// Which project may depend on which. A service is a module and its thin host
/// (<c>Marketplace.Listing</c>, <c>Marketplace.Listing.Api</c>); services talk through the
/// contracts and the bus, never through each other's code. The building blocks serve every
/// service and know none of them; the contracts are plain records that anyone can read.
/// Only the gateway (which hosts every module in embedded mode) and the tests see several services.
/// </summary>
internal static class Boundaries
{
    public static readonly string[] Services = ["Listing", "Matching", "Broker", "Registration", "Notifications"];

    public const string Contracts = "Marketplace.Contracts";
    public const string ServiceDefaults = "Marketplace.ServiceDefaults";
    public static readonly string[] BuildingBlocks = [Contracts, ServiceDefaults];

    /// <summary>The front door and its portal: they may use the modules, nothing may use them.</summary>
    public static readonly string[] Front = ["Marketplace.Gateway", "Marketplace.Portal"];

    /// <summary>Every project the rules are about; the graph must have them all, or a rule could pass on nothing.</summary>
    public static IEnumerable<string> RuledProjects =>
        [.. BuildingBlocks, .. Services.SelectMany(s => new[] { Module(s), Host(s) }), .. Front];

    public static string Module(string service) => $"Marketplace.{service}";

    public static string Host(string service) => $"Marketplace.{service}.Api";

    /// <summary>The service a project belongs to (its module or its host), or null.</summary>
    public static string? ServiceOf(string project) =>
        Services.FirstOrDefault(s => project == Module(s) || project == Host(s));

    /// <summary>Every broken rule in the graph, one line each; none in a sound graph.</summary>
    public static IReadOnlyList<string> Violations(ProjectGraph graph)
    {
        var violations = new List<string>();
        foreach (var project in graph.Projects.Keys.Order(StringComparer.Ordinal))
        {
            var service = ServiceOf(project);
            if (service is null) continue;
            foreach (var dependency in graph.DependenciesOf(project).Order(StringComparer.Ordinal))
            {
                if (ServiceOf(dependency) is { } other && other != service)
                    violations.Add($"{project} depends on {dependency}: a service uses another only through contracts and the bus");
                if (Front.Contains(dependency))
                    violations.Add($"{project} depends on {dependency}: a service does not know the gateway");
            }
        }
        foreach (var block in BuildingBlocks)
        {
            foreach (var dependency in graph.DependenciesOf(block).Order(StringComparer.Ordinal))
                if (!BuildingBlocks.Contains(dependency))
                    violations.Add($"{block} depends on {dependency}: a building block uses only other building blocks, no service, host or test");
        }
        if (graph.Projects.TryGetValue(Contracts, out var contracts))
        {
            foreach (var reference in contracts.Projects) violations.Add($"{Contracts} references the project {reference}: contracts depend on nothing");
            foreach (var package in contracts.Packages) violations.Add($"{Contracts} references the package {package}: contracts depend on nothing");
            foreach (var framework in contracts.Frameworks) violations.Add($"{Contracts} references the framework {framework}: contracts need only the base class library");
        }
        return violations;
    }
}
