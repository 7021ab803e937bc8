using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.ServiceDefaults.Json;
using Directory = Lucene.Net.Store.Directory;

namespace Marketplace.Matching.Indexing;

internal enum ApplyResult { Applied, Stale }

/// <summary>
/// The matching service's own copy of the published listings: a Lucene index on disk
/// (NIOFSDirectory: MMapDirectory is slow under concurrent search in Lucene.Net), fed only by
/// listing events. Every listing keeps one document; the highest version wins, so duplicate and
/// reordered events are harmless. Only published listings are searchable; others stay as
/// tombstones that remember their version (and, for the owner's matches, their snapshot).
/// </summary>
internal sealed class ListingIndex : IDisposable
{
    public static class Fields
    {
        public const string Id = "id", Status = "status", Version = "version", Snapshot = "snapshot";
        public const string Kind = "kind", Field = "field", SubMarket = "subMarket", Mode = "mode";
        public const string Maturity = "maturity", Price = "price", Published = "published", Keywords = "keywords";
        public const string Title = "title", Summary = "summary", Description = "description";
        /// <summary>What a listing is filed under, as people name it: its field's, sub-market's and organisation's names.</summary>
        public const string Labels = "labels";
        /// <summary>Each keyword whole, normalised (<see cref="Normalise"/>): the words a misspelt query is corrected to.</summary>
        public const string Phrase = "phrase";
        /// <summary>Each keyword and the title as "normalised\u001Fas written": what a prefix completes to.</summary>
        public const string Completion = "completion";
        public const char CompletionSeparator = '\u001F';
        public static string Dv(string name) => name + "_dv";
    }

    /// <summary>
    /// How <see cref="ToDocument"/> makes documents: raised with every change to it, so that an index written by older
    /// code (or with another analysis) is rewritten by the next replay (<see cref="Outdated"/>).
    /// </summary>
    private const int DocumentFormat = 3;
    private const int Stripes = 64;
    private readonly Directory _directory;
    private readonly IndexWriter _writer;
    private readonly SearcherManager _searchers;
    private readonly ConcurrentDictionary<Guid, long> _versions = new();
    private readonly object[] _locks = Enumerable.Range(0, Stripes).Select(_ => new object()).ToArray();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _maintenance;
    private readonly Marketplace.ServiceDefaults.Storage.ProcessFileLease _lease;
    private readonly TimeSpan _refreshInterval;
    private readonly TimeSpan _commitInterval;
    private int _dirtyForSearch;
    private int _dirtyForCommit;

    public ListingIndex(string path, TextAnalysis analysis, TimeSpan? refreshInterval = null, TimeSpan? commitInterval = null)
    {
        Analysis = analysis;
        Similarity = new BM25Similarity();
        // one writer on the folder in this process: a host still closing it is waited for (Lucene's write lock would refuse)
        _lease = Marketplace.ServiceDefaults.Storage.ProcessFileLease.Acquire(path);
        try
        {
            System.IO.Directory.CreateDirectory(path);
            _directory = new NIOFSDirectory(new DirectoryInfo(path));
            _writer = new IndexWriter(_directory, new IndexWriterConfig(TextAnalysis.Version, analysis.Indexing)
            {
                OpenMode = OpenMode.CREATE_OR_APPEND,
                RAMBufferSizeMB = 64,
                Similarity = Similarity,
            });
        }
        catch
        {
            _lease.Dispose();
            throw;
        }
        _searchers = new SearcherManager(_writer, true, new SimilarityFactory(Similarity));
        LoadVersions();
        // an empty index holds no document of another format; one from before formats were recorded holds the oldest
        _writtenFormat = _writer.CommitData.TryGetValue("format", out var format) ? format : Known == 0 ? Format : "";
        // an index from before fills were recorded was filled by the start that made it
        _filled = _writer.CommitData.TryGetValue("filled", out var filled) ? filled == "true" : Known > 0;
        _refreshInterval = refreshInterval ?? TimeSpan.FromMilliseconds(100);
        _commitInterval = commitInterval ?? TimeSpan.FromSeconds(2);
        _maintenance = Task.Run(MaintainAsync);
    }

    public TextAnalysis Analysis { get; }
    public Similarity Similarity { get; }

    /// <summary>Listings the index knows (published or not).</summary>
    public int Known => _versions.Count;

    /// <summary>When the last commit to disk happened; events after it may need replaying after a crash.</summary>
    public DateTimeOffset? LastCommit =>
        _writer.CommitData.TryGetValue("committedAt", out var at) ? DateTimeOffset.Parse(at, CultureInfo.InvariantCulture) : null;

    public long? VersionOf(Guid id) => _versions.TryGetValue(id, out var v) ? v : null;

