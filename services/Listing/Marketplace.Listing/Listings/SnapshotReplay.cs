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
    private static readonly TimeSpan PauseBetweenPages = TimeSpan.FromMilliseconds(10);

    public async Task Consume(ConsumeContext<ListingSnapshotsRequested> context)
    {
        var request = context.Message;
        // read in index order from a cursor (never by skipping: a listing changed meanwhile would shift the pages)
        var (field, key) = request.ChangedSince is null
            ? ("createdKey", (Func<Listing, string>)(l => l.CreatedKey))
            : ("updatedAt", l => IndexFormat.Time(l.UpdatedAt));
        var cursor = request.ChangedSince is { } since ? IndexFormat.Time(since) : null;
        var atCursor = 0; // listings already read whose key equals the cursor (they come first, by id)
        var count = 0;
        while (true)
        {
            var (page, _) = await listings.Store.QueryAsync(new DocumentQuery
            {
                Filters = cursor is null ? [] : [FieldFilter.Gte(field, cursor)],
                SortBy = field, Skip = atCursor, Take = Batch, CountTotal = false,
            }, context.CancellationToken);
            foreach (var listing in page.Where(l => l.EverPublished))
            {
                await context.Publish(new ListingSnapshotReplayed { RequestId = request.RequestId, Listing = listing.Snapshot(asStored: true) }, context.CancellationToken);
                count++;
            }
            if (page.Count < Batch) break;
            // a replay of every listing is one long loop whose reads and publications may all complete at once (the
            // embedded store and bus): a pause between pages lets the requests and events queued meanwhile run, so a
            // start-up replay in the background does not stall the market it runs in (2 s of pauses at 100,000)
            await Task.Delay(PauseBetweenPages, context.CancellationToken);
            var last = key(page[^1]);
            atCursor = (last == cursor ? atCursor : 0) + page.Count(l => key(l) == last);
            cursor = last;
        }
        // lets a new matching replica know when its index is complete (it reports ready only then)
        await context.Publish(new ListingSnapshotsReplayCompleted { RequestId = request.RequestId, Count = count }, context.CancellationToken);
    }
}
