using Marketplace.Listing.Interests;
using Marketplace.Listing.Listings;
using Marketplace.Listing.Reference;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.ServiceDefaults.Storage.Files;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Listing;

/// <summary>The listing service as a module: hosted alone by Marketplace.Listing.Api, or inside the gateway in embedded mode.</summary>
public static class ListingModule
{
    public const string StoreKey = "listing";
    public const string Collection = "listings";

    /// <summary>The listings' query fields and the shapes of every query on them, each answered from one index.</summary>
    internal static readonly IndexFields<Listings.Listing> Indexes = new()
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
        { "createdKey", l => l.CreatedKey },
        // the public list and the review queues: a status, any of kind, sub-market and field, newest first
        new IndexShape(["status"], "updatedAt"),
        new IndexShape(["status", "kind"], "updatedAt"),
        new IndexShape(["status", "subMarket"], "updatedAt"),
        new IndexShape(["status", "field"], "updatedAt"),
        new IndexShape(["status", "kind", "subMarket"], "updatedAt"),
        new IndexShape(["status", "kind", "field"], "updatedAt"),
        new IndexShape(["status", "subMarket", "field"], "updatedAt"),
        new IndexShape(["status", "kind", "subMarket", "field"], "updatedAt"),
        // an organisation's own listings are few: the other filters are checked as the index is read
        new IndexShape(["ownerOrg"], "updatedAt") { Checked = ["status", "kind", "subMarket", "field"] },
        // the expiry sweep
        new IndexShape(["status"], "deadline"),
        // replays of what changed since a time, in a stable order
        new IndexShape([], "updatedAt"),
    };

    /// <summary>The fields the listings collection indexes, for tools that build a store like the service's (benchmarks).</summary>
    public static IReadOnlyList<string> IndexedFields => Indexes.Names;

    /// <summary>The listings collection's query shapes, as the service declares them.</summary>
    public static IReadOnlyList<IndexShape> QueryShapes => Indexes.Shapes;

    public static IHostApplicationBuilder AddListing(this IHostApplicationBuilder builder)
    {
        builder.AddAggregates(StoreKey, Collection, Indexes, outbox: true);
        builder.AddInterests();
        builder.AddFileStore(StoreKey);
        builder.Services.AddSingleton<ListingService>();
        builder.Services.AddSingleton<ListingExpiry>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ListingExpiry>());
        builder.Services.AddMarketConsumers(x => x.AddConsumer<SnapshotReplay>().Endpoint(e => e.Name = "listing-snapshot-replay"));
        return builder;
    }

    /// <summary>Introductions (对接意向): interests in listings, their messages, and what they learn from deals.</summary>
    private static void AddInterests(this IHostApplicationBuilder builder)
    {
        builder.AddAggregates(StoreKey, InterestService.Collection, new IndexFields<Interest>
        {
            { "listingId", i => i.ListingId.ToString() },
            { "fromOrg", i => i.FromOrg },
            { "toOrg", i => i.ToOrg },
            { "status", i => WireCode.Of(i.Status) },
            { "subMarket", i => i.SubMarket },
            { "dealId", i => i.DealId?.ToString() ?? "" },
            { "hasDeal", i => i.DealId is null ? "false" : "true" },
            { "registered", i => i.Registered ? "true" : "false" },
            // newest first in the boxes; ids are sequential (NewId), so the same instant keeps the order of arrival
            { "createdKey", i => IndexFormat.TimeKey(i.CreatedAt, i.Id) },
            // the sent and received boxes (one organisation's: a status is checked as the index is read)
            new IndexShape(["fromOrg"], "createdKey") { Checked = ["status", "listingId"] },
            new IndexShape(["toOrg"], "createdKey") { Checked = ["status"] },
            // the introduction funnel, counted
            new IndexShape(["subMarket"]),
            new IndexShape(["subMarket", "status"]),
            new IndexShape(["subMarket", "hasDeal"]),
            new IndexShape(["subMarket", "registered"]),
        }, outbox: true);
        builder.AddAggregates(StoreKey, InterestService.MessagesCollection, new IndexFields<InterestMessage>
        {
            { "interestId", m => m.InterestId.ToString() },
            // oldest first; ids are sequential (NewId), so messages of the same instant keep the order they came in
            { "createdKey", m => IndexFormat.TimeKey(m.CreatedAt, m.Id) },
            // an interest's messages, oldest first, and how many there are
            new IndexShape(["interestId"], "createdKey"),
        }, outbox: true);
        // read and written by id only
        builder.AddAggregates(StoreKey, InterestAdmission.GuardsCollection, new IndexFields<OpenInterestGuard>(), outbox: false);
        builder.AddAggregates(StoreKey, InterestAdmission.QuotasCollection, new IndexFields<InterestQuota>(), outbox: false);
        builder.Services.AddOptions<InterestOptions>().Bind(builder.Configuration.GetSection("Listing:Interests"))
            .Validate(o => o.DailyLimitPerOrganisation >= 0, "Listing:Interests:DailyLimitPerOrganisation must not be negative.")
            .ValidateOnStart();
        builder.Services.AddSingleton<InterestAdmission>();
        builder.Services.AddSingleton<InterestService>();
        builder.Services.AddSingleton<ContactRelease>();
        builder.Services.AddMarketConsumers(x => x.AddConsumer<InterestDealConsumer>().Endpoint(e => e.Name = "listing-interest-deals"));
    }

    public static IEndpointRouteBuilder MapListing(this IEndpointRouteBuilder app)
    {
        app.MapListingEndpoints();
        app.MapListingFileEndpoints();
        app.MapInterestEndpoints();
        app.MapReferenceEndpoints();
        return app;
    }
}
