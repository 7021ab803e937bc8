using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Cjk;
using Lucene.Net.Analysis.Cn.Smart;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Util;

namespace Marketplace.Matching.Indexing;

/// <summary>How Chinese text is cut into terms (see docs/search-quality.md for the measurement).</summary>
internal enum TextAnalysisMode
{
    /// <summary>SmartCn word segmentation (HMM over a dictionary).</summary>
    SmartCn,
    /// <summary>Overlapping CJK bigrams: no dictionary, robust to new technical terms.</summary>
    Bigram,
    /// <summary>Both: every text field is indexed twice and queried through both.</summary>
    Combined,
}

/// <summary>
/// The analyzers of the index. Text fields are indexed under their own name with SmartCn and
/// under name + <see cref="BigramSuffix"/> with CJK bigrams; which of them a query uses depends
/// on the mode.
/// </summary>
internal sealed class TextAnalysis
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;
    public const string BigramSuffix = "_bg";

    public TextAnalysis(TextAnalysisMode mode)
    {
        Mode = mode;
        Smart = new SmartChineseAnalyzer(Version);
        Bigram = new StemmedBigrams();
        Indexing = new PerFieldAnalyzerWrapper(Smart, TextFields.ToDictionary(f => f + BigramSuffix, _ => (Analyzer)Bigram));
    }

    public static readonly IReadOnlyList<string> TextFields = ["title", "keywords", "summary", "description", "labels"];

    public TextAnalysisMode Mode { get; }
    public Analyzer Smart { get; }
    public Analyzer Bigram { get; }

    /// <summary>The analyzer an IndexWriter uses: SmartCn, or bigrams for the "_bg" fields.</summary>
    public Analyzer Indexing { get; }

    /// <summary>The fields a query searches, each with the analyzer that made its terms.</summary>
    public IEnumerable<(string Field, Analyzer Analyzer)> QueryFields(string field)
    {
        if (Mode != TextAnalysisMode.Bigram) yield return (field, Smart);
        if (Mode != TextAnalysisMode.SmartCn) yield return (field + BigramSuffix, Bigram);
    }

    /// <summary>Whether the bigram copies must be indexed at all.</summary>
    public bool IndexesBigrams => Mode != TextAnalysisMode.SmartCn;
    public bool IndexesSmart => Mode != TextAnalysisMode.Bigram;

    public static IReadOnlyList<string> Terms(Analyzer analyzer, string field, string text)
    {
        var terms = new List<string>();
        using var stream = analyzer.GetTokenStream(field, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken()) terms.Add(term.ToString());
        stream.End();
        return terms;
    }

    /// <summary>
    /// CJKAnalyzer's chain (width folding, lower case, CJK bigrams, English stop words) with Porter stemming after it, as
    /// SmartCn stems: "lithium batteries" and "Lithium Battery" meet in every analysis mode.
    /// </summary>
    private sealed class StemmedBigrams : Analyzer
    {
        protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
        {
            var source = new StandardTokenizer(Version, reader);
            TokenStream result = new CJKWidthFilter(source);
            result = new LowerCaseFilter(Version, result);
            result = new CJKBigramFilter(result);
            result = new StopFilter(Version, result, CJKAnalyzer.DefaultStopSet);
            result = new PorterStemFilter(result);
            return new TokenStreamComponents(source, result);
        }
    }
}