    /// <summary>The format this code writes documents in, with the analysis that made their terms.</summary>
    public string Format => $"{DocumentFormat}/{Analysis.Mode}";

    /// <summary>
    /// The index holds documents made by other code or another analysis: a replay must rewrite every listing, the
    /// versions it already has included. Until one has (<see cref="MarkCurrent"/>), the index on disk says so.
    /// </summary>
    public bool Outdated => Volatile.Read(ref _writtenFormat) != Format;

    /// <summary>Every listing was rewritten in this code's format (a complete rewriting replay was applied).</summary>
    public void MarkCurrent()
    {
        Volatile.Write(ref _writtenFormat, Format);
        Interlocked.Exchange(ref _dirtyForCommit, 1);
    }

    private string _writtenFormat;

    /// <summary>
    /// Whether a fill from nothing completed: every listing the listing service had was applied once. An index that
    /// stopped while filling holds part of the market, and its next start must fill it again rather than catch up.
    /// </summary>
    public bool Filled => Volatile.Read(ref _filled);

    /// <summary>A fill from nothing completed (<see cref="IndexFill"/>).</summary>
    public void MarkFilled()
    {
        Volatile.Write(ref _filled, true);
        Interlocked.Exchange(ref _dirtyForCommit, 1);
    }

    private bool _filled;

    /// <summary>Applies a snapshot if it is newer than what the index holds (or as new, when <paramref name="rewriteSameVersion"/>).</summary>
    public ApplyResult Apply(ListingSnapshot snapshot, bool rewriteSameVersion = false)
    {
        lock (_locks[(snapshot.Id.GetHashCode() & int.MaxValue) % Stripes])
        {
            var current = VersionOf(snapshot.Id);
            if (current is { } c && (snapshot.Version < c || (snapshot.Version == c && !rewriteSameVersion))) return ApplyResult.Stale;
            // the version map knows every document in the index: a new listing needs no delete-by-term
            if (current is null) _writer.AddDocument(ToDocument(snapshot));
            else _writer.UpdateDocument(new Term(Fields.Id, snapshot.Id.ToString()), ToDocument(snapshot));
            _versions[snapshot.Id] = snapshot.Version;
            // counted before the lock is released: a second consumer of the same event that finds it stale and
            // returns must not let its caller's Refresh skip this change (search would miss the listing)
            Interlocked.Increment(ref _applied);
        }
        Interlocked.Exchange(ref _dirtyForSearch, 1);
        Interlocked.Exchange(ref _dirtyForCommit, 1);
        return ApplyResult.Applied;
    }

    /// <summary>A withdrawal: the listing leaves search at once; its tombstone keeps the version.</summary>
    public ApplyResult Withdraw(ListingWithdrawn withdrawn)
    {
        var previous = Find(withdrawn.ListingId);
        var tombstone = previous is not null
            ? previous with { Status = ListingStatus.Withdrawn, Version = withdrawn.Version, UpdatedAt = withdrawn.WithdrawnAt }
            : null;
        lock (_locks[(withdrawn.ListingId.GetHashCode() & int.MaxValue) % Stripes])
        {
            var current = VersionOf(withdrawn.ListingId);
            if (current is { } c && withdrawn.Version <= c) return ApplyResult.Stale;
            var doc = tombstone is not null ? ToDocument(tombstone) : Tombstone(withdrawn.ListingId, withdrawn.Version);
            _writer.UpdateDocument(new Term(Fields.Id, withdrawn.ListingId.ToString()), doc);
            _versions[withdrawn.ListingId] = withdrawn.Version;
            Interlocked.Increment(ref _applied);
        }
        Interlocked.Exchange(ref _dirtyForSearch, 1);
        Interlocked.Exchange(ref _dirtyForCommit, 1);
        // withdrawn listings must disappear from search at once, not at the next refresh tick
        Refresh();
        return ApplyResult.Applied;
    }

    /// <summary>
    /// Makes every change applied before the call visible to searches now. Reopening the reader is the dearest step of
    /// an event (a new segment each time), so callers that come while one reopens share the next: a reopen begun after
    /// a caller's change was applied covers it (<see cref="_applied"/> counts the changes, <see cref="_visible"/>
    /// the count the last reopen began at), and that caller returns without another.
    /// </summary>
    public void Refresh()
    {
        var mine = Interlocked.Read(ref _applied);
        lock (_refreshGate)
        {
            if (_visible >= mine) return;
            var covered = Interlocked.Read(ref _applied);
            Interlocked.Exchange(ref _dirtyForSearch, 0);
            _searchers.MaybeRefreshBlocking();
            _visible = covered;
        }
    }

    private readonly System.Threading.Lock _refreshGate = new();
    private long _applied;
    private long _visible;

