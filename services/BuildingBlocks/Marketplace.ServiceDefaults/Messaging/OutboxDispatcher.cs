using System.Text.Json;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using MassTransit;
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
}

/// <summary>
/// Publishes the events saved in aggregate documents, then removes them from the document.
/// A crash between publish and removal publishes the message again with the same message id:
/// delivery is at-least-once and consumers are idempotent.
/// </summary>
public sealed partial class OutboxDispatcher(
    IServiceProvider services,
    IEnumerable<OutboxSource> sources,
    OutboxSignal signal,
    IOptions<OutboxOptions> options,
    ILogger<OutboxDispatcher> logger) : BackgroundService
{
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

    /// <returns>true when the batch was full and more may be waiting.</returns>
    private async Task<bool> DispatchBatchAsync(OutboxSource source, CancellationToken ct)
    {
        var store = services.GetRequiredKeyedService<IDocumentStore>(source.StoreKey);
        var docs = await store.FindPendingOutboxAsync(source.Collection, options.Value.BatchSize, ct);
        if (docs.Count == 0) return false;
        var bus = services.GetRequiredService<IBus>();
        foreach (var doc in docs)
        {
            foreach (var message in doc.Outbox.OrderBy(m => m.OccurredAt))
            {
                var type = EventTypes.Resolve(message.Type);
                var payload = JsonSerializer.Deserialize(message.Body, type, MarketJson.Wire)
                    ?? throw new InvalidOperationException($"Outbox message {message.Id} has an empty body.");
                await _publishRetry.ExecuteAsync(async token =>
                    await bus.Publish(payload, type, Pipe.Execute<PublishContext>(ctx => ctx.MessageId = message.Id), token), ct);
                await store.MarkDispatchedAsync(source.Collection, doc.Id, message.Id, ct);
                LogDispatched(message.Type, message.Id, doc.Id);
            }
        }
        return docs.Count == options.Value.BatchSize;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Published {EventType} {MessageId} from {DocumentId}")]
    private partial void LogDispatched(string eventType, Guid messageId, string documentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox dispatch failed; retrying in {Delay}")]
    private partial void LogDispatchFailed(Exception e, TimeSpan delay);
}
