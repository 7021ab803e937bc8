using Marketplace.Contracts.Listing;
using Marketplace.TestKit;

namespace Marketplace.Listing.Tests;

/// <summary>Snapshot replays on a host of their own, so the counts are known.</summary>
public sealed class SnapshotReplayTests : IDisposable
{
    private readonly ListingApi _api = new();

    public void Dispose() => _api.Dispose();

    [Fact]
    public async Task A_replay_sends_every_listing_ever_published_and_then_how_many_it_sent()
    {
        var client = _api.CreateClient();
        var owner = _api.University(ListingApi.NewOrg("uni"));
        var published = await client.Publish(_api, owner, Samples.Offer());
        var withdrawn = await client.Publish(_api, owner, Samples.Offer("稀土永磁电机控制技术"));
        await (await client.Send(HttpMethod.Post, $"/api/listings/{withdrawn["id"]}/withdraw", owner)).Expect(200);
        await client.Create(owner, Samples.Offer("从未提交的草稿")); // a draft is nobody else's business

        var request = new ListingSnapshotsRequested { RequestId = Guid.NewGuid(), RequestedBy = "test" };
        await _api.Harness.Bus.Publish(request);
        var completed = await _api.Published<ListingSnapshotsReplayCompleted>(c => c.RequestId == request.RequestId);
        Assert.Equal(2, completed.Count);
        var replayed = _api.Harness.Published.Select<ListingSnapshotReplayed>().Where(m => m.Context.Message.RequestId == request.RequestId)
            .Select(m => m.Context.Message.Listing).ToList();
        Assert.Equal(new[] { (string)published["id"]!, (string)withdrawn["id"]! }.Order(), replayed.Select(l => l.Id.ToString()).Order());
        Assert.Contains(replayed, l => l.Status == Marketplace.Contracts.ListingStatus.Withdrawn);
    }
}
