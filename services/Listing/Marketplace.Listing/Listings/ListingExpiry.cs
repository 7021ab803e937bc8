using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Hosting;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Marketplace.Listing.Listings;

/// <summary>
/// Moves published demands and challenges past their deadline to <c>expired</c>. Several
/// replicas may sweep at once: the versioned save lets exactly one of them expire a listing.
/// </summary>
internal sealed class ListingExpiry(ListingService listings, IConfiguration configuration, TimeProvider time, ILogger<ListingExpiry> logger)
    : PeriodicSweep(configuration.GetValue<TimeSpan?>("Listing:ExpirySweepInterval") ?? TimeSpan.FromMinutes(1), time, logger,
        new Leases(listings.Store.Store, time, ServiceInstance.Id(configuration)))
{
    public override async Task<int> SweepAsync(CancellationToken ct)
    {
        var now = Time.GetUtcNow();
        var (due, _) = await listings.Store.QueryAsync(new DocumentQuery
        {
            Filters = [FieldFilter.Eq("status", WireCode.Of(ListingStatus.Published)), FieldFilter.Lt("deadline", IndexFormat.Time(now))],
            Take = 200, CountTotal = false,
        }, ct);
        var expired = 0;
        foreach (var listing in due)
        {
            if (!listing.ExpireIfDue(now)) continue;
            try
            {
                await listings.Store.SaveAsync(listing, ct);
                expired++;
            }
            catch (ConcurrencyConflictException)
            {
                // changed meanwhile (or another replica expired it); the next sweep looks again
            }
        }
        return expired;
    }
}
