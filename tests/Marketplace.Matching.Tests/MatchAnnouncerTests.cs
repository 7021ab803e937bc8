using System.Text.Json;
using Marketplace.Contracts.Listing;
using Marketplace.Contracts.Matching;
using Marketplace.Matching.Matches;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Matching.Tests;

/// <summary>Announcements over the test market's index and a store of their own: each pair once, only strong ones.</summary>
public sealed class MatchAnnouncerTests : IClassFixture<IndexFixture>, IDisposable
{
    private readonly IndexFixture _market;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"matching-announcer-{Guid.NewGuid():N}.db");
    private readonly LiteDbDocumentStore _store;
    private readonly AggregateStore<Suggestion> _suggestions;

    public MatchAnnouncerTests(IndexFixture market)
    {
        _market = market;
        _store = new LiteDbDocumentStore(_path);
        _suggestions = new AggregateStore<Suggestion>(_store, MatchingModule.Suggestions, _ => new Dictionary<string, string>(), new OutboxSignal(), TimeProvider.System);
    }

    private MatchAnnouncer Announcer(decimal threshold = 0m, int top = 3)
    {
        var options = new MatchingOptions { AnnounceThreshold = threshold, AnnounceTop = top };
        return new MatchAnnouncer(new MatchScorer(_market.Index, options, TimeProvider.System), _suggestions, options, TimeProvider.System);
    }

    private static ListingSnapshot Listing(string key) => MarketCorpus.Snapshot(MarketCorpus.Entries.Single(e => e.Key == key));

    private async Task<List<MatchSuggested>> Announced()
    {
        var page = await _store.QueryAsync(MatchingModule.Suggestions, new DocumentQuery { Take = 1000 });
        return page.Items.SelectMany(d => d.Outbox)
            .Select(m => JsonSerializer.Deserialize<MatchSuggested>(m.Body, MarketJson.Wire)!)
            .ToList();
    }

    [Fact]
    public async Task A_demand_seen_twice_announces_its_best_offers_once()
    {
        var announcer = Announcer();
        var demand = Listing("d-rail");
        Assert.Equal(3, await announcer.AnnounceAsync(demand, CancellationToken.None));
        Assert.Equal(0, await announcer.AnnounceAsync(demand, CancellationToken.None)); // a redelivery, or another replica

        var announced = await Announced();
        Assert.Equal(3, announced.Count);
        Assert.All(announced, a => Assert.Equal(demand.Id, a.DemandId));
        Assert.Contains(announced, a => a.OfferId == MarketCorpus.IdOf("railfault"));
    }

    [Fact]
    public async Task An_offer_published_after_its_demand_does_not_announce_the_pair_again()
    {
        var announcer = Announcer();
        await announcer.AnnounceAsync(Listing("d-steel"), CancellationToken.None);
        var before = await Announced();
        Assert.Contains(before, a => a.OfferId == MarketCorpus.IdOf("vision"));

        await announcer.AnnounceAsync(Listing("vision"), CancellationToken.None);
        var after = await Announced();
        Assert.Single(after, a => a.OfferId == MarketCorpus.IdOf("vision") && a.DemandId == MarketCorpus.IdOf("d-steel"));
        Assert.Equal(after.Count, after.Select(a => a.MatchId).Distinct().Count());
    }

    [Fact]
    public async Task Matches_below_the_threshold_are_not_announced()
    {
        Assert.Equal(0, await Announcer(threshold: 100.01m, top: 5).AnnounceAsync(Listing("d-battery"), CancellationToken.None));
        Assert.Empty(await Announced());
    }

    public void Dispose()
    {
        _store.Dispose();
        foreach (var file in new[] { _path, Path.ChangeExtension(_path, null) + "-log.db" })
        {
            try { File.Delete(file); } catch (IOException) { }
        }
    }
}
