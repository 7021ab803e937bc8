using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Marketplace.ServiceDefaults.Json;

public static class MarketJson
{
    /// <summary>Wire format: camelCase, enums as lower-case snake strings (exactly: no other spelling is read), no nulls written.</summary>
    public static void ConfigureWire(JsonSerializerOptions options)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        options.DictionaryKeyPolicy = JsonNamingPolicy.CamelCase;
        options.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        options.Converters.Add(new ExactEnumConverterFactory());
    }

    /// <summary>The wire format of the HTTP API: strings in request bodies are also read in Unicode normal form C.</summary>
    public static void ConfigureHttp(JsonSerializerOptions options)
    {
        ConfigureWire(options);
        options.Converters.Add(new NormalizedStringConverter());
    }

    public static readonly JsonSerializerOptions Wire = CreateWire();

    /// <summary>
    /// Storage format for aggregates: like the wire format, but it also reads and writes
    /// properties with private setters and uses non-public parameterless constructors, so
    /// aggregates keep their invariants behind guarded methods.
    /// </summary>
    public static readonly JsonSerializerOptions Storage = CreateStorage();

    private static JsonSerializerOptions CreateWire()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ConfigureWire(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    private static JsonSerializerOptions CreateStorage()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        ConfigureWire(options);
        options.TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { IncludeNonPublicMembers } };
        options.MakeReadOnly();
        return options;
    }

    private static void IncludeNonPublicMembers(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object) return;
        if (typeInfo.CreateObject is null && !typeInfo.Type.IsAbstract &&
            typeInfo.Type.GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, Type.EmptyTypes) is { } ctor)
        {
            typeInfo.CreateObject = () => ctor.Invoke(null);
        }
        foreach (var property in typeInfo.Properties)
        {
            if (property.Set is null && property.AttributeProvider is PropertyInfo info && info.GetSetMethod(nonPublic: true) is { } setter)
            {
                property.Set = (target, value) => setter.Invoke(target, [value]);
            }
        }
    }
}
