using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.Matching.Indexing;
using Marketplace.Matching.Search;

namespace Marketplace.Matching.Tests;

/// <summary>Duplicates, reordering, withdrawals and updates never corrupt what search shows.</summary>
public sealed class IndexConsistencyTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "matching-consistency-" + Guid.NewGuid().ToString("N"));
    private readonly ListingIndex _index;
    private readonly SearchService _search;
    private readonly MarketCorpus.Entry _entry = MarketCorpus.Entries.Single(e => e.Key == "graphene");

    public IndexConsistencyTests()
    {
        _index = new ListingIndex(_path, new TextAnalysis(TextAnalysisMode.SmartCn));
        _search = new SearchService(_index);
    }

    private IReadOnlyList<SearchHit> Find(string q)
    {
        _index.Refresh();
        return _search.Search(new SearchRequest { Query = q }).Items;
    }

    [Fact]
    public void An_older_version_arriving_late_does_not_overwrite_a_newer_one()
    {
        var v3 = MarketCorpus.Snapshot(_entry, 3);
        var v5 = v3 with { Version = 5, Title = "石墨烯导热膜规模化制备技术（升级版）" };
        Assert.Equal(ApplyResult.Applied, _index.Apply(v5));
        Assert.Equal(ApplyResult.Stale, _index.Apply(v3));
        Assert.Equal(ApplyResult.Stale, _index.Apply(v5));   // duplicate
        var hits = Find("石墨烯");
        Assert.Equal("石墨烯导热膜规模化制备技术（升级版）", Assert.Single(hits).Title);
        Assert.Equal(5, _index.VersionOf(v3.Id));
    }

    [Fact]
    public void A_withdrawn_listing_leaves_search_at_once_and_a_late_update_does_not_bring_it_back()
    {
        var v3 = MarketCorpus.Snapshot(_entry, 3);
        _index.Apply(v3);
        Assert.Single(Find("石墨烯"));
        _index.Withdraw(new ListingWithdrawn { ListingId = v3.Id, Version = 4, SubMarket = v3.SubMarket, WithdrawnAt = DateTimeOffset.UtcNow });
        Assert.Empty(_search.Search(new SearchRequest { Query = "石墨烯" }).Items); // no refresh needed
        Assert.Equal(ApplyResult.Stale, _index.Apply(v3));
        Assert.Equal(ApplyResult.Stale, _index.Apply(v3 with { Version = 4 }));
        Assert.Empty(Find("石墨烯"));
        Assert.Equal(ListingStatus.Withdrawn, _index.Find(v3.Id)!.Status);
    }

    [Fact]
    public void A_withdrawal_that_overtakes_the_publication_wins()
    {
        var v3 = MarketCorpus.Snapshot(_entry, 3);
        _index.Withdraw(new ListingWithdrawn { ListingId = v3.Id, Version = 4, SubMarket = v3.SubMarket, WithdrawnAt = DateTimeOffset.UtcNow });
        Assert.Equal(ApplyResult.Stale, _index.Apply(v3));
        Assert.Empty(Find("石墨烯"));
    }

    [Fact]
    public void An_update_replaces_the_text_and_an_edit_back_into_review_hides_it()
    {
        var v3 = MarketCorpus.Snapshot(_entry, 3);
        _index.Apply(v3);
        _index.Apply(v3 with { Version = 4, Title = "碳纳米管导电浆料制备技术", Keywords = ["碳纳米管", "导电剂"], Summary = "碳纳米管导电浆料。", Description = "用于锂电池的碳纳米管导电剂浆料分散工艺。" });
        Assert.Empty(Find("石墨烯"));
        Assert.Single(Find("碳纳米管"));
        _index.Apply(v3 with { Version = 5, Status = ListingStatus.PendingReview });
        Assert.Empty(Find("碳纳米管"));
        Assert.Equal(ListingStatus.PendingReview, _index.Find(v3.Id)!.Status);
    }

    [Fact]
    public void The_index_survives_a_restart_with_its_versions()
    {
        var v3 = MarketCorpus.Snapshot(_entry, 3);
        _index.Apply(v3);
        _index.Commit();
        _index.Dispose();
        using var reopened = new ListingIndex(_path, new TextAnalysis(TextAnalysisMode.SmartCn));
        Assert.Equal(3, reopened.VersionOf(v3.Id));
        Assert.NotNull(reopened.LastCommit);
        Assert.Equal(ApplyResult.Stale, reopened.Apply(v3));
        Assert.Single(new SearchService(reopened).Search(new SearchRequest { Query = "石墨烯" }).Items);
    }

    [Fact]
    public void A_restart_reads_every_version_tombstones_included_and_another_analysis_makes_the_index_outdated()
    {
        var published = MarketCorpus.Snapshot(_entry, 3);
        var withdrawn = MarketCorpus.Snapshot(MarketCorpus.Entries.Single(e => e.Key == "railfault"), 4);
        _index.Apply(published);
        _index.Apply(withdrawn);
        _index.Withdraw(new ListingWithdrawn { ListingId = withdrawn.Id, Version = 6, SubMarket = withdrawn.SubMarket, WithdrawnAt = DateTimeOffset.UtcNow });
        Assert.False(_index.Outdated); // it was empty: everything in it was written by this code
        _index.Dispose();

        using (var same = new ListingIndex(_path, new TextAnalysis(TextAnalysisMode.SmartCn)))
        {
            Assert.Equal(3, same.VersionOf(published.Id));
            Assert.Equal(6, same.VersionOf(withdrawn.Id));
            Assert.False(same.Outdated);
        }
        using (var other = new ListingIndex(_path, new TextAnalysis(TextAnalysisMode.Bigram)))
        {
            // its terms were made by another analysis: a replay must write every listing again
            Assert.True(other.Outdated);
            other.MarkCurrent();
        }
        using var rewritten = new ListingIndex(_path, new TextAnalysis(TextAnalysisMode.Bigram));
        Assert.False(rewritten.Outdated);
        Assert.Equal(6, rewritten.VersionOf(withdrawn.Id));
    }

    [Fact]
    public void An_index_written_before_versions_were_doc_values_is_read_from_its_stored_fields_and_is_outdated()
    {
        _index.Dispose();
        Directory.Delete(_path, true);
        var id = Guid.NewGuid();
        // the documents and commit of the format before: id and version stored only, no format recorded
        using (var directory = new Lucene.Net.Store.NIOFSDirectory(new DirectoryInfo(_path)))
        using (var writer = new Lucene.Net.Index.IndexWriter(directory,
                   new Lucene.Net.Index.IndexWriterConfig(TextAnalysis.Version, new TextAnalysis(TextAnalysisMode.SmartCn).Indexing)))
        {
            writer.AddDocument(
            [
                new Lucene.Net.Documents.StringField(ListingIndex.Fields.Id, id.ToString(), Lucene.Net.Documents.Field.Store.YES),
                new Lucene.Net.Documents.StringField(ListingIndex.Fields.Status, "withdrawn", Lucene.Net.Documents.Field.Store.NO),
                new Lucene.Net.Documents.StoredField(ListingIndex.Fields.Version, 7L),
            ]);
            writer.Commit();
        }
        using var upgraded = new ListingIndex(_path, new TextAnalysis(TextAnalysisMode.SmartCn));
        Assert.Equal(7, upgraded.VersionOf(id));
        Assert.True(upgraded.Outdated);
    }

    public void Dispose()
    {
        try { _index.Dispose(); } catch (ObjectDisposedException) { }
        try { Directory.Delete(_path, true); } catch (IOException) { }
    }
}
