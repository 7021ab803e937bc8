using System.Text.Json;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.ServiceDefaults.Json;

/// <summary>Enum values as they travel: lower-case snake strings ("pending_review").</summary>
public static class WireCode
{
    public static string Of<T>(T value) where T : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>Parses a code from a query string; an unknown one is a 400 naming the valid codes.</summary>
    public static T? Parse<T>(string? code, string field) where T : struct, Enum
    {
        if (string.IsNullOrEmpty(code)) return null;
        foreach (var value in Enum.GetValues<T>())
            if (Of(value) == code) return value;
        throw ValidationFailedException.For(field,
            $"未知的代码“{code}”，可选：{string.Join(", ", Enum.GetValues<T>().Select(Of))} / Unknown code.");
    }
}
