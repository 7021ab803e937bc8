using System.Text.RegularExpressions;

namespace Marketplace.ServiceDefaults.Validation;

/// <summary>Phone numbers (mainland mobile or landline with area code, optional +86) and e-mail addresses.</summary>
public static partial class ContactFormats
{
    public static bool IsPhone(string? value) => value is not null && Phone().IsMatch(value.Trim());

    public static bool IsEmail(string? value) => value is not null && value.Trim().Length <= 254 && Email().IsMatch(value.Trim());

    [GeneratedRegex(@"^(\+?86[- ]?)?(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")]
    private static partial Regex Phone();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Email();
}
