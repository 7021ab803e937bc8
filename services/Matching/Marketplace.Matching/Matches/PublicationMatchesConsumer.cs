using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Matching.Indexing;
using MassTransit;

namespace Marketplace.Matching.Matches;

/// <summary>
/// Announces the strong matches of a new publication, on a queue of its own beside the index's: scoring the candidates
/// is the dearest step of an event (a Lucene query and six factors for each of them), and search must not wait behind
/// it. A burst of approvals becomes searchable as fast as documents are added; the announcements follow.
/// </summary>
internal sealed class PublicationMatchesConsumer(ListingIndex index, MatchAnnouncer announcer) : IConsumer<ListingPublished>
{
    public async Task Consume(ConsumeContext<ListingPublished> context)
    {
        var listing = context.Message.Listing;
        // whichever queue delivers the publication first adds it; the other finds it applied
        index.Apply(listing);
        // announce when this publication is still the listing's current state, also on a redelivery:
        // announcements are idempotent per pair
        if (index.VersionOf(listing.Id) != listing.Version || listing.Status != ListingStatus.Published) return;
        index.Refresh();
        await announcer.AnnounceAsync(listing, context.CancellationToken);
    }
}
