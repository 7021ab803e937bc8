using Marketplace.ServiceDefaults.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marketplace.ServiceDefaults.Hosting;

/// <summary>
/// A background job that looks for due work at a fixed interval (expiries, timeouts). A failed
/// sweep is logged and the next one tries again; several replicas may sweep at once, so a sweep
/// saves with the aggregate's version and lets one replica win.
/// </summary>
/// <remarks>
/// With <paramref name="leases"/>, a sweep runs only in the replica that holds the sweep's lease
/// (renewed at every sweep, running out after two intervals when its holder dies).
/// </remarks>
public abstract partial class PeriodicSweep(TimeSpan interval, TimeProvider time, ILogger logger, Leases? leases = null) : BackgroundService
{
    protected TimeProvider Time { get; } = time;

    /// <summary>Whether this replica should sweep now (it holds the lease, or there is none to hold).</summary>
    public async Task<bool> HoldsLeaseAsync(CancellationToken ct) =>
        leases is null || await leases.TryAcquireAsync("sweep:" + GetType().Name, interval * 2, ct);

    /// <returns>how many items the sweep handled.</returns>
    public abstract Task<int> SweepAsync(CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(interval, Time);
        do
        {
            try
            {
                if (await HoldsLeaseAsync(stoppingToken)) await SweepAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogSweepFailed(logger, e, GetType().Name);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken ct)
    {
        try { return await timer.WaitForNextTickAsync(ct); }
        catch (OperationCanceledException) { return false; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Sweep} failed; the next sweep tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception e, string sweep);
}
