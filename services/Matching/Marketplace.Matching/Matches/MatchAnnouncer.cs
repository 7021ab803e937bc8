using Marketplace.Contracts.Listing;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Matching.Matches;

/// <summary>Announces the strong matches of a newly published listing as suggestions, each pair once.</summary>
internal sealed class MatchAnnouncer(MatchScorer scorer, AggregateStore<Suggestion> suggestions, MatchingOptions options, TimeProvider time)
{
    /// <returns>How many new pairs were announced.</returns>
    public async Task<int> AnnounceAsync(ListingSnapshot published, CancellationToken ct)
    {
        var announced = 0;
        foreach (var match in scorer.FindMatches(published, options.AnnounceTop).Where(m => m.Score >= options.AnnounceThreshold))
        {
            try
            {
                await suggestions.InsertAsync(Suggestion.Create(published, match, time.GetUtcNow()), ct);
                announced++;
            }
            catch (DocumentExistsException)
            {
                // this pair was announced before (another replica, a redelivery, or the counterpart's publication)
            }
        }
        return announced;
    }
}
