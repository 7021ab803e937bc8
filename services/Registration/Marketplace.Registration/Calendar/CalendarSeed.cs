using Microsoft.Extensions.Hosting;

namespace Marketplace.Registration.Calendar;

/// <summary>Loads the shipped holiday notices at start, before requests are served (a replica that loses the race to insert a year changes nothing).</summary>
internal sealed class CalendarSeed(WorkingCalendars calendars) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => calendars.LoadShippedAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