    public void Commit()
    {
        if (Interlocked.Exchange(ref _dirtyForCommit, 0) == 0) return;
        _writer.SetCommitData(new Dictionary<string, string>
        {
            ["committedAt"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["format"] = Volatile.Read(ref _writtenFormat),
            ["filled"] = Volatile.Read(ref _filled) ? "true" : "false",
        });
        _writer.Commit();
    }

    public T Search<T>(Func<IndexSearcher, T> search)
    {
        var searcher = _searchers.Acquire();
        try { return search(searcher); }
        finally { _searchers.Release(searcher); }
    }

    /// <summary>The stored snapshot of a listing (any status), as of the last refresh.</summary>
    public ListingSnapshot? Find(Guid id)
    {
        if (!_versions.ContainsKey(id)) return null;
        Refresh();
        return Search(searcher =>
        {
            var hits = searcher.Search(new TermQuery(new Term(Fields.Id, id.ToString())), 1);
            if (hits.TotalHits == 0) return null;
            return ReadSnapshot(searcher.Doc(hits.ScoreDocs[0].Doc));
        });
    }

    public static ListingSnapshot? ReadSnapshot(Document doc)
    {
        var json = doc.Get(Fields.Snapshot);
        return json is null ? null : JsonSerializer.Deserialize<ListingSnapshot>(json, MarketJson.Wire);
    }

    private Document ToDocument(ListingSnapshot s)
    {
        var doc = Identity(s.Id, s.Status, s.Version);
        doc.Add(new StoredField(Fields.Snapshot, JsonSerializer.Serialize(s, MarketJson.Wire)));
        if (s.Status != ListingStatus.Published) return doc;

        Keyword(doc, Fields.Kind, WireCode.Of(s.Kind));
        Keyword(doc, Fields.Field, s.Field);
        Keyword(doc, Fields.SubMarket, s.SubMarket);
        foreach (var mode in s.TransferModes) doc.Add(new StringField(Fields.Mode, WireCode.Of(mode), Field.Store.NO));
        if (s.Maturity is { } trl)
        {
            doc.Add(new Int32Field(Fields.Maturity, trl, Field.Store.NO));
            doc.Add(new NumericDocValuesField(Fields.Dv(Fields.Maturity), trl));
        }
        var price = PriceFloor(s);
        doc.Add(new Int64Field(Fields.Price, price, Field.Store.NO));
        doc.Add(new NumericDocValuesField(Fields.Dv(Fields.Price), price));
        doc.Add(new NumericDocValuesField(Fields.Dv(Fields.Published), (s.PublishedAt ?? s.UpdatedAt).UtcTicks));

        // the texts themselves are read back from the stored snapshot
        Text(doc, Fields.Title, s.Title, highlighted: true);
        Text(doc, Fields.Keywords, string.Join(' ', s.Keywords), highlighted: false);
        Text(doc, Fields.Summary, s.Summary, highlighted: true);
        Text(doc, Fields.Description, s.Description, highlighted: false);
        Text(doc, Fields.Labels, string.Join(' ', Labels(s)), highlighted: false);

        var phrases = new HashSet<string>(StringComparer.Ordinal);
        var completions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var keyword in s.Keywords)
        {
            var normalised = Normalise(keyword);
            if (normalised.Length is 0 or > MaxPhraseLength) continue;
            if (phrases.Add(normalised)) doc.Add(new StringField(Fields.Phrase, normalised, Field.Store.NO));
            completions.Add(normalised + Fields.CompletionSeparator + keyword.Trim());
        }
        var title = Normalise(s.Title);
        if (title.Length is > 0 and <= MaxPhraseLength) completions.Add(title + Fields.CompletionSeparator + s.Title.Trim());
        foreach (var completion in completions) doc.Add(new StringField(Fields.Completion, completion, Field.Store.NO));
        return doc;
    }

    /// <summary>Longer keywords and titles are not offered as completions or corrections (and stay far below Lucene's term limit).</summary>
    private const int MaxPhraseLength = 100;

    /// <summary>The names a listing is known by besides its text: people search for 新能源, 株洲 or a university.</summary>
    private static IEnumerable<string> Labels(ListingSnapshot s)
    {
        if (ReferenceData.Fields.FirstOrDefault(f => f.Code == s.Field) is { } field)
        {
            yield return field.Name;
            yield return field.NameEn;
        }
        if (ReferenceData.SubMarkets.FirstOrDefault(m => m.Code == s.SubMarket) is { } subMarket)
        {
            yield return subMarket.Name;
            yield return subMarket.NameEn;
        }
        if (!string.IsNullOrWhiteSpace(s.OwnerOrgName)) yield return s.OwnerOrgName;
    }

