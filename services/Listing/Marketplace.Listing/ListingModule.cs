using Marketplace.Listing.Listings;
using Marketplace.Listing.Reference;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Listing;

/// <summary>The listing service as a module: hosted alone by Marketplace.Listing.Api, or inside the gateway in embedded mode.</summary>
public static class ListingModule
{
    public const string StoreKey = "listing";
    public const string Collection = "listings";

    public static IHostApplicationBuilder AddListing(this IHostApplicationBuilder builder)
    {
        builder.AddAggregates(StoreKey, Collection, new IndexFields<Listings.Listing>
        {
            { "status", l => WireCode.Of(l.Status) },
            { "kind", l => WireCode.Of(l.Kind) },
            { "subMarket", l => l.SubMarket },
            { "ownerOrg", l => l.OwnerOrg },
            { "field", l => l.Content.Field },
            { "updatedAt", l => IndexFormat.Time(l.UpdatedAt) },
            // Offers have no deadline: the far future keeps them out of the expiry sweep.
            { "deadline", l => IndexFormat.Time(l.Content.Deadline ?? DateTimeOffset.MaxValue) },
            // a stable order for paging through everything (snapshot replays)
            { "createdKey", l => IndexFormat.Time(l.CreatedAt) + "|" + l.Id.ToString("N") },
        }, outbox: true);
        builder.Services.AddSingleton<ListingService>();
        builder.Services.AddSingleton<ListingExpiry>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ListingExpiry>());
        builder.Services.AddMarketConsumers(x => x.AddConsumer<SnapshotReplay>().Endpoint(e => e.Name = "listing-snapshot-replay"));
        return builder;
    }

    public static IEndpointRouteBuilder MapListing(this IEndpointRouteBuilder app)
    {
        app.MapListingEndpoints();
        app.MapReferenceEndpoints();
        return app;
    }
}
