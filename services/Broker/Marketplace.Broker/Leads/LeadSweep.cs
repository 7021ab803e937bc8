using Marketplace.ServiceDefaults.Hosting;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Marketplace.Broker.Leads;

/// <summary>
/// Leads a broker left unanswered past <see cref="BrokerOptions.LeadTimeout"/> move on to the
/// next broker (or the pool). Replicas may sweep together: the versioned save lets one win.
/// </summary>
internal sealed class LeadSweep(BrokerService service, LeadRouter router, IOptions<BrokerOptions> options, TimeProvider time, IConfiguration configuration, ILogger<LeadSweep> logger)
    : PeriodicSweep(options.Value.LeadSweepInterval, time, logger, new Leases(service.Leads.Store, time, ServiceInstance.Id(configuration)))
{
    /// <returns>how many leads moved on.</returns>
    public override async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = Time.GetUtcNow();
        var (due, _) = await service.Leads.QueryAsync(new DocumentQuery
        {
            Filters = [FieldFilter.Eq("status", WireCode.Of(LeadStatus.Offered)), FieldFilter.Lt("expiresAt", IndexFormat.Time(now))],
            SortBy = "expiresAt",
            Take = 200, CountTotal = false,
        }, ct);
        var moved = 0;
        foreach (var lead in due)
        {
            if (!lead.TimeOut(now)) continue;
            await router.RouteAsync(lead, "system", options.Value.LeadTimeout, ct);
            try
            {
                await service.Leads.SaveAsync(lead, ct);
                moved++;
            }
            catch (ConcurrencyConflictException)
            {
                // answered meanwhile, or another replica moved it
            }
        }
        return moved;
    }
}
