using Marketplace.Contracts;
using Marketplace.Contracts.Listing;

namespace Marketplace.Matching.Tests;

/// <summary>A new replica (empty index) reports ready only once the listing service's replay is complete.</summary>
public sealed class IndexFillTests : IDisposable
{
    private readonly MatchingApi _api = new();

    public void Dispose() => _api.Dispose();

    private async Task<int> Ready() => (int)(await _api.CreateClient().GetAsync("/health/ready")).StatusCode;

    [Fact]
    public async Task An_empty_replica_is_not_ready_until_every_snapshot_of_its_replay_is_applied()
    {
        var request = await _api.Published<ListingSnapshotsRequested>(r => r.RequestedBy == "startup" && r.ChangedSince is null);
        Assert.Equal(503, await Ready());

        var snapshots = MarketCorpus.Entries.Take(3).Select(e => MarketCorpus.Snapshot(e) with { Id = Guid.NewGuid() }).ToList();
        // the end of the replay may overtake its snapshots: the count decides
        await _api.Publish(new ListingSnapshotsReplayCompleted { RequestId = request.RequestId, Count = 3 });
        await _api.Publish(new ListingSnapshotReplayed { RequestId = request.RequestId, Listing = snapshots[0] });
        await _api.Publish(new ListingSnapshotReplayed { RequestId = request.RequestId, Listing = snapshots[1] });
        await _api.Publish(new ListingSnapshotsReplayCompleted { RequestId = Guid.NewGuid(), Count = 0 }); // someone else's replay
        await Task.Delay(500);
        Assert.Equal(503, await Ready());

        await _api.Publish(new ListingSnapshotReplayed { RequestId = request.RequestId, Listing = snapshots[2] });
        var deadline = DateTime.UtcNow.AddSeconds(30); // generous: a loaded build machine is slow, not wrong
        while (await Ready() != 200)
        {
            Assert.True(DateTime.UtcNow < deadline, "the replica never became ready");
            await Task.Delay(100);
        }
    }

    /// <summary>A complete fill stays complete once its counts are forgotten (it used to fall back to "0 of N" for good).</summary>
    [Fact]
    public void Ending_a_complete_fill_does_not_make_it_incomplete_again()
    {
        var fill = new Marketplace.Matching.Indexing.IndexFill();
        var request = Guid.NewGuid();
        fill.Begin(request);
        fill.Completed(request, 2);
        fill.Applied(request);
        fill.Done(); // still filling: nothing changes
        Assert.True(fill.Filling);
        fill.Applied(request);
        Assert.False(fill.Filling);
        fill.Done();
        Assert.False(fill.Filling);
        Assert.Equal("complete", fill.Progress);
    }
}
