using Marketplace.ServiceDefaults.Json;

namespace Marketplace.Portal.Api;

/// <summary>Enum values as the API spells them ("pending_review"), for links, form options and test ids.</summary>
public static class Wire
{
    public static string Of<T>(T value) where T : struct, Enum => WireCode.Of(value);

    /// <summary>The value of a code a form sent back; null for none or one the portal does not know.</summary>
    public static T? Parse<T>(string? code) where T : struct, Enum =>
        Enum.GetValues<T>().Cast<T?>().FirstOrDefault(v => Of(v!.Value) == code);
}
