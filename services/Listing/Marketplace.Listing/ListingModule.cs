using Marketplace.Contracts;
using Marketplace.Listing.Listings;
using Marketplace.Listing.Reference;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Listing;

/// <summary>The listing service as a module: hosted alone by Marketplace.Listing.Api, or inside the gateway in embedded mode.</summary>
public static class ListingModule
{
    public const string StoreKey = "listing";
    public const string Collection = "listings";

    private static readonly string[] IndexedFields = ["status", "kind", "subMarket", "ownerOrg", "field", "updatedAt", "deadline", "createdKey"];

    public static IHostApplicationBuilder AddListing(this IHostApplicationBuilder builder)
    {
        builder.AddDocumentStore(StoreKey);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new AggregateStore<Listings.Listing>(
            sp.GetRequiredKeyedService<IDocumentStore>(StoreKey), Collection, IndexFields,
            sp.GetRequiredService<OutboxSignal>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<ListingService>();
        builder.Services.AddSingleton<ListingExpiry>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ListingExpiry>());
        builder.Services.AddHostedService<ListingStoreSetup>();
        builder.Services.AddOutboxSource(StoreKey, Collection);
        builder.Services.AddMarketConsumers(x => x.AddConsumer<SnapshotReplay>().Endpoint(e => e.Name = "listing-snapshot-replay"));
        return builder;
    }

    public static IEndpointRouteBuilder MapListing(this IEndpointRouteBuilder app)
    {
        app.MapListingEndpoints();
        app.MapReferenceEndpoints();
        return app;
    }

    private static IReadOnlyDictionary<string, string> IndexFields(Listings.Listing l) => new Dictionary<string, string>
    {
        ["status"] = WireCode.Of(l.Status),
        ["kind"] = WireCode.Of(l.Kind),
        ["subMarket"] = l.SubMarket,
        ["ownerOrg"] = l.OwnerOrg,
        ["field"] = l.Content.Field,
        ["updatedAt"] = IndexFormat.Time(l.UpdatedAt),
        // Offers have no deadline: the far future keeps them out of the expiry sweep.
        ["deadline"] = IndexFormat.Time(l.Content.Deadline ?? DateTimeOffset.MaxValue),
        // a stable order for paging through everything (snapshot replays)
        ["createdKey"] = IndexFormat.Time(l.CreatedAt) + "|" + l.Id.ToString("N"),
    };

    private sealed class ListingStoreSetup([FromKeyedServices(StoreKey)] IDocumentStore store) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => store.EnsureIndexesAsync(Collection, IndexedFields, cancellationToken);
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
