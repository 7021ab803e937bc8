using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using MongoDB.Driver;
using Polly;
using Polly.Retry;

namespace Marketplace.ServiceDefaults.Storage;

public sealed class StorageOptions
{
    /// <summary><c>LiteDb</c> (default: one file per service under <see cref="DataDirectory"/>) or <c>MongoDb</c>.</summary>
    public string Provider { get; set; } = "LiteDb";
    public string DataDirectory { get; set; } = "data";
    /// <summary>
    /// <c>Direct</c> (default: the file is this process's alone) or <c>Shared</c> (several processes on
    /// one machine open the same file, e.g. two replicas without a MongoDB server; slower).
    /// </summary>
    public string LiteDbConnection { get; set; } = "Direct";
    public string? MongoConnectionString { get; set; }
    /// <summary>Database name prefix; the service name is appended.</summary>
    public string MongoDatabasePrefix { get; set; } = "marketplace-";
    /// <summary>
    /// Refuse a query that no index answers (<see cref="UnindexedQueryException"/>) instead of sorting in memory:
    /// the tests run with it, so a query without its <see cref="IndexShape"/> fails a test rather than slow a market.
    /// </summary>
    public bool RequireIndexedQueries { get; set; }
}

public static class StorageExtensions
{
    /// <summary>
    /// Registers the document store owned by <paramref name="service"/> as a keyed singleton,
    /// with a readiness check. Each service gets its own LiteDB file or MongoDB database. Adding
    /// the same store twice (every aggregate of a module asks for it) registers it once.
    /// </summary>
    public static IHostApplicationBuilder AddDocumentStore(this IHostApplicationBuilder builder, string service)
    {
        if (builder.Services.Any(d => d.IsKeyedService && d.ServiceType == typeof(IDocumentStore) && Equals(d.ServiceKey, service)))
            return builder;
        var options = builder.Configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        builder.Services.AddKeyedSingleton<IDocumentStore>(service, (_, _) => Create(options, service));
        builder.Services.TryAddSingleton<Messaging.OutboxSignal>();
        builder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            $"store-{service}",
            sp => new DocumentStoreHealthCheck(sp.GetRequiredKeyedService<IDocumentStore>(service)),
            HealthStatus.Unhealthy,
            ["ready"]));
        return builder;
    }

    public static IDocumentStore Create(StorageOptions options, string service)
    {
        switch (options.Provider.ToLowerInvariant())
        {
            case "litedb":
                var shared = options.LiteDbConnection.ToLowerInvariant() switch
                {
                    "direct" => false,
                    "shared" => true,
                    _ => throw new InvalidOperationException($"Storage:LiteDbConnection '{options.LiteDbConnection}' is not one of Direct, Shared."),
                };
                return new LiteDbDocumentStore(Path.Combine(options.DataDirectory, $"{service}.db"), shared, options.RequireIndexedQueries);
            case "mongodb":
                if (string.IsNullOrWhiteSpace(options.MongoConnectionString))
                    throw new InvalidOperationException("Storage:MongoConnectionString is required when Storage:Provider is MongoDb.");
                var settings = MongoClientSettings.FromConnectionString(options.MongoConnectionString);
                settings.ServerSelectionTimeout = TimeSpan.FromSeconds(10);
                var database = new MongoClient(settings).GetDatabase(options.MongoDatabasePrefix + service);
                var store = new MongoDocumentStore(database, options.RequireIndexedQueries);
                // The database may still be starting (compose, Kubernetes): wait for it with back-off.
                StartupRetry.Execute(ct => new ValueTask(store.PingAsync(ct)));
                return store;
            default:
                throw new InvalidOperationException($"Storage:Provider '{options.Provider}' is not one of LiteDb, MongoDb.");
        }
    }

    private sealed class DocumentStoreHealthCheck(IDocumentStore store) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                await store.PingAsync(cancellationToken);
                return HealthCheckResult.Healthy(store.Kind);
            }
            catch (Exception e)
            {
                return HealthCheckResult.Unhealthy($"{store.Kind} unreachable", e);
            }
        }
    }
}

/// <summary>Back-off for connections made at start-up (database, broker).</summary>
public static class StartupRetry
{
    private static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 8,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(500),
            MaxDelay = TimeSpan.FromSeconds(10),
            UseJitter = true,
        })
        .Build();

    public static void Execute(Func<CancellationToken, ValueTask> action) =>
        Pipeline.ExecuteAsync(action, CancellationToken.None).AsTask().GetAwaiter().GetResult();
}
