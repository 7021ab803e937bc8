using Marketplace.Contracts.Listing;
using Marketplace.ServiceDefaults.Storage;
using MassTransit;

namespace Marketplace.Listing.Listings;

/// <summary>
/// Answers a read model that rebuilds itself (matching's index) with the current snapshot of
/// every listing that was ever published, changed since the requested time. Drafts that never
/// went public are nobody else's business.
/// </summary>
internal sealed class SnapshotReplay(ListingService listings) : IConsumer<ListingSnapshotsRequested>
{
    private const int Batch = 500;

    public async Task Consume(ConsumeContext<ListingSnapshotsRequested> context)
    {
        var request = context.Message;
        var filters = request.ChangedSince is { } since
            ? new[] { FieldFilter.Gte("updatedAt", IndexFormat.Time(since)) }
            : [];
        var count = 0;
        for (var skip = 0; ; skip += Batch)
        {
            var (page, _) = await listings.Store.QueryAsync(new DocumentQuery
            {
                Filters = filters, SortBy = "createdKey", Skip = skip, Take = Batch,
            }, context.CancellationToken);
            foreach (var listing in page.Where(l => l.EverPublished))
            {
                await context.Publish(new ListingSnapshotReplayed { RequestId = request.RequestId, Listing = listing.Snapshot(asStored: true) }, context.CancellationToken);
                count++;
            }
            if (page.Count < Batch) break;
        }
        // lets a new matching replica know when its index is complete (it reports ready only then)
        await context.Publish(new ListingSnapshotsReplayCompleted { RequestId = request.RequestId, Count = count }, context.CancellationToken);
    }
}
