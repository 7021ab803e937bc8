using Marketplace.Contracts.Listing;
using Marketplace.ServiceDefaults.Storage;
using MassTransit;

namespace Marketplace.Broker.Deals;

/// <summary>The organisation that owns a listing (from the listing service's snapshots; a listing never changes owner).</summary>
internal sealed class ListingOwner : AggregateRoot
{
    public const string Collection = "listing_owners";

    private ListingOwner() { }

    public Guid Id { get; private set; }
    public string OwnerOrg { get; private set; } = "";
    /// <summary>Absent for owners learnt before names were kept.</summary>
    public string? OwnerOrgName { get; private set; }

    public override string StoreId => Id.ToString();

    public static ListingOwner From(ListingSnapshot listing) => new() { Id = listing.Id, OwnerOrg = listing.OwnerOrg, OwnerOrgName = listing.OwnerOrgName };
}

/// <summary>
/// Learns who owns each listing, so that the broker can tell for itself who a deal's parties are
/// (the owners of its offer and its demand). Written once per listing; a redelivery changes nothing.
/// A replayed snapshot (a matching index rebuilding) fills in listings published before this service listened.
/// </summary>
internal sealed class ListingOwnersConsumer(AggregateStore<ListingOwner> owners) :
    IConsumer<ListingPublished>, IConsumer<ListingUpdated>, IConsumer<ListingSnapshotReplayed>
{
    public Task Consume(ConsumeContext<ListingPublished> context) => LearnAsync(context.Message.Listing, context.CancellationToken);

    public Task Consume(ConsumeContext<ListingUpdated> context) => LearnAsync(context.Message.Listing, context.CancellationToken);

    public Task Consume(ConsumeContext<ListingSnapshotReplayed> context) => LearnAsync(context.Message.Listing, context.CancellationToken);

    private async Task LearnAsync(ListingSnapshot listing, CancellationToken ct)
    {
        if (await owners.FindAsync(listing.Id.ToString(), ct) is not null) return;
        try
        {
            await owners.InsertAsync(ListingOwner.From(listing), ct);
        }
        catch (DocumentExistsException)
        {
            // the same listing, delivered twice at once
        }
    }
}
