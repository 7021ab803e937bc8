using System.Text.Json;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Marketplace.ServiceDefaults.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Marketplace.ServiceDefaults;

/// <summary>What every process of the market has: errors, JSON, limits, health, telemetry, OpenAPI.</summary>
public static class HostingExtensions
{
    public const long DefaultMaxRequestBodyBytes = 1024 * 1024;

    public static IHostApplicationBuilder AddServiceDefaults(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
        {
            ctx.ProblemDetails.Extensions["traceId"] = System.Diagnostics.Activity.Current?.Id ?? ctx.HttpContext.TraceIdentifier;
            ctx.ProblemDetails.Instance ??= ctx.HttpContext.Request.Path;
        });
        builder.Services.AddExceptionHandler<ProblemDetailsExceptionHandler>();
        builder.Services.ConfigureHttpJsonOptions(o => MarketJson.ConfigureHttp(o.SerializerOptions));
        // Malformed JSON becomes an exception our handler turns into a ProblemDetails with the reason.
        builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        var maxBody = builder.Configuration.GetValue<long?>("Limits:MaxRequestBodyBytes") ?? DefaultMaxRequestBodyBytes;
        builder.Services.Configure<KestrelServerOptions>(o =>
        {
            o.Limits.MaxRequestBodySize = maxBody;
            o.AddServerHeader = false; // "Server: Kestrel" tells a prober what to try
        });

        builder.Services.AddHealthChecks().AddCheck("self", () => HealthCheckResult.Healthy(), ["live"]);
        builder.Services.AddOpenApi(o => o.CreateSchemaReferenceId = Http.SchemaIds.For);

        if (builder.Configuration.GetValue<bool>("Logging:Json"))
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(o => o.IncludeScopes = true);
        }
        // traced and measured only where something receives it: without an exporter every request built activities
        // and tags for nobody (9% of the gateway's CPU on a cheap route, docs/benchmarks.md); the meters stay readable
        // with dotnet-counters either way
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            builder.Services.AddOpenTelemetry()
                .WithTracing(t => t.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddSource("MassTransit"))
                .WithMetrics(m => m.AddAspNetCoreInstrumentation().AddHttpClientInstrumentation().AddRuntimeInstrumentation().AddMeter("MassTransit").AddMeter(Messaging.OutboxMonitor.MeterName))
                .UseOtlpExporter();
        return builder;
    }

    /// <summary>Error handling first, then health and the OpenAPI document.</summary>
    public static WebApplication UseServiceDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        // Kestrel enforces its own limit while reading; this answers a declared oversize body at once,
        // on any server (the in-process test server has no limit of its own). A route that takes a file
        // declares its own, larger limit (IRequestSizeLimitMetadata, e.g. FileUploadLimit); Kestrel is told of it.
        var maxBody = app.Configuration.GetValue<long?>("Limits:MaxRequestBodyBytes") ?? DefaultMaxRequestBodyBytes;
        app.Use((context, next) =>
        {
            var limit = maxBody;
            if (context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is { MaxRequestBodySize: { } routeLimit })
            {
                limit = routeLimit;
                if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature) feature.MaxRequestBodySize = routeLimit;
            }
            return context.Request.ContentLength is { } declared && declared > limit ? RefuseOversizeAsync(context, declared) : next(context);
        });
        return app;
    }

    /// <summary>How much of a refused oversize body is still read, so that the refusal reaches the client.</summary>
    public const long OversizeDrainBytes = 16 * 1024 * 1024;

    /// <summary>
    /// 413 for a body declared larger than the route takes, before the route runs. The answer closes the connection
    /// (<c>Connection: close</c>): the client may still be sending the body, which nobody reads past the limit, so the
    /// connection cannot carry its next request; a client that reused it lost that request to a broken pipe. What the
    /// client sends, up to <see cref="OversizeDrainBytes"/> beyond the limit, is read first, so that the close does
    /// not reset the answer away from a client still writing; a body larger still is cut off.
    /// </summary>
    private static async Task RefuseOversizeAsync(HttpContext context, long declared)
    {
        // set as the answer starts: the exception handler clears the headers set before it (HTTP/2 and 3 have no
        // such header: a stream ends, not the connection)
        if (HttpProtocol.IsHttp11(context.Request.Protocol) || HttpProtocol.IsHttp10(context.Request.Protocol))
            context.Response.OnStarting(() =>
            {
                context.Response.Headers.Connection = "close";
                return Task.CompletedTask;
            });
        var limit = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (limit is not { MaxRequestBodySize: { } max } || declared - max <= OversizeDrainBytes)
        {
            if (limit is { IsReadOnly: false }) limit.MaxRequestBodySize = declared;
            await context.Request.DrainAsync(OversizeDrainTime);
        }
        throw new Microsoft.AspNetCore.Http.BadHttpRequestException("Request body too large.", StatusCodes.Status413PayloadTooLarge);
    }

    private static readonly TimeSpan OversizeDrainTime = TimeSpan.FromSeconds(10);

    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains("live"), ResponseWriter = WriteHealth })
            .AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready"), ResponseWriter = WriteHealth })
            .AllowAnonymous();
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        return app;
    }

    /// <summary>A health report as JSON: the overall status and each check's.</summary>
    public static Task WriteHealth(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), e.Value.Description }),
        }, MarketJson.Wire);
    }
}
