namespace Marketplace.Contracts.Matching;

/// <summary>One factor of a match score, in points of the total.</summary>
public sealed record MatchReason
{
    public required string Factor { get; init; }
    public required decimal Contribution { get; init; }
    public required string Explanation { get; init; }
}

/// <summary>A strong offer–demand pair found when one of them was published; announced once per pair.</summary>
public sealed record MatchSuggested
{
    public required Guid MatchId { get; init; }
    public required Guid OfferId { get; init; }
    public required Guid DemandId { get; init; }
    public required decimal Score { get; init; }
    public required string Field { get; init; }
    public required string SubMarket { get; init; }
    public IReadOnlyList<MatchReason> Reasons { get; init; } = [];
    public required string Summary { get; init; }
    /// <summary>Titles of the two listings, so that a lead or a deal can be named without asking the listing service.</summary>
    public string? OfferTitle { get; init; }
    public string? DemandTitle { get; init; }
    public required DateTimeOffset SuggestedAt { get; init; }
}
