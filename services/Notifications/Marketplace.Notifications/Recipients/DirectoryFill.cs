using Marketplace.Contracts.Identity;
using MassTransit;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Marketplace.Notifications.Recipients;

/// <summary>
/// At every start, asks the gateway to publish its accounts again (<see cref="AccountsReplayRequested"/>):
/// accounts announced before this service's queue existed, or while it was gone for good, would
/// otherwise never reach the directory. The directory keeps the highest version per account, so
/// a replay of what it knows changes nothing; the request is cheap (one message, a few thousand
/// accounts). While the broker is unreachable it tries again, with a growing pause.
/// </summary>
internal sealed partial class DirectoryFill(IBus bus, ILogger<DirectoryFill> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var pause = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await bus.Publish(new AccountsReplayRequested { RequestId = NewId.NextGuid(), RequestedBy = "notifications" }, stoppingToken);
                LogRequested();
                return;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not ask for the accounts yet; trying again in {Pause}")]
    private partial void LogRetrying(Exception exception, TimeSpan pause);
}
