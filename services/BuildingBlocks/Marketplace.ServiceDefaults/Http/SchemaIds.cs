using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.OpenApi;

namespace Marketplace.ServiceDefaults.Http;

/// <summary>
/// OpenAPI schema ids unique across modules: the embedded gateway serves every module in one
/// process, and two modules' <c>ReasonInput</c> are different shapes. A module's type gets its
/// module's name in front (<c>BrokerReasonInput</c>) unless its name already starts with it.
/// </summary>
public static class SchemaIds
{
    private static readonly string[] Modules = ["Listing", "Matching", "Broker", "Registration", "Notifications", "Gateway"];

    public static string? For(JsonTypeInfo typeInfo)
    {
        var id = OpenApiOptions.CreateDefaultSchemaReferenceId(typeInfo);
        if (id is null || ModuleOf(typeInfo.Type) is not { } module) return id;
        return id.StartsWith(module, StringComparison.Ordinal) ? id : module + id;
    }

    private static string? ModuleOf(Type type)
    {
        var segments = type.Namespace?.Split('.') ?? [];
        if (segments is ["Marketplace", var name, ..] && Modules.Contains(name)) return name;
        return type.IsGenericType ? type.GetGenericArguments().Select(ModuleOf).FirstOrDefault(m => m is not null) : null;
    }
}
