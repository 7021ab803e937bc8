using Marketplace.ServiceDefaults.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Matching.Search;

internal static class SearchEndpoints
{
    public static IEndpointRouteBuilder MapSearchEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/search").WithTags("Search 检索").AllowAnonymous();
        group.MapGet("", Search).ProducesProblems(StatusCodes.Status400BadRequest)
            .WithSummary("检索已发布的成果与需求 / Search published listings: ranked, highlighted, faceted, paged");
        group.MapGet("/suggest", Suggest).ProducesProblems(StatusCodes.Status400BadRequest)
            .WithSummary("输入提示 / Completions of a prefix from the published listings' titles and keywords, most listings first");
        return app;
    }

    private static Ok<CompletionResult> Suggest(Completions completions, string? q) =>
        TypedResults.Ok(completions.Complete(SearchRules.Prefix(q)));

    private static Ok<SearchResult> Search(
        SearchService search, string? q, string? kind, string? field, string? subMarket, int? maturityMin, string? mode,
        decimal? priceMax, int? page, int? pageSize, string? sort) =>
        TypedResults.Ok(search.Search(SearchRules.Request(q, kind, field, subMarket, maturityMin, mode, priceMax, page, pageSize, sort)));
}
