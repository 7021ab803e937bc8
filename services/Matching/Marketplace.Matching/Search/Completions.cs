using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Util;
using Marketplace.Matching.Indexing;
using F = Marketplace.Matching.Indexing.ListingIndex.Fields;

namespace Marketplace.Matching.Search;

/// <summary>A completion: a title or keyword as written, and how many published listings carry it.</summary>
internal sealed record Completion(string Text, int Listings);

internal sealed record CompletionResult(string Query, IReadOnlyList<Completion> Items);

/// <summary>
/// Suggestions as you type, read from the index's own term dictionary: every published listing's keywords and title
/// are terms of <see cref="F.Completion"/> ("normalised\u001Fas written"), so a prefix is one seek and a short scan,
/// and the dictionary is always in step with the index (no second structure to keep or rebuild).
/// </summary>
internal sealed class Completions(ListingIndex index)
{
    public const int Size = 8;

    /// <summary>
    /// At most this many dictionary terms are read for one prefix: a one-character prefix of a large market has tens of
    /// thousands, and the answer must come while the user types. Within them the most frequent win.
    /// </summary>
    private const int MaxScanned = 20_000;

    public CompletionResult Complete(string query)
    {
        var prefix = ListingIndex.Normalise(query);
        return new CompletionResult(query, index.Search(searcher => Complete(searcher.IndexReader, prefix)));
    }

    private static List<Completion> Complete(IndexReader reader, string prefix)
    {
        var terms = MultiFields.GetTerms(reader, F.Completion);
        if (terms is null || prefix.Length == 0) return [];
        var live = MultiFields.GetLiveDocs(reader);
        var start = new BytesRef(prefix);
        var found = new Dictionary<string, Candidate>(StringComparer.Ordinal);
        var termsEnum = terms.GetEnumerator();
        if (termsEnum.SeekCeil(start) == TermsEnum.SeekStatus.END) return [];
        var scanned = 0;
        do
        {
            var term = termsEnum.Term;
            if (!StringHelper.StartsWith(term, start) || ++scanned > MaxScanned) break;
            var text = term.Utf8ToString();
            var separator = text.IndexOf(F.CompletionSeparator, StringComparison.Ordinal);
            if (separator <= 0) continue;
            var key = text[..separator];
            var candidate = found.TryGetValue(key, out var c) ? c : found[key] = new Candidate(key);
            candidate.Forms.Add((BytesRef.DeepCopyOf(term), text[(separator + 1)..], termsEnum.DocFreq));
        }
        while (termsEnum.MoveNext());

        // document frequencies count replaced and withdrawn listings until their segments merge: the few best by
        // frequency are counted exactly over the live documents, and one no published listing carries is left out
        var items = new List<Completion>();
        foreach (var candidate in found.Values.OrderByDescending(c => c.Frequency).ThenBy(c => c.Key.Length).ThenBy(c => c.Key, StringComparer.Ordinal))
        {
            var counted = candidate.Forms
                .Select(f => (f.Display, Listings: Live(termsEnum, f.Term, live)))
                .Where(f => f.Listings > 0)
                .ToList();
            if (counted.Count == 0) continue;
            var display = counted.OrderByDescending(f => f.Listings).ThenBy(f => f.Display, StringComparer.Ordinal).First().Display;
            items.Add(new Completion(display, counted.Sum(f => f.Listings)));
            if (items.Count == Size) break;
        }
        return items.OrderByDescending(i => i.Listings).ThenBy(i => i.Text.Length).ThenBy(i => i.Text, StringComparer.Ordinal).ToList();
    }

    /// <summary>Published listings that carry the term now (deleted documents left out).</summary>
    public static int Live(TermsEnum termsEnum, BytesRef term, IBits? live)
    {
        if (!termsEnum.SeekExact(term)) return 0;
        var docs = termsEnum.Docs(live, null, DocsFlags.NONE);
        var count = 0;
        while (docs.NextDoc() != DocIdSetIterator.NO_MORE_DOCS) count++;
        return count;
    }

    private sealed class Candidate(string key)
    {
        public string Key { get; } = key;
        public List<(BytesRef Term, string Display, int DocFreq)> Forms { get; } = [];
        public int Frequency => Forms.Sum(f => f.DocFreq);
    }
}
