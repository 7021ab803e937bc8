using Marketplace.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Marketplace.Listing.Reference;

internal static class ReferenceEndpoints
{
    public static IEndpointRouteBuilder MapReferenceEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/reference").WithTags("Reference 参考数据").AllowAnonymous();
        group.MapGet("/fields", () => TypedResults.Ok(ReferenceData.Fields)).WithSummary("技术领域 / Technology fields");
        group.MapGet("/sub-markets", () => TypedResults.Ok(ReferenceData.SubMarkets)).WithSummary("分市场 / Sub-markets");
        return app;
    }
}
