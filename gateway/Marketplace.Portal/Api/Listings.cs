using Marketplace.Contracts;

namespace Marketplace.Portal.Api;

// What the portal reads of the listing and matching services (GET /api/listings, /api/search,
// /api/matches) and what it sends them. Only the fields a page shows; Portal records ↔ API
// field names are checked against the real API by PortalRecordsTests.

/// <summary>A price or budget range in yuan; neither end (or <see cref="Negotiable"/>) is 面议.</summary>
public sealed record PriceRange(decimal? Min, decimal? Max, bool Negotiable = false);

public sealed record ListingContact(string? Name, string? Phone, string? Email);

/// <summary>A university's proposal for a challenge (揭榜).</summary>
public sealed record Proposal(Guid Id, string? OrgName, string Summary, decimal? QuotedAmount);

public sealed record Award(string? WinnerOrgName);

/// <summary>An offer's intellectual property: a patent (application) number, a software registration number, ….</summary>
public sealed record ListingIpItem(IpType? Type, string? Number, string? Title);

public sealed record ListingView
{
    public Guid Id { get; init; }
    public ListingKind Kind { get; init; }
    public ListingStatus Status { get; init; }
    public long Version { get; init; }
    public string OwnerOrg { get; init; } = "";
    public string? OwnerOrgName { get; init; }
    public string SubMarket { get; init; } = "";
    public string Title { get; init; } = "";
    public string Summary { get; init; } = "";
    public string Description { get; init; } = "";
    public string Field { get; init; } = "";
    public IReadOnlyList<string> Keywords { get; init; } = [];
    public int? Maturity { get; init; }
    /// <summary>研发 / 小试 / 中试 / 产业化</summary>
    public string? MaturityStage { get; init; }
    public IReadOnlyList<TransferMode>? TransferModes { get; init; }
    public PriceRange? Price { get; init; }
    /// <summary>An offer's; a demand has none (absent).</summary>
    public IReadOnlyList<ListingIpItem>? IpItems { get; init; }
    public PriceRange? Budget { get; init; }
    public DateTimeOffset? Deadline { get; init; }
    public decimal? Bounty { get; init; }
    public DateTimeOffset? ProposalDeadline { get; init; }
    public ListingContact? Contact { get; init; }
    public string? RejectionReason { get; init; }
    public bool IsDemo { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public int? ProposalCount { get; init; }
    public IReadOnlyList<Proposal>? Proposals { get; init; }
    public Award? Award { get; init; }
    /// <summary>The attachments this viewer may read (oldest first).</summary>
    public IReadOnlyList<FileView> Attachments { get; init; } = [];
}

/// <summary>The body of <c>POST /api/listings</c> and <c>PUT /api/listings/{id}</c>: only what the form edits.</summary>
public sealed record ListingRequest
{
    public ListingKind Kind { get; init; }
    public string Title { get; init; } = "";
    public string Summary { get; init; } = "";
    public string Description { get; init; } = "";
    public string? Field { get; init; }
    public IReadOnlyList<string> Keywords { get; init; } = [];
    public int? Maturity { get; init; }
    public IReadOnlyList<TransferMode>? TransferModes { get; init; }
    public PriceRange? Price { get; init; }
    public IReadOnlyList<ListingIpItem>? IpItems { get; init; }
    public PriceRange? Budget { get; init; }
    public DateTimeOffset? Deadline { get; init; }
    public decimal? Bounty { get; init; }
    public DateTimeOffset? ProposalDeadline { get; init; }
}

public sealed record ProposalRequest(string Summary, decimal? QuotedAmount);

public sealed record AwardRequest(Guid ProposalId);

/// <summary>A reason for a withdrawal, a rejection, a suspension or a declined lead.</summary>
public sealed record ReasonRequest(string? Reason);

public sealed record SearchHit
{
    public Guid Id { get; init; }
    public ListingKind Kind { get; init; }
    public string Title { get; init; } = "";
    /// <summary>The title with the query's terms in &lt;em&gt; (HTML the matching service encoded).</summary>
    public string? TitleHighlighted { get; init; }
    public string? Snippet { get; init; }
    public string Field { get; init; } = "";
    public string SubMarket { get; init; } = "";
    public int? Maturity { get; init; }
    public PriceRange? Price { get; init; }
    public PriceRange? Budget { get; init; }
    public string? OwnerOrgName { get; init; }
    public bool IsDemo { get; init; }

    /// <summary>Found because it speaks of the same subject as the best hit; it holds none of the query's terms.</summary>
    public bool Related { get; init; }
}

public sealed record FacetCount(string Value, int Count);

public sealed record SearchFacets
{
    public IReadOnlyList<FacetCount> Field { get; init; } = [];
    public IReadOnlyList<FacetCount> SubMarket { get; init; } = [];
    public IReadOnlyList<FacetCount> Kind { get; init; } = [];
}

/// <summary>A page of search hits with the facet counts of the whole result.</summary>
public sealed record SearchResult
{
    public IReadOnlyList<SearchHit> Items { get; init; } = [];
    public long Total { get; init; }
    public int Page { get; init; }
    public int PageSize { get; init; }
    public SearchFacets Facets { get; init; } = new();

    /// <summary>The query with its typos corrected from the market's own keywords, when that finds more.</summary>
    public string? DidYouMean { get; init; }
}

/// <summary>Completions of a prefix (<c>GET /api/search/suggest</c>).</summary>
public sealed record SearchSuggestions(string Query, IReadOnlyList<SearchSuggestion> Items);

public sealed record SearchSuggestion(string Text, int Listings);

/// <summary>One factor of a match score; <see cref="Factor"/> is the matching service's name ("text", "sub_market", …).</summary>
public sealed record MatchFactor(string Factor, double Weight, double Value, decimal Contribution, string Explanation);

public sealed record MatchView
{
    public Guid ListingId { get; init; }
    public ListingKind Kind { get; init; }
    public string Title { get; init; } = "";
    public string? OwnerOrgName { get; init; }
    public decimal Score { get; init; }
    public IReadOnlyList<MatchFactor> Factors { get; init; } = [];
}

public sealed record MatchList(IReadOnlyList<MatchView> Items);
