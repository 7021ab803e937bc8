using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Errors;

namespace Marketplace.ServiceDefaults.Validation;

/// <summary>Checks and limits every module applies the same way, with the same words.</summary>
public static class CommonRules
{
    /// <summary>The largest amount of money the market accepts anywhere (100 billion yuan): beyond it a number is a typo.</summary>
    public const decimal MoneyCeiling = 100_000_000_000m;

    public static string UnknownSubMarket(string? code) => $"未知的分市场代码“{code}” / Unknown sub-market code '{code}'.";

    public static string UnknownField(string? code) => $"未知的技术领域代码“{code}” / Unknown field code '{code}'.";

    /// <summary>A sub-market code, when given, is one of the reference data's.</summary>
    public static Validator SubMarket(this Validator v, string? code, string field = "subMarket") =>
        v.Check(code is null || ReferenceData.IsSubMarket(code), field, UnknownSubMarket(code));

    /// <summary>A technology field code, when given, is one of the reference data's.</summary>
    public static Validator TechField(this Validator v, string? code, string field = "field") =>
        v.Check(code is null || ReferenceData.IsField(code), field, UnknownField(code));

    /// <summary>
    /// Whether an amount of yuan is within the ceiling, written with at most two decimals (and above zero
    /// unless <paramref name="zeroAllowed"/>). The written decimals count: 1.000000000000000000000000001
    /// reads as 1.000…0 (the decimal type keeps 28 digits), and fen are the smallest unit, so a third
    /// decimal is refused rather than rounded away.
    /// </summary>
    public static bool IsMoney(decimal value, bool zeroAllowed = true) =>
        (zeroAllowed ? value >= 0 : value > 0) && value <= MoneyCeiling && value.Scale <= 2;

    /// <summary>An amount of yuan, when given: within the ceiling, at most two decimals, above zero unless <paramref name="zeroAllowed"/>.</summary>
    public static Validator Money(this Validator v, decimal? value, string field, bool zeroAllowed = true) =>
        v.Check(value is not { } amount || IsMoney(amount, zeroAllowed), field, zeroAllowed
            ? $"金额为 0 至 1000 亿元、最多两位小数 / {field} must be 0–100 billion yuan with at most two decimals."
            : $"金额须大于 0、不超过 1000 亿元、最多两位小数 / {field} must be above 0, at most 100 billion yuan, with at most two decimals.");
}
