using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Marketplace.ServiceDefaults.Messaging;

/// <summary>
/// What the outbox dispatcher last saw of each collection it drains: the oldest message waiting
/// and how many documents are parked behind a message this build cannot read. It feeds the
/// metrics <c>market.outbox.oldest_pending_age</c> (seconds) and <c>market.outbox.parked</c>, and
/// the <c>outbox</c> health entry (degraded — never unready — when events wait too long or are parked).
/// </summary>
public sealed class OutboxMonitor : IHealthCheck, IDisposable
{
    public const string MeterName = "Marketplace.Outbox";

    private readonly ConcurrentDictionary<string, (DateTimeOffset? OldestPending, int Parked)> _seen = new();
    private readonly Meter _meter = new(MeterName);
    private readonly TimeProvider _time;
    private readonly IOptions<OutboxOptions> _options;

    public OutboxMonitor(TimeProvider time, IOptions<OutboxOptions> options)
    {
        _time = time;
        _options = options;
        _meter.CreateObservableGauge("market.outbox.oldest_pending_age", () => _seen.Select(kv =>
            new Measurement<double>(Age(kv.Value.OldestPending)?.TotalSeconds ?? 0, new KeyValuePair<string, object?>("collection", kv.Key))), "s",
            "Age of the oldest outbox message waiting to be published");
        _meter.CreateObservableGauge("market.outbox.parked", () => _seen.Select(kv =>
            new Measurement<int>(kv.Value.Parked, new KeyValuePair<string, object?>("collection", kv.Key))), null,
            "Documents whose outbox waits behind a message this build cannot read");
    }

    /// <summary>The oldest message of the pending batch the dispatcher just read (null: nothing waits).</summary>
    public void Pending(string collection, DateTimeOffset? oldest) => _seen.AddOrUpdate(collection, (oldest, 0), (_, s) => (oldest, s.Parked));

    public void Parked(string collection, int parked) => _seen.AddOrUpdate(collection, (null, parked), (_, s) => (s.OldestPending, parked));

    public TimeSpan? OldestPendingAge(string collection) => _seen.TryGetValue(collection, out var s) ? Age(s.OldestPending) : null;

    public int ParkedCount(string collection) => _seen.TryGetValue(collection, out var s) ? s.Parked : 0;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var stale = _options.Value.StaleAfter;
        var problems = _seen
            .SelectMany(kv => new[]
            {
                Age(kv.Value.OldestPending) is { } age && age > stale ? $"{kv.Key}: an event has waited {age.TotalSeconds:0} s" : null,
                kv.Value.Parked > 0 ? $"{kv.Key}: {kv.Value.Parked} document(s) parked behind an unreadable event" : null,
            })
            .OfType<string>().ToList();
        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy("outbox flowing")
            : HealthCheckResult.Degraded(string.Join("; ", problems)));
    }

    private TimeSpan? Age(DateTimeOffset? at) => at is { } t ? _time.GetUtcNow() - t : null;

    public void Dispose() => _meter.Dispose();
}
