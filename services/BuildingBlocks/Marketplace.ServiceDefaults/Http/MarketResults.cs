using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;

namespace Marketplace.ServiceDefaults.Http;

/// <summary>200 with the resource and its version as the <c>ETag</c>, the answer to a read or a change of a mutable resource.</summary>
public sealed class OkWithETag<T>(T value, long version) : IResult, IEndpointMetadataProvider, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<T>
{
    public T Value => value;

    object? IValueHttpResult.Value => value;

    public long Version => version;

    public int StatusCode => StatusCodes.Status200OK;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.Headers.ETag = ETags.For(version);
        return TypedResults.Ok(value).ExecuteAsync(httpContext);
    }

    static void IEndpointMetadataProvider.PopulateMetadata(MethodInfo method, EndpointBuilder builder) =>
        builder.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status200OK, typeof(T), ["application/json"]));
}

public static class MarketResults
{
    public static OkWithETag<T> OkWithETag<T>(T value, long version) => new(value, version);

    /// <summary>
    /// Declares the ProblemDetails answers every route of a group can give (e.g. 401, 403, 404), so
    /// the OpenAPI document lists them; routes add their own (400, 409, 412, 428) beside.
    /// </summary>
    public static TBuilder ProducesProblems<TBuilder>(this TBuilder builder, params int[] statusCodes) where TBuilder : IEndpointConventionBuilder
    {
        foreach (var status in statusCodes) builder.ProducesProblem(status);
        return builder;
    }
}
