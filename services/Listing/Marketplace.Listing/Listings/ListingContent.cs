using Marketplace.Contracts;
using Marketplace.Contracts.Listing;

namespace Marketplace.Listing.Listings;

/// <summary>What the owner writes and may edit; validated before it reaches the aggregate.</summary>
internal sealed record ListingContent
{
    public required string Title { get; init; }
    public required string Summary { get; init; }
    /// <summary>For a demand or challenge this is the problem statement.</summary>
    public required string Description { get; init; }
    public required string Field { get; init; }
    public IReadOnlyList<string> Keywords { get; init; } = [];

    // offer (科技成果)
    public int? Maturity { get; init; }
    public IReadOnlyList<TransferMode> TransferModes { get; init; } = [];
    public Money? Price { get; init; }
    public IReadOnlyList<IpItemSnapshot> IpItems { get; init; } = [];
    public string? HolderOrganisation { get; init; }

    // demand (技术需求) and challenge (揭榜挂帅)
    public Money? Budget { get; init; }
    public DateTimeOffset? Deadline { get; init; }
    public IReadOnlyList<TransferMode> CooperationModes { get; init; } = [];
    public decimal? Bounty { get; init; }
    public DateTimeOffset? ProposalDeadline { get; init; }

    public Contact? Contact { get; init; }
}

internal sealed record Contact
{
    public string? Name { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
}

/// <summary>A university's answer to an open challenge (揭榜).</summary>
internal sealed record Proposal
{
    public required Guid Id { get; init; }
    public required string Org { get; init; }
    public string? OrgName { get; init; }
    public required string SubmittedBy { get; init; }
    public required string Summary { get; init; }
    public string? Approach { get; init; }
    public decimal? QuotedAmount { get; init; }
    public Contact? Contact { get; init; }
    public required DateTimeOffset SubmittedAt { get; init; }
}

internal sealed record Award
{
    public required Guid ProposalId { get; init; }
    public required string WinnerOrg { get; init; }
    public string? WinnerOrgName { get; init; }
    public decimal? Amount { get; init; }
    public string? Note { get; init; }
    public required DateTimeOffset AwardedAt { get; init; }
}

internal sealed record HistoryEntry(DateTimeOffset At, string By, string Action, ListingStatus Status, string? Note);

internal static class Maturity
{
    /// <summary>TRL 1–9 as the market names the stage: 研发 (1–3), 小试 (4–5), 中试 (6–7), 产业化 (8–9).</summary>
    public static string Stage(int trl) => trl switch
    {
        <= 3 => "研发",
        <= 5 => "小试",
        <= 7 => "中试",
        _ => "产业化",
    };
}
