using System.Text.Json;
using System.Text.Json.Serialization;
using Marketplace.ServiceDefaults.Validation;

namespace Marketplace.ServiceDefaults.Json;

/// <summary>
/// Enum codes exactly as the wire writes them ("pending_review"): "PENDING_REVIEW", "PendingReview"
/// and numbers are unknown codes. One spelling keeps stored documents, filters and caches agreeing.
/// </summary>
internal sealed class ExactEnumConverterFactory : JsonConverterFactory
{
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(ExactEnumConverter<>).MakeGenericType(typeToConvert))!;
}

internal sealed class ExactEnumConverter<T> : JsonConverter<T> where T : struct, Enum
{
    private static readonly Dictionary<string, T> ByCode = Enum.GetValues<T>().ToDictionary(WireCode.Of, v => v, StringComparer.Ordinal);
    private static readonly Dictionary<T, JsonEncodedText> Codes = Enum.GetValues<T>().ToDictionary(v => v, v => JsonEncodedText.Encode(WireCode.Of(v)));

    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String ? Parse(reader.GetString()) : throw Unknown();

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WriteStringValue(Codes.TryGetValue(value, out var code) ? code : JsonEncodedText.Encode(WireCode.Of(value)));

    public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Parse(reader.GetString());

    public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        writer.WritePropertyName(Codes.TryGetValue(value, out var code) ? code : JsonEncodedText.Encode(WireCode.Of(value)));

    private static T Parse(string? code) => code is not null && ByCode.TryGetValue(code, out var value) ? value : throw Unknown();

    private static JsonException Unknown() => new($"Unknown {typeof(T).Name} code; valid: {string.Join(", ", ByCode.Keys)}.");
}

/// <summary>Strings in request bodies are read in Unicode normal form C, so equal texts are stored equal.</summary>
internal sealed class NormalizedStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        UserText.Normalize(reader.GetString());

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
