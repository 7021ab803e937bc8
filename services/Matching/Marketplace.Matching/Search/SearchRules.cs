using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Validation;

namespace Marketplace.Matching.Search;

/// <summary>What a search may ask for: the query string's parameters checked and read into a <see cref="SearchRequest"/>.</summary>
internal static class SearchRules
{
    public const int MaxQueryLength = 200;

    /// <summary>A completion's prefix: what fits in a search box before the user picks a suggestion.</summary>
    public const int MaxPrefixLength = 50;

    /// <exception cref="ValidationFailedException">q is missing, blank or longer than <see cref="MaxPrefixLength"/> (400).</exception>
    public static string Prefix(string? q)
    {
        new Validator()
            .Check(!string.IsNullOrWhiteSpace(q), "q", "请输入要补全的文字 / q is required.")
            .Check(q is null || q.Length <= MaxPrefixLength, "q", $"补全的文字不能超过 {MaxPrefixLength} 个字 / q is longer than {MaxPrefixLength} characters.")
            .ThrowIfInvalid();
        return q!.Trim();
    }

    /// <exception cref="ValidationFailedException">a parameter is out of range or names an unknown code (400, naming each).</exception>
    public static SearchRequest Request(
        string? q, string? kind, string? field, string? subMarket, int? maturityMin, string? mode,
        decimal? priceMax, int? page, int? pageSize, string? sort)
    {
        var paging = Paging.From(page, pageSize);
        new Validator()
            .Check(q is null || q.Length <= MaxQueryLength, "q", $"检索词不能超过 {MaxQueryLength} 个字 / q is longer than {MaxQueryLength} characters.")
            .TechField(field)
            .SubMarket(subMarket)
            .Check(maturityMin is null or (>= 1 and <= 9), "maturityMin", "成熟度为 1–9 / maturityMin is 1–9.")
            // the market's ceiling for any amount bounds the filter too: beyond it (or beyond the index's
            // whole-yuan Int64 price) a number is a typo, not a wish
            .Check(priceMax is null or (>= 0 and <= CommonRules.MoneyCeiling), "priceMax",
                "价格上限为 0 至 1000 亿元 / priceMax must be 0–100 billion yuan.")
            .ThrowIfInvalid();
        return new SearchRequest
        {
            Query = q,
            Kind = WireCode.Parse<ListingKind>(kind, "kind"),
            Field = field,
            SubMarket = subMarket,
            MaturityMin = maturityMin,
            Mode = WireCode.Parse<TransferMode>(mode, "mode"),
            PriceMax = priceMax,
            Sort = WireCode.Parse<SearchSort>(sort, "sort") ?? SearchSort.Relevance,
            Page = paging.Page,
            PageSize = paging.PageSize,
        };
    }
}
