using Marketplace.Registration.Applications;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Registration.Calendar;

/// <summary>
/// Loads the shipped holiday notices at start, before requests are served (a replica that loses the race to insert a
/// year changes nothing); when one was loaded, the applications waiting for a decision have their deadlines counted
/// on it (after an upgrade they were counted without it).
/// </summary>
internal sealed class CalendarSeed(WorkingCalendars calendars, RegistrationService registrations) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (await calendars.LoadShippedAsync(cancellationToken)) await registrations.RecountDeadlinesAsync(cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
