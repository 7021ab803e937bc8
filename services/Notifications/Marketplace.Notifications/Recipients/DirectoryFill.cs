using Marketplace.Contracts.Identity;
using Marketplace.ServiceDefaults.Storage;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marketplace.Notifications.Recipients;

/// <summary>
/// At every start, asks the gateway to publish its accounts again (<see cref="AccountsReplayRequested"/>):
/// accounts announced before this service's queue existed, or while it was gone for good, would
/// otherwise never reach the directory. The directory keeps the highest version per account, so
/// a replay of what it knows changes nothing; the request is cheap (one message, a few thousand
/// accounts). While the broker is unreachable it tries again, with a growing pause. A request can be
/// lost too — published before the gateway's own queue was bound, at a start of both together — so
/// while the directory still knows nobody, it asks again, with a growing pause (notices for
/// organisations are held meanwhile, not lost: see Notifier).
/// </summary>
internal sealed partial class DirectoryFill(IBus bus, RecipientDirectory directory, ILogger<DirectoryFill> logger) : BackgroundService
{
    /// <summary>How long after a request the directory is first looked at; the pause doubles up to <see cref="LongestRecheck"/>.</summary>
    public static readonly TimeSpan FirstRecheck = TimeSpan.FromSeconds(3);

    public static readonly TimeSpan LongestRecheck = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pause = TimeSpan.FromSeconds(1);
        var recheck = FirstRecheck;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await bus.Publish(new AccountsReplayRequested { RequestId = NewId.NextGuid(), RequestedBy = "notifications" }, stoppingToken);
                LogRequested();
                await Task.Delay(recheck, stoppingToken);
                var known = await directory.Store.QueryAsync(new DocumentQuery { Take = 1, CountTotal = false }, stoppingToken);
                if (known.Items.Count > 0) return;
                LogStillEmpty(recheck);
                recheck = TimeSpan.FromTicks(Math.Min(recheck.Ticks * 2, LongestRecheck.Ticks));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                LogRetrying(e, pause);
                await Task.Delay(pause, stoppingToken);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Asked the gateway to publish its accounts again, for the directory")]
    private partial void LogRequested();

    [LoggerMessage(Level = LogLevel.Warning, Message = "The directory still knows no account {Recheck} after asking for them: asking again")]
    private partial void LogStillEmpty(TimeSpan recheck);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask for the accounts yet; trying again in {Pause}")]
    private partial void LogRetrying(Exception exception, TimeSpan pause);
}
