using System.Globalization;
using Marketplace.Contracts;
using Marketplace.Matching.Indexing;
using Marketplace.Matching.Matches;

namespace Marketplace.Matching.Benchmarks;

/// <summary>
/// Matching on the same CSL records (issue 17, point 4), beside the same plain BM25 baseline: each query record is posted
/// again as a demand, and the offers it is matched with are judged as search's hits are (grade 2: same discipline and a
/// keyword of the demand's; grade 1: same discipline, or same category and a shared keyword). The demand's own offer —
/// the same record — is left out of every ranking and of the ideal. Announcement precision: of the pairs matching would
/// announce (score ≥ <see cref="MatchingOptions.AnnounceThreshold"/>, at most <see cref="MatchingOptions.AnnounceTop"/>),
/// the share of grade 1 or 2; beside it precision@5 of both, for a like-for-like view (the baseline has no threshold).
/// The baseline asks with what matching asks with: the demand's title and keywords.
/// </summary>
internal static class MatchQuality
{
    internal sealed record Figures(double Ndcg, double PrecisionAt5, double AnnouncedPrecision, double AnnouncedPerDemand);

    public static Figures Baseline(IReadOnlyList<CslRecord> records, List<(int Source, string[] Terms)> queries, Baseline plain) =>
        Measure(records, queries, source => (plain.Search(About(records[source]), 11).ToList(), null));

    public static Figures Product(IReadOnlyList<CslRecord> records, List<(int Source, string[] Terms)> queries, ListingIndex index)
    {
        var options = new MatchingOptions();
        var scorer = new MatchScorer(index, options, TimeProvider.System);
        return Measure(records, queries, source =>
        {
            var demand = Quality.ToSnapshot(records[source], records.Count + source, ListingKind.Demand);
            var matches = scorer.FindMatches(demand, 11);
            var ranked = matches.Select(m => Quality.IndexOfId(m.Counterpart.Id)).ToList();
            var announced = matches.Where(m => Quality.IndexOfId(m.Counterpart.Id) != source)
                .Take(options.AnnounceTop).Where(m => m.Score >= options.AnnounceThreshold)
                .Select(m => Quality.IndexOfId(m.Counterpart.Id)).ToList();
            return (ranked, announced);
        });
    }

    public static void Print(string label, Figures f, Figures baseline) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {label} | {f.Ndcg:F3} | {f.Ndcg / baseline.Ndcg:F3} | {f.PrecisionAt5:F3} | {(double.IsNaN(f.AnnouncedPrecision) ? "—" : f.AnnouncedPrecision.ToString("F3", CultureInfo.InvariantCulture))} | {(double.IsNaN(f.AnnouncedPerDemand) ? "—" : f.AnnouncedPerDemand.ToString("F2", CultureInfo.InvariantCulture))} |"));

    private static string About(CslRecord r) => string.Join(' ', [r.Title, .. r.Keywords.Take(10)]);

    private static Figures Measure(IReadOnlyList<CslRecord> records, List<(int Source, string[] Terms)> queries, Func<int, (List<int> Ranked, List<int>? Announced)> match)
    {
        double ndcg = 0, at5 = 0, announcedRelevant = 0, announced = 0;
        var withAnnouncements = false;
        foreach (var (source, _) in queries)
        {
            var demand = records[source];
            var grades = records.Select((r, i) => i == source ? -1 : Grade(demand, r)).ToArray();
            var (ranked, chosen) = match(source);
            var top = ranked.Where(i => i != source).Take(10).Select(i => grades[i]).ToList();
            var ideal = grades.Where(g => g >= 0).OrderByDescending(g => g).Take(10);
            var best = Dcg(ideal);
            ndcg += best == 0 ? 0 : Dcg(top) / best;
            at5 += top.Take(5).Count(g => g >= 1) / 5.0;
            if (chosen is null) continue;
            withAnnouncements = true;
            announced += chosen.Count;
            announcedRelevant += chosen.Count(i => grades[i] >= 1);
        }
        return new Figures(ndcg / queries.Count, at5 / queries.Count,
            withAnnouncements ? (announced == 0 ? 0 : announcedRelevant / announced) : double.NaN,
            withAnnouncements ? announced / queries.Count : double.NaN);
    }

    private static int Grade(CslRecord demand, CslRecord offer)
    {
        var shares = offer.Keywords.Any(k => demand.Keywords.Contains(k));
        if (offer.Subcategory == demand.Subcategory) return shares ? 2 : 1;
        return offer.Category == demand.Category && shares ? 1 : 0;
    }

    private static double Dcg(IEnumerable<int> grades) => grades.Select((g, i) => (Math.Pow(2, g) - 1) / Math.Log2(i + 2)).Sum();
}
