using Marketplace.Contracts;

namespace Marketplace.ServiceDefaults.Messaging;

/// <summary>Maps the stored name of an integration event to its contract type.</summary>
public static class EventTypes
{
    private static readonly Dictionary<string, Type> ByName = typeof(Roles).Assembly.GetExportedTypes()
        .Where(t => t.Namespace?.StartsWith("Marketplace.Contracts.", StringComparison.Ordinal) == true && !t.IsAbstract)
        .ToDictionary(NameOf);

    public static string NameOf(Type type) => type.FullName ?? type.Name;

    public static Type Resolve(string name) =>
        ByName.TryGetValue(name, out var type) ? type : throw new InvalidOperationException($"Unknown integration event type '{name}'.");
}
