using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using MassTransit;

namespace Marketplace.Matching.Indexing;

/// <summary>
/// Keeps the index in step with the listing service. The strong matches of a new publication are announced by
/// <see cref="Matches.PublicationMatchesConsumer"/>, on a queue of its own.
/// </summary>
internal sealed class ListingEventsConsumer(ListingIndex index, IndexFill fill, IndexRebuild rebuild) :
    IConsumer<ListingPublished>, IConsumer<ListingUpdated>, IConsumer<ListingWithdrawn>, IConsumer<ListingSnapshotReplayed>,
    IConsumer<ListingSnapshotsReplayCompleted>
{
    public Task Consume(ConsumeContext<ListingPublished> context)
    {
        // searchable at the reader's next reopen, within the refresh interval (100 ms): a reopen for each event would
        // flush a segment of one document each time, and cost more than adding it
        index.Apply(context.Message.Listing);
        return Task.CompletedTask;
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
        var requestId = context.Message.RequestId;
        index.Apply(context.Message.Listing, rewriteSameVersion: rebuild.Rewrites(requestId));
        // a fill that completes is recorded with the index: a start after it catches up rather than fills again
        if (fill.Applied(requestId)) index.MarkFilled();
        rebuild.Applied(requestId);
        return Task.CompletedTask;
    }

    public Task Consume(ConsumeContext<ListingSnapshotsReplayCompleted> context)
    {
        if (fill.Completed(context.Message.RequestId, context.Message.Count)) index.MarkFilled();
        rebuild.Completed(context.Message.RequestId, context.Message.Count);
        return Task.CompletedTask;
    }
}
