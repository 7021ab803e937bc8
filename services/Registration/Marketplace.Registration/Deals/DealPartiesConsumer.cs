using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Listing;
using MassTransit;

namespace Marketplace.Registration.Deals;

/// <summary>Keeps <see cref="DealParties"/> up to date. A replayed snapshot (a matching index rebuilding) fills in listings published before this service listened.</summary>
internal sealed class DealPartiesConsumer(DealParties parties) :
    IConsumer<DealStageChanged>, IConsumer<ListingPublished>, IConsumer<ListingUpdated>, IConsumer<ListingSnapshotReplayed>
{
    public Task Consume(ConsumeContext<DealStageChanged> context) => parties.LearnAsync(context.Message, context.CancellationToken);

    public Task Consume(ConsumeContext<ListingPublished> context) => parties.LearnAsync(context.Message.Listing, context.CancellationToken);

    public Task Consume(ConsumeContext<ListingUpdated> context) => parties.LearnAsync(context.Message.Listing, context.CancellationToken);

    public Task Consume(ConsumeContext<ListingSnapshotReplayed> context) => parties.LearnAsync(context.Message.Listing, context.CancellationToken);
}
