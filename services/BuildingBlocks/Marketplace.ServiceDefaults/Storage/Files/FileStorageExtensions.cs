using Marketplace.ServiceDefaults.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MongoDB.Driver;

namespace Marketplace.ServiceDefaults.Storage.Files;

/// <summary>The limits upload endpoints hold to (<c>Storage:Files</c>) and the partial-upload sweep's timing.</summary>
public sealed class FileStorageOptions
{
    public const string Section = "Storage:Files";

    /// <summary>The largest file kept; an upload past it is refused as it arrives (413).</summary>
    public long MaxFileBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>The most files one resource (a listing, a contract) holds; one more is refused (409).</summary>
    public int MaxFilesPerResource { get; set; } = 20;

    /// <summary>How often the sweep looks for abandoned uploads.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>An upload still unpublished this long after it started is abandoned; longer than any upload takes.</summary>
    public TimeSpan AbandonedAfter { get; set; } = TimeSpan.FromHours(1);
}

public static class FileStorageExtensions
{
    /// <summary>
    /// Registers the file store of the service <paramref name="storeKey"/> as a keyed <see cref="IFileStore"/>, where
    /// that service keeps its documents (<see cref="StorageExtensions.AddDocumentStore"/>, added too if missing): in
    /// its LiteDB file, or GridFS in its MongoDB database. Also binds <see cref="FileStorageOptions"/> and runs the
    /// sweep of abandoned uploads. Adding the same store twice registers it once.
    /// </summary>
    public static IHostApplicationBuilder AddFileStore(this IHostApplicationBuilder builder, string storeKey)
    {
        if (builder.Services.Any(d => d.IsKeyedService && d.ServiceType == typeof(IFileStore) && Equals(d.ServiceKey, storeKey)))
            return builder;
        builder.AddDocumentStore(storeKey);
        builder.Services.TryAddSingleton(TimeProvider.System);
        if (!builder.Services.Any(d => d.ServiceType == typeof(IConfigureOptions<FileStorageOptions>)))
        {
            builder.Services.AddOptions<FileStorageOptions>().Bind(builder.Configuration.GetSection(FileStorageOptions.Section))
                .Validate(o => o.MaxFileBytes > 0 && o.MaxFilesPerResource > 0 && o.SweepInterval > TimeSpan.Zero && o.AbandonedAfter > TimeSpan.Zero,
                    "Storage:Files: MaxFileBytes, MaxFilesPerResource, SweepInterval and AbandonedAfter must be positive.")
                .ValidateOnStart();
        }
        var storage = builder.Configuration.GetSection("Storage").Get<StorageOptions>() ?? new StorageOptions();
        builder.Services.AddKeyedSingleton<IFileStore>(storeKey, (sp, _) =>
        {
            var time = sp.GetRequiredService<TimeProvider>();
            return sp.GetRequiredKeyedService<IDocumentStore>(storeKey) switch
            {
                LiteDbDocumentStore lite => new LiteDbFileStore(lite, time),
                // the document store's client was made from the same settings, so the driver shares its connections
                MongoDocumentStore => new MongoFileStore(MongoDatabase(storage, storeKey), time),
                var other => throw new InvalidOperationException($"No file store for a '{other.Kind}' document store."),
            };
        });
        builder.Services.AddSingleton<IHostedService>(sp => new PartialUploadSweep(
            sp.GetRequiredKeyedService<IFileStore>(storeKey), sp.GetRequiredService<IOptions<FileStorageOptions>>().Value,
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PartialUploadSweep>>()));
        return builder;
    }

    private static IMongoDatabase MongoDatabase(StorageOptions options, string service)
    {
        var settings = MongoClientSettings.FromConnectionString(options.MongoConnectionString);
        settings.ServerSelectionTimeout = TimeSpan.FromSeconds(10);
        return new MongoClient(settings).GetDatabase(options.MongoDatabasePrefix + service);
    }
}

/// <summary>
/// Removes what abandoned uploads left (<see cref="IFileStore.SweepPartialAsync"/>) every
/// <see cref="FileStorageOptions.SweepInterval"/>. Replicas may sweep at once: removing is idempotent.
/// </summary>
public sealed partial class PartialUploadSweep(IFileStore store, FileStorageOptions options, TimeProvider time, ILogger<PartialUploadSweep> logger)
    : PeriodicSweep(options.SweepInterval, time, logger)
{
    public override async Task<int> SweepAsync(CancellationToken ct)
    {
        var removed = await store.SweepPartialAsync(options.AbandonedAfter, ct);
        if (removed > 0) LogRemoved(logger, removed, store.Kind);
        return removed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} abandoned uploads from the {Kind} file store")]
    private static partial void LogRemoved(ILogger logger, int count, string kind);
}
