using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Broker.Leads;

/// <summary>
/// Leads a broker left unanswered past <see cref="BrokerOptions.LeadTimeout"/> move on to the
/// next broker (or the pool). Replicas may sweep together: the versioned save lets one win.
/// </summary>
public sealed partial class LeadSweep(BrokerStores stores, LeadRouter router, IOptions<BrokerOptions> options, TimeProvider time, ILogger<LeadSweep> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.LeadSweepInterval, time);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(e);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    /// <returns>how many leads moved on.</returns>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var (due, _) = await stores.Leads.QueryAsync(new DocumentQuery
        {
            Filters = [FieldFilter.Eq("status", WireCode.Of(LeadStatus.Offered)), FieldFilter.Lt("expiresAt", IndexFormat.Time(now))],
            SortBy = "expiresAt",
            Take = 200,
        }, ct);
        var moved = 0;
        foreach (var lead in due)
        {
            if (!lead.TimeOut(now)) continue;
            await router.RouteAsync(lead, "system", options.Value.LeadTimeout, ct);
            try
            {
                await stores.Leads.SaveAsync(lead, ct);
                moved++;
            }
            catch (ConcurrencyConflictException)
            {
                // answered meanwhile, or another replica moved it
            }
        }
        return moved;
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lead sweep failed")]
    private partial void LogSweepFailed(Exception e);
}
