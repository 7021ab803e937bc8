using Marketplace.Contracts.Listing;

namespace Marketplace.Matching.Tests;

/// <summary>A new replica (empty index) reports ready only once the listing service's replay is complete.</summary>
public sealed class IndexFillTests : IDisposable
{
    // a fresh host: the test is about a replica that starts with an empty index
    private readonly MatchingApi _api = new();

    public void Dispose() => _api.Dispose();

    private async Task<int> Ready() => (int)(await _api.Client.GetAsync("/health/ready")).StatusCode;

    [Fact]
    public async Task An_empty_replica_is_not_ready_until_every_snapshot_of_its_replay_is_applied()
    {
        var request = await _api.Published<ListingSnapshotsRequested>(r => r.RequestedBy == "startup" && r.ChangedSince is null);
        Assert.Equal(503, await Ready());

        var snapshots = MarketCorpus.Entries.Take(3).Select(e => MarketCorpus.Snapshot(e) with { Id = Guid.NewGuid() }).ToList();
        // the end of the replay may overtake its snapshots: the count decides
        await _api.Deliver(new ListingSnapshotsReplayCompleted { RequestId = request.RequestId, Count = 3 });
        await _api.Deliver(new ListingSnapshotReplayed { RequestId = request.RequestId, Listing = snapshots[0] });
        await _api.Deliver(new ListingSnapshotReplayed { RequestId = request.RequestId, Listing = snapshots[1] });
        await _api.Deliver(new ListingSnapshotsReplayCompleted { RequestId = Guid.NewGuid(), Count = 0 }); // someone else's replay
        Assert.Equal(503, await Ready());

        await _api.Deliver(new ListingSnapshotReplayed { RequestId = request.RequestId, Listing = snapshots[2] });
        Assert.Equal(200, await Ready());
    }
}