    /// <summary>
    /// How phrases are compared: compatibility-folded (full-width ＡＩ is AI), lower case, single spaces. Queries and the
    /// phrase and completion fields go through it alike.
    /// </summary>
    public static string Normalise(string text) =>
        string.Join(' ', text.Normalize(System.Text.NormalizationForm.FormKC).ToLowerInvariant()
            .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    /// <summary>What a buyer pays at least, in whole yuan: an offer's lowest price, a demand's budget (0 when negotiable).</summary>
    public static long PriceFloor(ListingSnapshot s)
    {
        var money = s.Kind == ListingKind.Offer ? s.Price : s.Budget;
        var floor = money?.Min ?? money?.Max ?? 0m;
        return (long)decimal.Floor(floor);
    }

    private static Document Tombstone(Guid id, long version) => Identity(id, ListingStatus.Withdrawn, version);

    /// <summary>What every document has, tombstones too: the id and version stored, and as doc values for the start.</summary>
    private static Document Identity(Guid id, ListingStatus status, long version) =>
    [
        new StringField(Fields.Id, id.ToString(), Field.Store.YES),
        new StringField(Fields.Status, WireCode.Of(status), Field.Store.NO),
        new StoredField(Fields.Version, version),
        // read column-wise at start (LoadVersions); the id is also the last tie-break of every sort: replicas and
        // pages agree on the order of equal hits
        new SortedDocValuesField(Fields.Dv(Fields.Id), new BytesRef(id.ToString())),
        new NumericDocValuesField(Fields.Dv(Fields.Version), version),
    ];

    private static void Keyword(Document doc, string name, string value)
    {
        doc.Add(new StringField(name, value, Field.Store.NO));
        doc.Add(new SortedDocValuesField(Fields.Dv(name), new BytesRef(value)));
    }

    /// <summary>Text with term vectors (positions and offsets), so highlighting needs no re-analysis.</summary>
    private static readonly FieldType HighlightedText = Freeze(new FieldType(TextField.TYPE_NOT_STORED)
    {
        StoreTermVectors = true, StoreTermVectorPositions = true, StoreTermVectorOffsets = true,
    });

    private static FieldType Freeze(FieldType type)
    {
        type.Freeze();
        return type;
    }

    private void Text(Document doc, string name, string value, bool highlighted)
    {
        var type = highlighted ? HighlightedText : TextField.TYPE_NOT_STORED;
        if (Analysis.IndexesSmart) doc.Add(new Field(name, value, type));
        if (Analysis.IndexesBigrams) doc.Add(new Field(name + TextAnalysis.BigramSuffix, value, type));
    }

    /// <summary>
    /// The version map, from the id and version doc values of each live document: a columnar read, where reading the
    /// stored fields took 3.6 s of a start at 100,000 listings. A document written before it had doc values is read
    /// from its stored fields.
    /// </summary>
    private void LoadVersions()
    {
        using var reader = _writer.GetReader(true);
        var stored = new HashSet<string> { Fields.Id, Fields.Version };
        var bytes = new BytesRef();
        foreach (var leaf in reader.Leaves)
        {
            var segment = leaf.AtomicReader;
            var live = segment.LiveDocs;
            var ids = segment.GetSortedDocValues(Fields.Dv(Fields.Id));
            var versions = segment.GetNumericDocValues(Fields.Dv(Fields.Version));
            var hasVersion = segment.GetDocsWithField(Fields.Dv(Fields.Version));
            for (var i = 0; i < segment.MaxDoc; i++)
            {
                if (live is not null && !live.Get(i)) continue;
                if (ids is not null && versions is not null && hasVersion is not null && hasVersion.Get(i) && ids.GetOrd(i) >= 0)
                {
                    ids.Get(i, bytes);
                    if (Guid.TryParse(bytes.Utf8ToString(), out var id)) _versions[id] = versions.Get(i);
                    continue;
                }
                var doc = segment.Document(i, stored);
                if (Guid.TryParse(doc.Get(Fields.Id), out var old))
                    _versions[old] = doc.GetField(Fields.Version)?.GetInt64Value() ?? 0;
            }
        }
    }

    private async Task MaintainAsync()
    {
        var lastCommit = DateTime.UtcNow;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_refreshInterval, _stop.Token);
                if (Interlocked.CompareExchange(ref _dirtyForSearch, 0, 1) == 1) _searchers.MaybeRefresh();
                if (DateTime.UtcNow - lastCommit >= _commitInterval)
                {
                    Commit();
                    lastCommit = DateTime.UtcNow;
                }
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _maintenance.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        Commit();
        _searchers.Dispose();
        _writer.Dispose();
        _directory.Dispose();
        _lease.Dispose();
    }

    private sealed class SimilarityFactory(Similarity similarity) : SearcherFactory
    {
        public override IndexSearcher NewSearcher(IndexReader reader) => new(reader) { Similarity = similarity };
    }
}
