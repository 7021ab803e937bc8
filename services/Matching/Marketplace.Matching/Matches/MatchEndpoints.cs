using Marketplace.Contracts;
using Marketplace.Matching.Indexing;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Matching.Matches;

internal sealed record MatchesResponse(Guid ListingId, IReadOnlyList<MatchItem> Items);

internal sealed record MatchItem(
    Guid ListingId, ListingKind Kind, string Title, string? OwnerOrgName, string Field, string SubMarket,
    decimal Score, IReadOnlyList<MatchFactor> Factors, string Explanation, bool IsDemo)
{
    public static MatchItem From(Match m) => new(
        m.Counterpart.Id, m.Counterpart.Kind, m.Counterpart.Title, m.Counterpart.OwnerOrgName, m.Counterpart.Field, m.Counterpart.SubMarket,
        m.Score, m.Factors, m.Explanation, m.Counterpart.IsDemo);
}

internal static class MatchEndpoints
{
    public static IEndpointRouteBuilder MapMatchEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/matches").WithTags("Search 检索")
            .RequireAuthorization(p => p.RequireRole(MatchRules.Viewers))
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status404NotFound);
        group.MapGet("/{listingId:guid}", Matches).ProducesProblems(StatusCodes.Status400BadRequest)
            .WithSummary("智能匹配 / The best counterparts of a listing, each factor explained (owner, brokers, operators)");
        return app;
    }

    private static Ok<MatchesResponse> Matches(Guid listingId, int? top, MarketUser user, ListingIndex index, MatchScorer scorer)
    {
        var count = MatchRules.Top(top);
        var listing = index.Find(listingId)
            ?? throw new NotFoundException($"匹配服务中没有挂牌信息 {listingId}（未发布或不存在）/ Listing {listingId} is unknown to matching (never published, or does not exist).");
        MatchRules.EnsureMaySee(user, listing);
        var matches = scorer.FindMatches(listing, count);
        return TypedResults.Ok(new MatchesResponse(listingId, matches.Select(MatchItem.From).ToList()));
    }
}
