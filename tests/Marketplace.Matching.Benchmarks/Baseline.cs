using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cjk;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Marketplace.Matching.Benchmarks;

/// <summary>
/// The baseline of issue 17: what a newcomer builds in an afternoon, in the benchmark only (not the product).
/// Elasticsearch's <c>cjk</c> analyzer (Lucene's CJKAnalyzer: StandardTokenizer, CJK width folding, lower case,
/// overlapping CJK bigrams, English stop words), BM25 with default k1 = 1.2 and b = 0.75, and one BooleanQuery of
/// SHOULD clauses — each field's analysed query terms, the field boosted (title 3, keywords 3, summary 1.5,
/// description 1). No minimum-should-match, no term dropping, no filters: every CSL record is a published offer.
/// </summary>
public sealed class Baseline : IDisposable
{
    private static readonly (string Field, float Boost)[] Fields = [("title", 3f), ("keywords", 3f), ("summary", 1.5f), ("description", 1f)];
    private readonly RAMDirectory _directory = new();
    private readonly Analyzer _analyzer = new CJKAnalyzer(LuceneVersion.LUCENE_48);
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;

    public Baseline(IReadOnlyList<CslRecord> records)
    {
        var config = new IndexWriterConfig(LuceneVersion.LUCENE_48, _analyzer) { Similarity = new BM25Similarity() };
        using (var writer = new IndexWriter(_directory, config))
        {
            for (var i = 0; i < records.Count; i++)
            {
                var listing = Quality.ToSnapshot(records[i], i);
                var doc = new Document
                {
                    new StoredField("index", i),
                    new TextField("title", listing.Title, Field.Store.NO),
                    new TextField("summary", listing.Summary, Field.Store.NO),
                    new TextField("description", listing.Description, Field.Store.NO),
                };
                foreach (var keyword in listing.Keywords) doc.Add(new TextField("keywords", keyword, Field.Store.NO));
                writer.AddDocument(doc);
            }
            writer.Commit();
        }
        _reader = DirectoryReader.Open(_directory);
        _searcher = new IndexSearcher(_reader) { Similarity = new BM25Similarity() };
    }

    /// <summary>The records' indexes, best first.</summary>
    public IReadOnlyList<int> Search(string text, int count)
    {
        var query = new BooleanQuery();
        foreach (var (field, boost) in Fields)
        {
            var perField = new BooleanQuery { Boost = boost };
            foreach (var term in Analyse(field, text)) perField.Add(new TermQuery(new Term(field, term)), Occur.SHOULD);
            if (perField.Clauses.Count > 0) query.Add(perField, Occur.SHOULD);
        }
        if (query.Clauses.Count == 0) return [];
        return _searcher.Search(query, count).ScoreDocs
            .Select(d => _searcher.Doc(d.Doc).GetField("index").GetInt32Value() ?? -1).ToList();
    }

    private List<string> Analyse(string field, string text)
    {
        var terms = new List<string>();
        using var stream = _analyzer.GetTokenStream(field, text);
        var attribute = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) terms.Add(attribute.ToString());
        stream.End();
        return terms;
    }

    public void Dispose()
    {
        _reader.Dispose();
        _analyzer.Dispose();
        _directory.Dispose();
    }
}
