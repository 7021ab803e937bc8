namespace Marketplace.Contracts.Listing;

// Integration events owned by the listing service. Snapshots carry the listing's version:
// a consumer keeps the highest version it has seen, so duplicates and reordering are harmless.

public sealed record Money
{
    public decimal? Min { get; init; }
    public decimal? Max { get; init; }
    public bool Negotiable { get; init; }
}

public sealed record IpItemSnapshot
{
    public required IpType Type { get; init; }
    public required string Number { get; init; }
    public string? Title { get; init; }
}

public sealed record ListingSnapshot
{
    public required Guid Id { get; init; }
    public required long Version { get; init; }
    public required ListingKind Kind { get; init; }
    public required ListingStatus Status { get; init; }
    public required string OwnerOrg { get; init; }
    public string? OwnerOrgName { get; init; }
    public required string SubMarket { get; init; }
    public required string Title { get; init; }
    public required string Summary { get; init; }
    public required string Description { get; init; }
    public required string Field { get; init; }
    public IReadOnlyList<string> Keywords { get; init; } = [];
    public int? Maturity { get; init; }
    public IReadOnlyList<TransferMode> TransferModes { get; init; } = [];
    public Money? Price { get; init; }
    public IReadOnlyList<IpItemSnapshot> IpItems { get; init; } = [];
    public string? HolderOrganisation { get; init; }
    public Money? Budget { get; init; }
    public DateTimeOffset? Deadline { get; init; }
    public decimal? Bounty { get; init; }
    public DateTimeOffset? ProposalDeadline { get; init; }
    public bool Awarded { get; init; }
    public bool IsDemo { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>A listing was approved and is now public (also after re-approval of an edit).</summary>
public sealed record ListingPublished
{
    public required ListingSnapshot Listing { get; init; }
}

/// <summary>A listing that had been published changed (edited back into review, expired, awarded...).</summary>
public sealed record ListingUpdated
{
    public required ListingSnapshot Listing { get; init; }
}

/// <summary>The owner withdrew a published listing; it must leave search at once.</summary>
public sealed record ListingWithdrawn
{
    public required Guid ListingId { get; init; }
    public required long Version { get; init; }
    public required string SubMarket { get; init; }
    public string? Reason { get; init; }
    public required DateTimeOffset WithdrawnAt { get; init; }
}

/// <summary>The owner of an open challenge (揭榜挂帅) chose the winning proposal.</summary>
public sealed record ChallengeAwarded
{
    public required Guid ListingId { get; init; }
    public required long Version { get; init; }
    public required Guid ProposalId { get; init; }
    public required string WinnerOrg { get; init; }
    public string? WinnerOrgName { get; init; }
    public required string OwnerOrg { get; init; }
    public required string SubMarket { get; init; }
    public required string Field { get; init; }
    public decimal? Amount { get; init; }
    public required DateTimeOffset AwardedAt { get; init; }
}

/// <summary>
/// Asks the listing service to publish its current snapshots again as <see cref="ListingSnapshotReplayed"/>
/// (a derived read model rebuilding itself, e.g. matching's search index).
/// </summary>
public sealed record ListingSnapshotsRequested
{
    public required Guid RequestId { get; init; }
    /// <summary>Only listings changed at or after this time; null for all of them.</summary>
    public DateTimeOffset? ChangedSince { get; init; }
    public required string RequestedBy { get; init; }
}

/// <summary>Every snapshot of a request has been published: <see cref="Count"/> of them.</summary>
public sealed record ListingSnapshotsReplayCompleted
{
    public required Guid RequestId { get; init; }
    public required int Count { get; init; }
}

/// <summary>A current snapshot, published again on request. Not news: consumers only bring their copy up to date.</summary>
public sealed record ListingSnapshotReplayed
{
    public required Guid RequestId { get; init; }
    public required ListingSnapshot Listing { get; init; }
}

/// <summary>An operator rejected a listing in review (the owner is told why).</summary>
public sealed record ListingRejected
{
    public required Guid ListingId { get; init; }
    public required long Version { get; init; }
    public required string OwnerOrg { get; init; }
    public required string Title { get; init; }
    public required string SubMarket { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset RejectedAt { get; init; }
}

/// <summary>An organisation submitted a proposal (揭榜) to an open challenge.</summary>
public sealed record ProposalSubmitted
{
    public required Guid ListingId { get; init; }
    public required Guid ProposalId { get; init; }
    public required string OwnerOrg { get; init; }
    public required string Title { get; init; }
    public required string SubMarket { get; init; }
    public required string ProposerOrg { get; init; }
    public string? ProposerOrgName { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
}
