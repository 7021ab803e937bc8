using Marketplace.Matching.Indexing;

namespace Marketplace.Matching.Tests;

/// <summary>The states of a replica's first fill, without a host: what completes it and what does not.</summary>
public sealed class IndexFillStateTests
{
    private readonly IndexFill _fill = new();
    private readonly Guid _request = Guid.NewGuid();

    [Fact]
    public void A_replica_that_started_with_an_index_is_not_filling()
    {
        Assert.False(_fill.Filling);
        Assert.Equal("complete", _fill.Progress);
    }

    [Fact]
    public void A_fill_is_not_complete_before_the_listing_service_says_how_many_snapshots_it_sent()
    {
        _fill.Begin(_request);
        _fill.Applied(_request);
        _fill.Applied(_request);
        Assert.True(_fill.Filling);
        Assert.Equal("2 of ? snapshots applied", _fill.Progress);

        _fill.Completed(_request, 2);
        Assert.False(_fill.Filling);
    }

    [Fact]
    public void The_end_of_a_replay_that_overtook_its_snapshots_waits_for_them()
    {
        _fill.Begin(_request);
        _fill.Completed(_request, 2);
        _fill.Applied(_request);
        Assert.True(_fill.Filling);
        Assert.Equal("1 of 2 snapshots applied", _fill.Progress);

        _fill.Applied(_request);
        Assert.False(_fill.Filling);
    }

    [Fact]
    public void Another_replicas_replay_neither_completes_nor_counts_towards_this_fill()
    {
        var someoneElses = Guid.NewGuid();
        _fill.Begin(_request);
        _fill.Completed(someoneElses, 0);
        _fill.Applied(someoneElses);
        Assert.True(_fill.Filling);

        _fill.Completed(_request, 1);
        Assert.True(_fill.Filling);
        _fill.Applied(_request);
        Assert.False(_fill.Filling);
    }

    [Fact]
    public void Asking_again_waits_for_the_new_replay_and_not_for_the_count_of_the_old_one()
    {
        _fill.Begin(_request);
        _fill.Completed(_request, 0);
        var again = Guid.NewGuid();
        _fill.Begin(again);
        Assert.True(_fill.Filling);
        _fill.Completed(_request, 0); // the old replay's end arrives late
        Assert.True(_fill.Filling);

        _fill.Completed(again, 0);
        Assert.False(_fill.Filling);
    }

    /// <summary>A complete fill stays complete once its counts are forgotten (it used to fall back to "0 of N" for good).</summary>
    [Fact]
    public void Ending_a_complete_fill_does_not_make_it_incomplete_again()
    {
        var fill = new IndexFill();
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
