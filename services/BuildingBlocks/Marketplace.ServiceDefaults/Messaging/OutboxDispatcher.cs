using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Marketplace.ServiceDefaults.Hosting;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;

namespace Marketplace.ServiceDefaults.Messaging;

public sealed class OutboxOptions
{
    /// <summary>How often to look for leftovers when nothing signalled (e.g. after a crash).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
    public int BatchSize { get; set; } = 100;
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>An event waiting longer than this makes the <c>outbox</c> health entry degraded.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>
/// Publishes the events saved in aggregate documents, then removes them from the document.
/// A crash between publish and removal publishes the message again with the same message id:
/// delivery is at-least-once and consumers are idempotent. A message this build cannot read
/// parks its document's outbox (the pending query skips it) until a new build starts.
/// </summary>
public sealed partial class OutboxDispatcher(
    IServiceProvider services,
    IEnumerable<OutboxSource> sources,
    OutboxSignal signal,
    OutboxMonitor monitor,
    IOptions<OutboxOptions> options,
    IConfiguration configuration,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
    /// <summary>One replica at a time drains a collection's outbox; a dead holder's lease runs out after this.</summary>
    public static readonly TimeSpan LeaseDuration = TimeSpan.FromSeconds(15);

    private readonly string _owner = ServiceInstance.Id(configuration);

    private readonly ResiliencePipeline _publishRetry = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            MaxRetryAttempts = 3,
            BackoffType = DelayBackoffType.Exponential,
            Delay = TimeSpan.FromMilliseconds(200),
            UseJitter = true,
        })
        .Build();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var all = sources.Distinct().ToList();
        if (all.Count == 0) return;
        await ResumeParkedAsync(all, stoppingToken);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var more = false;
                foreach (var source in all) more |= await DispatchBatchAsync(source, stoppingToken);
                failures = 0;
                if (!more) await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                failures++;
                var delay = TimeSpan.FromMilliseconds(Math.Min(options.Value.MaxBackoff.TotalMilliseconds, 250 * Math.Pow(2, Math.Min(failures, 10))));
                LogDispatchFailed(e, delay);
                try { await Task.Delay(delay, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>A new build may read what the one before parked: every parked outbox is pending again at start.</summary>
    private async Task ResumeParkedAsync(IEnumerable<OutboxSource> all, CancellationToken ct)
    {
        foreach (var source in all)
        {
            try
            {
                var resumed = await Store(source).ResumeParkedOutboxAsync(source.Collection, ct);
                if (resumed > 0) LogResumed(resumed, source.Collection);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogDispatchFailed(e, TimeSpan.Zero);
            }
        }
    }

    /// <returns>true when the batch was full and moved something (published or parked), so more may be waiting.</returns>
    private async Task<bool> DispatchBatchAsync(OutboxSource source, CancellationToken ct)
    {
        var store = Store(source);
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        var leases = new Leases(store, time, _owner);
        if (!await leases.TryAcquireAsync(LeaseName(source), LeaseDuration, ct)) return false; // another replica dispatches
        var leaseRenewed = time.GetUtcNow();
        var docs = await store.FindPendingOutboxAsync(source.Collection, options.Value.BatchSize, ct);
        monitor.Pending(source.Collection, docs.SelectMany(d => d.Outbox).Select(m => (DateTimeOffset?)m.OccurredAt).Min());
        if (docs.Count == 0) return false;
        var bus = services.GetRequiredService<IBus>();
        var (sent, parked) = (0, 0);
        foreach (var doc in docs)
        {
            foreach (var message in doc.Outbox.OrderBy(m => m.OccurredAt))
            {
                if (!TryRead(message, doc.Id, out var payload, out var type))
                {
                    // the document's later events wait behind it (their order matters to consumers);
                    // parked, the document no longer comes back in every batch ahead of healthy ones
                    await store.ParkOutboxAsync(source.Collection, doc.Id, message.Id, ct);
                    parked++;
                    break;
                }
                // a long batch (a slow broker) must not outlive the lease: another replica would start on the same documents
                if (time.GetUtcNow() - leaseRenewed > LeaseDuration / 3)
                {
                    if (!await leases.TryAcquireAsync(LeaseName(source), LeaseDuration, ct)) return false;
                    leaseRenewed = time.GetUtcNow();
                }
                await _publishRetry.ExecuteAsync(async token =>
                    await bus.Publish(payload, type, Pipe.Execute<PublishContext>(ctx => ctx.MessageId = message.Id), token), ct);
                await store.MarkDispatchedAsync(source.Collection, doc.Id, message.Id, ct);
                sent++;
                LogDispatched(message.Type, message.Id, doc.Id);
            }
        }
        if (parked > 0) monitor.Parked(source.Collection, await store.CountParkedOutboxAsync(source.Collection, ct));
        return docs.Count == options.Value.BatchSize && sent + parked > 0;
    }

    private IDocumentStore Store(OutboxSource source) => services.GetRequiredKeyedService<IDocumentStore>(source.StoreKey);

    public static string LeaseName(OutboxSource source) => "outbox:" + source.Collection;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        foreach (var source in sources.Distinct())
        {
            try
            {
                var store = services.GetRequiredKeyedService<IDocumentStore>(source.StoreKey);
                await new Leases(store, services.GetService<TimeProvider>() ?? TimeProvider.System, _owner).ReleaseAsync(LeaseName(source), cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogReleaseFailed(e, source.Collection);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not release the outbox lease of {Collection}; it runs out by itself")]
    private partial void LogReleaseFailed(Exception e, string collection);

    /// <summary>
    /// A message this build cannot read (an event type renamed or removed, a damaged body) will not
    /// become readable by retrying, so it must not hold up other documents' events. It stays in its
    /// document, untouched, for a build that can read it, and is logged as an error once.
    /// </summary>
    private bool TryRead(OutboxMessage message, string documentId, [NotNullWhen(true)] out object? payload, [NotNullWhen(true)] out Type? type)
    {
        payload = null;
        type = null;
        try
        {
            type = EventTypes.Resolve(message.Type);
            payload = JsonSerializer.Deserialize(message.Body, type, MarketJson.Wire)
                ?? throw new JsonException("The message body is null.");
            return true;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException)
        {
            if (_unreadable.TryAdd(message.Id, 0)) LogUnreadable(e, message.Type, message.Id, documentId);
            return false;
        }
    }

    private readonly ConcurrentDictionary<Guid, byte> _unreadable = new();

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox message {MessageId} ({EventType}) of document {DocumentId} cannot be read; the document's outbox is parked until a build that can read it starts")]
    private partial void LogUnreadable(Exception e, string eventType, Guid messageId, string documentId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Count} parked outbox(es) of {Collection} are pending again")]
    private partial void LogResumed(int count, string collection);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Published {EventType} {MessageId} from {DocumentId}")]
    private partial void LogDispatched(string eventType, Guid messageId, string documentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatch failed; retrying in {Delay}")]
    private partial void LogDispatchFailed(Exception e, TimeSpan delay);
}
