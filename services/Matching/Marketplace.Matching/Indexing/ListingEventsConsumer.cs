using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Matching.Matches;
using MassTransit;

namespace Marketplace.Matching.Indexing;

/// <summary>Keeps the index in step with the listing service; announces strong matches of new publications.</summary>
internal sealed class ListingEventsConsumer(ListingIndex index, MatchAnnouncer announcer, IndexFill fill) :
    IConsumer<ListingPublished>, IConsumer<ListingUpdated>, IConsumer<ListingWithdrawn>, IConsumer<ListingSnapshotReplayed>,
    IConsumer<ListingSnapshotsReplayCompleted>
{
    public async Task Consume(ConsumeContext<ListingPublished> context)
    {
        var listing = context.Message.Listing;
        index.Apply(listing);
        // Announce when this publication is still the listing's current state, also on a redelivery:
        // announcements are idempotent per pair.
        if (index.VersionOf(listing.Id) == listing.Version && listing.Status == ListingStatus.Published)
        {
            index.Refresh();
            await announcer.AnnounceAsync(listing, context.CancellationToken);
        }
    }

    public Task Consume(ConsumeContext<ListingUpdated> context)
    {
        index.Apply(context.Message.Listing);
        if (context.Message.Listing.Status != ListingStatus.Published) index.Refresh(); // leaves search at once
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ListingWithdrawn> context)
    {
        index.Withdraw(context.Message);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ListingSnapshotReplayed> context)
    {
        index.Apply(context.Message.Listing, rewriteSameVersion: true);
        fill.Applied(context.Message.RequestId);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ListingSnapshotsReplayCompleted> context)
    {
        fill.Completed(context.Message.RequestId, context.Message.Count);
        return Task.CompletedTask;
    }
}
