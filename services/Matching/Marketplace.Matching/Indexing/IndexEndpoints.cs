using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Http;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Matching.Indexing;

internal sealed record RebuildResponse(Guid RequestId, int Known);

/// <summary>Running the index: a rebuild refills it from the listing service, like an empty replica at start.</summary>
internal static class IndexEndpoints
{
    public static IEndpointRouteBuilder MapIndexEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/matching").WithTags("Search 检索")
            .RequireAuthorization(p => p.RequireRole(Roles.Admin))
            .ProducesProblems(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden);
        group.MapPost("/rebuild", Rebuild)
            .WithSummary("重建索引 / Rebuild the index from the listing service");
        return app;
    }

    private static async Task<Accepted<RebuildResponse>> Rebuild(MarketUser user, IndexRebuild rebuild, ListingIndex index, CancellationToken ct)
    {
        var requestId = await rebuild.RequestAsync(null, user.Subject, rewrite: true, ct);
        return TypedResults.Accepted((string?)null, new RebuildResponse(requestId, index.Known));
    }
}
