using System.Collections.Concurrent;
using Marketplace.Contracts.Listing;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;

namespace Marketplace.Matching.Indexing;

/// <summary>
/// Asks the listing service to publish its snapshots again, so the index can fill itself. A replay applies what is
/// newer than the index; one that <em>rewrites</em> (an admin's rebuild, or the first replay of an index in an older
/// format) writes every listing again, the versions the index has included, and once all of it is applied the index
/// is in this code's format.
/// </summary>
internal sealed partial class IndexRebuild(IServiceProvider services, ListingIndex index, ILogger<IndexRebuild> logger)
{
    private static readonly ResiliencePipeline Retry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 10, BackoffType = DelayBackoffType.Exponential, Delay = TimeSpan.FromMilliseconds(500), MaxDelay = TimeSpan.FromSeconds(10) })
        .Build();

    /// <summary>This replica's rewriting replays still arriving: snapshots applied, and the count its end announced.</summary>
    private readonly ConcurrentDictionary<Guid, Rewriting> _rewriting = new();

    private sealed class Rewriting
    {
        public int Applied;
        public int Expected = -1;
    }

    public async Task<Guid> RequestAsync(DateTimeOffset? changedSince, string requestedBy, bool rewrite, CancellationToken ct)
    {
        var request = new ListingSnapshotsRequested { RequestId = NewId.NextGuid(), ChangedSince = changedSince, RequestedBy = requestedBy };
        // a rewrite of everything, announced before the request leaves, so its first snapshot already rewrites
        if (rewrite && changedSince is null) _rewriting[request.RequestId] = new Rewriting();
        try
        {
            await Retry.ExecuteAsync(async token => await services.GetRequiredService<IBus>().Publish(request, token), ct);
        }
        catch
        {
            _rewriting.TryRemove(request.RequestId, out _);
            throw;
        }
        LogRequested(request.RequestId, changedSince, rewrite, index.Known);
        return request.RequestId;
    }

    /// <summary>Whether the snapshots of this request are written again even at a version the index has.</summary>
    public bool Rewrites(Guid requestId) => _rewriting.ContainsKey(requestId);

    /// <summary>A snapshot of a replay was applied.</summary>
    public void Applied(Guid requestId)
    {
        if (!_rewriting.TryGetValue(requestId, out var rewriting)) return;
        Interlocked.Increment(ref rewriting.Applied);
        Finish(requestId, rewriting);
    }

    /// <summary>The listing service published every snapshot of a replay (<paramref name="count"/> of them).</summary>
    public void Completed(Guid requestId, int count)
    {
        if (!_rewriting.TryGetValue(requestId, out var rewriting)) return;
        Volatile.Write(ref rewriting.Expected, count);
        Finish(requestId, rewriting);
    }

    // the end and the last snapshots arrive in any order: whichever comes last finishes the rewrite, once
    private void Finish(Guid requestId, Rewriting rewriting)
    {
        var expected = Volatile.Read(ref rewriting.Expected);
        if (expected < 0 || Volatile.Read(ref rewriting.Applied) < expected || !_rewriting.TryRemove(requestId, out _)) return;
        index.MarkCurrent();
        LogRewritten(requestId, expected, index.Format);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Requested listing snapshots {RequestId} changed since {Since}, rewriting: {Rewrite} (index knows {Known})")]
    private partial void LogRequested(Guid requestId, DateTimeOffset? since, bool rewrite, int known);

    [LoggerMessage(Level = LogLevel.Information, Message = "Replay {RequestId} rewrote {Count} listings: the index is in format {Format}")]
    private partial void LogRewritten(Guid requestId, int count, string format);
}

/// <summary>
/// At start: an empty index — or one whose fill did not complete — (or every start, in embedded mode, where the in-memory bus loses what it held at a
/// crash) asks for every snapshot; a non-empty one asks for what changed since its last commit, which covers events
/// that were consumed but not yet on disk when the process stopped. Either applies only what is newer than the index,
/// unless the index is in an older format (<see cref="ListingIndex.Outdated"/>): then every snapshot is asked for and
/// rewritten, while search goes on answering from the old documents. A replica that started empty reports
/// not ready until the replay is complete, asking again once nothing of it has arrived for
/// <see cref="RetryAfter"/> (<c>Matching:FillRetryAfter</c>): the listing service does not answer. A
/// replay still arriving is waited for however long it takes — asking again each 30 s, as this
/// once did, started the count over, so 100,000 listings (more than a replay delivers in 30 s) never
/// made the replica ready and heaped up replay after replay.
/// </summary>
internal sealed class IndexStartup(IndexRebuild rebuild, ListingIndex index, IndexFill fill, IConfiguration configuration, IBusControl bus,
    IHostApplicationLifetime lifetime) : BackgroundService
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var always = configuration.GetValue<bool?>("Matching:RebuildOnStart") ?? false;
        // an index that stopped while filling holds part of the market: it fills again, not ready until complete
        var empty = index.Known == 0 || !index.Filled;
        var rewrite = !empty && index.Outdated;
        // not ready from the start: the request below waits for the bus, and an empty index must not be served meanwhile
        if (empty) fill.Awaiting();
        DateTimeOffset? since = always || empty || rewrite || index.LastCommit is null ? null : index.LastCommit.Value.AddMinutes(-5);
        try
        {
            // the bus starts after this service: a request published before the listing service's
            // endpoint listens would be lost (in memory) — wait until the bus is up
            await bus.WaitForHealthStatus(BusHealthStatus.Healthy, stoppingToken);
            if (!empty)
            {
                // the index answers searches already: catching up waits until the host has started, so that a replay of
                // every listing (embedded mode) does not hold back the rest of the start and its first requests
                await Started(stoppingToken);
                await rebuild.RequestAsync(since, "startup", rewrite, stoppingToken);
                return;
            }
            var silence = configuration.GetValue<TimeSpan?>("Matching:FillRetryAfter") ?? RetryAfter;
            while (!stoppingToken.IsCancellationRequested)
            {
                fill.Begin(await rebuild.RequestAsync(null, "startup", rewrite: false, stoppingToken));
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

    private Task Started(CancellationToken ct)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(ct);
    }
}
