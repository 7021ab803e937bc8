using System.Globalization;

namespace Marketplace.Registration.Rules;

/// <summary>GB/T 2260 administrative-division codes: six digits, the first two a province-level code.</summary>
internal static class RegionCode
{
    private static readonly HashSet<int> Provinces =
    [
        11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
        50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
    ];

    public static bool IsValid(string? code) =>
        code is { Length: 6 } && code.All(char.IsAsciiDigit)
        && Provinces.Contains(int.Parse(code[..2], CultureInfo.InvariantCulture));
}
