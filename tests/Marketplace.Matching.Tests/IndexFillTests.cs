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

/// <summary>
/// An empty index is filling from the moment its replica starts, not from when its request leaves: the request waits
/// for the bus, and a replica whose bus had not connected yet reported ready with an empty index, then unready once
/// the bus connected (a containers-stage run met that: a search right after the stack was ready found matching gone).
/// </summary>
public sealed class IndexFillAwaitingTests
{
    [Fact]
    public void An_index_awaiting_its_request_is_filling_until_the_replay_it_asks_for_is_applied()
    {
        var fill = new Marketplace.Matching.Indexing.IndexFill();
        Assert.False(fill.Filling);
        fill.Awaiting();
        Assert.True(fill.Filling);
        Assert.Contains("bus", fill.Progress);
        var request = Guid.NewGuid();
        fill.Begin(request);
        Assert.True(fill.Filling);
        Assert.True(fill.Completed(request, 0));
        Assert.False(fill.Filling);
        fill.Done();
        Assert.Equal("complete", fill.Progress);
    }
}

/// <summary>
/// The start-up replay, with a short wait for its answer (<c>Matching:FillRetryAfter</c>, 30 s in a market): asked
/// again only when nothing of it arrives, never while it comes (asking again started the count over, so a replay
/// longer than the wait never made the replica ready).
/// </summary>
public sealed class IndexFillRetryTests : IDisposable
{
    private sealed class ShortWaitApi : Marketplace.TestKit.ServiceApi<Program>
    {
        public ShortWaitApi() : base("matching") { }

        protected override bool UseTestClock => false;

        protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Matching:FillRetryAfter", "00:00:02")];
    }

    private readonly ShortWaitApi _api = new();

    public void Dispose() => _api.Dispose();

    private int StartupRequests => _api.Harness.Published.Select<ListingSnapshotsRequested>().Count(m => m.Context.Message.RequestedBy == "startup");

    [Fact]
    public async Task A_replay_that_takes_longer_than_the_wait_is_waited_for_and_asked_for_once()
    {
        var request = await _api.Published<ListingSnapshotsRequested>(r => r.RequestedBy == "startup" && r.ChangedSince is null);
        var snapshots = MarketCorpus.Entries.Take(6).Select(e => MarketCorpus.Snapshot(e) with { Id = Guid.NewGuid() }).ToList();
        foreach (var snapshot in snapshots)
        {
            // 6 s of replay, a snapshot a second: three times the wait, never silent for as long as it
            await Task.Delay(TimeSpan.FromSeconds(1));
            await _api.Deliver(new ListingSnapshotReplayed { RequestId = request.RequestId, Listing = snapshot });
        }
        await _api.Deliver(new ListingSnapshotsReplayCompleted { RequestId = request.RequestId, Count = snapshots.Count });

        Assert.Equal(200, (int)(await _api.Client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(1, StartupRequests);
    }

    [Fact]
    public async Task A_replay_nobody_answers_is_asked_for_again()
    {
        await _api.Published<ListingSnapshotsRequested>(r => r.RequestedBy == "startup");
        for (var waited = 0; StartupRequests < 2 && waited < 300; waited++) await Task.Delay(100);
        Assert.True(StartupRequests >= 2, "no second request after 30 s of silence (the wait is 2 s)");
        Assert.Equal(503, (int)(await _api.Client.GetAsync("/health/ready")).StatusCode);
    }
}

/// <summary>A replica stopped while filling holds part of the market: its next start fills it again, not a catch-up.</summary>
public sealed class IndexFillRestartTests : IDisposable
{
    private readonly string _indexPath = Path.Combine(Path.GetTempPath(), "matching-fill-restart-" + Guid.NewGuid().ToString("N"));

    private sealed class Replica(string indexPath) : MatchingApi
    {
        protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Matching:IndexPath", indexPath)];
    }

    public void Dispose()
    {
        try { Directory.Delete(_indexPath, true); } catch (IOException) { }
    }

    private static async Task<int> Ready(MatchingApi api) => (int)(await api.Client.GetAsync("/health/ready")).StatusCode;

    [Fact]
    public async Task A_replica_stopped_while_filling_fills_again_at_its_next_start_and_is_ready_only_then()
    {
        var snapshots = MarketCorpus.Entries.Take(3).Select(e => MarketCorpus.Snapshot(e) with { Id = Guid.NewGuid() }).ToList();
        using (var first = new Replica(_indexPath))
        {
            var request = await first.Published<ListingSnapshotsRequested>(r => r.RequestedBy == "startup" && r.ChangedSince is null);
            await first.Deliver(new ListingSnapshotReplayed { RequestId = request.RequestId, Listing = snapshots[0] });
            Assert.Equal(503, await Ready(first));
        } // stopped: one listing of three on disk

        using (var second = new Replica(_indexPath))
        {
            // not "what changed since the last commit", which would leave the other two out for good
            var again = await second.Published<ListingSnapshotsRequested>(r => r.RequestedBy == "startup");
            Assert.Null(again.ChangedSince);
            Assert.Equal(503, await Ready(second));
            foreach (var snapshot in snapshots) await second.Deliver(new ListingSnapshotReplayed { RequestId = again.RequestId, Listing = snapshot });
            await second.Deliver(new ListingSnapshotsReplayCompleted { RequestId = again.RequestId, Count = snapshots.Count });
            Assert.Equal(200, await Ready(second));
        }

        // once filled, a start catches up on what changed since its last commit, ready at once
        using var third = new Replica(_indexPath);
        Assert.Equal(200, await Ready(third));
        var catchUp = await third.Published<ListingSnapshotsRequested>(r => r.RequestedBy == "startup");
        Assert.NotNull(catchUp.ChangedSince);
    }
}
