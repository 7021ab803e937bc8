using Marketplace.Contracts;
using Marketplace.Matching.Indexing;
using Marketplace.Matching.Matches;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Matching.Search;

public sealed record MatchesResponse(Guid ListingId, IReadOnlyList<MatchItem> Items);

public sealed record MatchItem(
    Guid ListingId, ListingKind Kind, string Title, string? OwnerOrgName, string Field, string SubMarket,
    decimal Score, IReadOnlyList<MatchFactor> Factors, string Explanation, bool IsDemo);

public sealed record RebuildResponse(Guid RequestId, int Known);

public static class SearchEndpoints
{
    public static IEndpointRouteBuilder MapSearchEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/search", Search).AllowAnonymous().WithTags("Search 检索")
            .WithSummary("检索已发布的成果与需求 / Search published listings: ranked, highlighted, faceted, paged");
        app.MapGet("/api/matches/{listingId:guid}", Matches).WithTags("Search 检索")
            .RequireAuthorization(p => p.RequireRole(Roles.University, Roles.Enterprise, Roles.Broker, Roles.Operator))
            .WithSummary("智能匹配 / The best counterparts of a listing, each factor explained (owner, brokers, operators)");
        app.MapPost("/api/matching/rebuild", Rebuild).WithTags("Search 检索")
            .RequireAuthorization(p => p.RequireRole(Roles.Admin))
            .WithSummary("重建索引 / Rebuild the index from the listing service");
        return app;
    }

    private static Ok<SearchResult> Search(
        SearchService search, string? q, string? kind, string? field, string? subMarket, int? maturityMin, string? mode,
        decimal? priceMax, int? page, int? pageSize, string? sort)
    {
        var paging = Paging.From(page, pageSize);
        var v = new Validator()
            .Check(q is null || q.Length <= 200, "q", "检索词不能超过 200 个字 / q is longer than 200 characters.")
            .Check(field is null || ReferenceData.IsField(field), "field", "未知的技术领域代码 / Unknown field code.")
            .Check(subMarket is null || ReferenceData.IsSubMarket(subMarket), "subMarket", "未知的分市场代码 / Unknown sub-market code.")
            .Check(maturityMin is null or (>= 1 and <= 9), "maturityMin", "成熟度为 1–9 / maturityMin is 1–9.")
            .Check(priceMax is null or >= 0, "priceMax", "价格不能为负 / priceMax cannot be negative.");
        v.ThrowIfInvalid();
        return TypedResults.Ok(search.Search(new SearchRequest
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
        }));
    }

    private static Ok<MatchesResponse> Matches(Guid listingId, int? top, HttpContext http, ListingIndex index, MatchScorer scorer)
    {
        new Validator().Check(top is null or (>= 1 and <= 50), "top", "top 为 1–50 / top is 1–50.").ThrowIfInvalid();
        var user = MarketUser.Required(http.User);
        var listing = index.Find(listingId)
            ?? throw new NotFoundException($"匹配服务中没有挂牌信息 {listingId}（未发布或不存在）/ Listing {listingId} is unknown to matching (never published, or does not exist).");
        var allowed = user.Organisation == listing.OwnerOrg || user.Role == Roles.Broker || user.IsOperatorOf(listing.SubMarket);
        if (!allowed) throw new ForbiddenException("只有发布单位、技术经纪人和所属分市场运营人员可以查看匹配结果 / Only the owner, brokers and the sub-market's operators see matches.");
        var matches = scorer.FindMatches(listing, top ?? 10);
        return TypedResults.Ok(new MatchesResponse(listingId, matches.Select(m => new MatchItem(
            m.Counterpart.Id, m.Counterpart.Kind, m.Counterpart.Title, m.Counterpart.OwnerOrgName, m.Counterpart.Field, m.Counterpart.SubMarket,
            m.Score, m.Factors, m.Explanation, m.Counterpart.IsDemo)).ToList()));
    }

    private static async Task<Accepted<RebuildResponse>> Rebuild(HttpContext http, IndexRebuild rebuild, ListingIndex index, CancellationToken ct)
    {
        var user = MarketUser.Required(http.User);
        var requestId = await rebuild.RequestAsync(null, user.Subject, ct);
        return TypedResults.Accepted((string?)null, new RebuildResponse(requestId, index.Known));
    }
}
