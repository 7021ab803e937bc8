using Marketplace.Matching.Indexing;
using Marketplace.Matching.Matches;
using Marketplace.Matching.Search;
using Marketplace.ServiceDefaults.Hosting;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Matching;

/// <summary>The matching service as a module: search, matches and announcements over its own index.</summary>
public static class MatchingModule
{
    public const string StoreKey = "matching";
    public const string Suggestions = "suggestions";

    public static IHostApplicationBuilder AddMatching(this IHostApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var options = configuration.GetSection("Matching").Get<MatchingOptions>() ?? new MatchingOptions();
        options.Weights.Normalised(); // fail at start on bad weights
        if (options.AnnounceTop < 0) throw new InvalidOperationException("Matching:AnnounceTop must not be negative (0 turns announcements off).");
        var mode = Enum.TryParse<TextAnalysisMode>(configuration["Matching:Analysis"], true, out var m) ? m : TextAnalysisMode.SmartCn;
        var dataDirectory = configuration["Storage:DataDirectory"] ?? "data";
        var indexPath = configuration["Matching:IndexPath"] ?? Path.Combine(dataDirectory, "matching-index");
        // Each replica keeps its own index, so each needs its own queue and sees every listing event.
        var instance = ServiceInstance.Id(configuration);

        // suggestions are only inserted (by pair id) and swept by the outbox dispatcher, whose
        // pending-message index the store ensures with the collection's: no field is queried
        builder.AddAggregates(StoreKey, Suggestions, new IndexFields<Suggestion>(), outbox: true);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(_ => new ListingIndex(indexPath, new TextAnalysis(mode)));
        builder.Services.AddSingleton<SearchService>();
        builder.Services.AddSingleton<Completions>();
        builder.Services.AddSingleton<MatchScorer>();
        builder.Services.AddSingleton<MatchAnnouncer>();
        builder.Services.AddSingleton<IndexRebuild>();
        builder.Services.AddSingleton<IndexFill>();
        builder.Services.AddHostedService<IndexStartup>();
        builder.Services.AddHealthChecks().AddCheck<IndexHealthCheck>("matching-index", tags: ["ready"]);
        // every replica keeps its own index, so each has its own queues: one keeps the index in step, the other
        // announces the matches of new publications (idempotent per pair) and may lag behind without holding search back
        builder.Services.AddMarketConsumers(x =>
        {
            x.AddConsumer<ListingEventsConsumer>().Endpoint(e => e.Name = $"matching-{instance}");
            // Matching:AnnounceTop = 0: a replica that only searches has no announcement queue
            if (options.AnnounceTop > 0)
            {
                x.AddConsumer<PublicationMatchesConsumer>().Endpoint(e =>
                {
                    e.Name = $"matching-{instance}-matches";
                    e.ConcurrentMessageLimit = 1;
                });
            }
        });
        // a replica gone for good (scaled down) must not leave a queue filling up; one back within the
        // hour finds its backlog, and one back later catches up through a snapshot replay at start
        var expiry = configuration.GetValue<TimeSpan?>("Matching:QueueExpiry") ?? TimeSpan.FromHours(1);
        builder.Services.ExpireIdleQueue($"matching-{instance}", expiry);
        if (options.AnnounceTop > 0) builder.Services.ExpireIdleQueue($"matching-{instance}-matches", expiry);
        return builder;
    }

    public static IEndpointRouteBuilder MapMatching(this IEndpointRouteBuilder app) =>
        app.MapSearchEndpoints().MapMatchEndpoints().MapIndexEndpoints();

    /// <summary>Ready once the index is complete: a replica that started empty waits for its first replay.</summary>
    private sealed class IndexHealthCheck(ListingIndex index, IndexFill fill) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(fill.Filling
                ? HealthCheckResult.Unhealthy($"filling the index from the listing service: {fill.Progress}")
                : HealthCheckResult.Healthy($"{index.Known} listings known"));
    }
}
