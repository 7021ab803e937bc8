using Marketplace.Contracts.Listing;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Marketplace.Matching.Indexing;

/// <summary>Asks the listing service to publish its snapshots again, so the index can fill itself.</summary>
internal sealed partial class IndexRebuild(IServiceProvider services, ListingIndex index, ILogger<IndexRebuild> logger)
{
    private static readonly ResiliencePipeline Retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 10, BackoffType = DelayBackoffType.Exponential, Delay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(10) })
        .Build();

    public async Task<Guid> RequestAsync(DateTimeOffset? changedSince, string requestedBy, CancellationToken ct)
    {
        var request = new ListingSnapshotsRequested { RequestId = NewId.NextGuid(), ChangedSince = changedSince, RequestedBy = requestedBy };
        await Retry.ExecuteAsync(async token => await services.GetRequiredService<IBus>().Publish(request, token), ct);
        LogRequested(request.RequestId, changedSince, index.Known);
        return request.RequestId;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Requested listing snapshots {RequestId} changed since {Since} (index knows {Known})")]
    private partial void LogRequested(Guid requestId, DateTimeOffset? since, int known);
}

/// <summary>
/// At start: an empty index (or every start, in embedded mode) asks for every snapshot; a
/// non-empty one asks for what changed since its last commit, which covers events that were
/// consumed but not yet on disk when the process stopped. A replica that started empty reports
/// not ready until the replay is complete, asking again once nothing of it has arrived for
/// <see cref="RetryAfter"/> (<c>Matching:FillRetryAfter</c>): the listing service does not answer. A
/// replay still arriving is waited for however long it takes — asking again each 30 s, as this
/// once did, started the count over, so 100,000 listings (more than a replay delivers in 30 s) never
/// made the replica ready and heaped up replay after replay.
/// </summary>
internal sealed class IndexStartup(IndexRebuild rebuild, ListingIndex index, IndexFill fill, IConfiguration configuration, IBusControl bus) : BackgroundService
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var always = configuration.GetValue<bool?>("Matching:RebuildOnStart") ?? false;
        var empty = index.Known == 0;
        DateTimeOffset? since = always || empty || index.LastCommit is null ? null : index.LastCommit.Value.AddMinutes(-5);
        try
        {
            // the bus starts after this service: a request published before the listing service's
            // endpoint listens would be lost (in memory) — wait until the bus is up
            await bus.WaitForHealthStatus(BusHealthStatus.Healthy, stoppingToken);
            if (!empty)
            {
                await rebuild.RequestAsync(since, "startup", stoppingToken);
                return;
            }
            var silence = configuration.GetValue<TimeSpan?>("Matching:FillRetryAfter") ?? RetryAfter;
            while (!stoppingToken.IsCancellationRequested)
            {
                fill.Begin(await rebuild.RequestAsync(null, "startup", stoppingToken));
                var arrived = fill.Arrived;
                var deadline = DateTime.UtcNow + silence;
                while (fill.Filling && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(200, stoppingToken);
                    if (fill.Arrived == arrived) continue;
                    // the replay is coming: wait for the rest of it
                    arrived = fill.Arrived;
                    deadline = DateTime.UtcNow + silence;
                }
                if (!fill.Filling)
                {
                    fill.Done();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
