using System.Text;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Marketplace.Matching.Indexing;
using F = Marketplace.Matching.Indexing.ListingIndex.Fields;

namespace Marketplace.Matching.Search;

/// <summary>
/// "Did you mean": a misspelt query corrected to the market's own keywords (<see cref="F.Phrase"/>, one term per keyword
/// of a published listing), by edit distance over the term dictionary (Lucene's <see cref="FuzzyTermsEnum"/>), never
/// from a word list of its own. A typo breaks Chinese segmentation (故障诊段 is cut 故障 / 诊 / 段), so a part of the
/// query is tried whole, then as runs of its segmented words, longest first.
/// </summary>
internal sealed class Spelling(TextAnalysis analysis)
{
    /// <summary>Runs of at most this many segmented words are tried against the keywords.</summary>
    private const int MaxRun = 4;

    /// <summary>A query (or part) of more words or parts is not corrected: it is a text, not a misspelt term.</summary>
    private const int MaxWords = 16, MaxParts = 8;

    /// <summary>Longer text is no keyword mistyped (and each fuzzy lookup costs with the length).</summary>
    private const int MaxKeywordLength = 30;

    /// <summary>The corrected query, or null when every part of it is a known keyword or has no close one.</summary>
    public string? Correct(IndexReader reader, string query)
    {
        var terms = MultiFields.GetTerms(reader, F.Phrase);
        if (terms is null) return null;
        var lookup = new Lookup(reader, terms);
        var parts = query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length > MaxParts) return null;
        var corrected = parts.Select(p => CorrectPart(lookup, p)).ToList();
        var suggestion = string.Join(' ', corrected);
        return ListingIndex.Normalise(suggestion) == ListingIndex.Normalise(query) ? null : suggestion;
    }

    private string CorrectPart(Lookup lookup, string part)
    {
        if (lookup.Closest(part) is { } whole) return whole;
        var words = Words(part);
        if (words.Count is < 2 or > MaxWords) return part;
        var result = new StringBuilder();
        var at = 0; // offset in part up to which the text is written
        for (var i = 0; i < words.Count;)
        {
            var taken = 1;
            string? replacement = null;
            for (var run = Math.Min(MaxRun, words.Count - i); run >= 2; run--)
            {
                var text = part[words[i].Start..words[i + run - 1].End];
                if (lookup.Closest(text) is not { } closest) continue;
                (taken, replacement) = (run, closest);
                break;
            }
            var end = words[i + taken - 1].End;
            if (replacement is not null)
            {
                result.Append(part, at, words[i].Start - at).Append(replacement);
                at = end;
            }
            i += taken;
        }
        return result.Append(part, at, part.Length - at).ToString();
    }

    /// <summary>The part's words by SmartCn (in every mode: only their boundaries are used), with their offsets.</summary>
    private List<(int Start, int End)> Words(string part)
    {
        var words = new List<(int, int)>();
        using var stream = analysis.Smart.GetTokenStream("q", part);
        var offsets = stream.AddAttribute<IOffsetAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            if (offsets.EndOffset <= part.Length && offsets.StartOffset < offsets.EndOffset) words.Add((offsets.StartOffset, offsets.EndOffset));
        }
        stream.End();
        return words;
    }

    private sealed class Lookup(IndexReader reader, Terms phrases)
    {
        private readonly IBits? _live = MultiFields.GetLiveDocs(reader);
        private readonly TermsEnum _exact = phrases.GetEnumerator();

        /// <summary>
        /// The text itself when it is a keyword (as the market writes it), else the closest keyword: fewest edits, then
        /// the most listings. Null when nothing is close enough (1 edit up to 5 characters, 2 beyond; none below 3).
        /// </summary>
        public string? Closest(string text)
        {
            var normalised = ListingIndex.Normalise(text);
            if (normalised.Length is < 2 or > MaxKeywordLength) return null;
            if (Completions.Live(_exact, new BytesRef(normalised), _live) > 0) return Display(normalised) ?? text;
            var maxEdits = normalised.Length switch { < 3 => 0, <= 5 => 1, _ => 2 };
            if (maxEdits == 0) return null;
            var fuzzy = new FuzzyTermsEnum(phrases, new Lucene.Net.Util.AttributeSource(), new Term(F.Phrase, normalised), maxEdits, 0, true);
            (string Term, int Edits, int DocFreq)? best = null;
            while (fuzzy.MoveNext())
            {
                var term = fuzzy.Term.Utf8ToString();
                var edits = Edits(normalised, term);
                var docFreq = fuzzy.DocFreq;
                if (best is { } b && (edits > b.Edits || (edits == b.Edits && docFreq <= b.DocFreq))) continue;
                if (Completions.Live(_exact, new BytesRef(term), _live) == 0) continue;
                best = (term, edits, docFreq);
            }
            return best is { } found ? Display(found.Term) ?? found.Term : null;
        }

        /// <summary>The keyword as most listings write it (the completion field keeps the written form beside the normalised one).</summary>
        private string? Display(string normalised)
        {
            var terms = MultiFields.GetTerms(reader, F.Completion);
            if (terms is null) return null;
            var prefix = new BytesRef(normalised + F.CompletionSeparator);
            var termsEnum = terms.GetEnumerator();
            if (termsEnum.SeekCeil(prefix) == TermsEnum.SeekStatus.END) return null;
            (string Text, int DocFreq)? best = null;
            do
            {
                if (!StringHelper.StartsWith(termsEnum.Term, prefix)) break;
                if (best is null || termsEnum.DocFreq > best.Value.DocFreq)
                    best = (termsEnum.Term.Utf8ToString()[(normalised.Length + 1)..], termsEnum.DocFreq);
            }
            while (termsEnum.MoveNext());
            return best?.Text;
        }
    }

    /// <summary>Optimal string alignment distance (an adjacent swap counts one), as the fuzzy enumeration counts.</summary>
    private static int Edits(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        }
        return d[a.Length, b.Length];
    }
}
