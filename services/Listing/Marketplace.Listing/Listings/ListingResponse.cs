using Marketplace.Contracts;
using Marketplace.Contracts.Listing;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Storage.Files;

namespace Marketplace.Listing.Listings;

internal sealed record ListingResponse
{
    public required Guid Id { get; init; }
    public required ListingKind Kind { get; init; }
    public required ListingStatus Status { get; init; }
    public required long Version { get; init; }
    public required string OwnerOrg { get; init; }
    public string? OwnerOrgName { get; init; }
    public required string SubMarket { get; init; }
    public required string Title { get; init; }
    public required string Summary { get; init; }
    public required string Description { get; init; }
    public required string Field { get; init; }
    public string? FieldName { get; init; }
    public required IReadOnlyList<string> Keywords { get; init; }
    public int? Maturity { get; init; }
    /// <summary>研发 / 小试 / 中试 / 产业化</summary>
    public string? MaturityStage { get; init; }
    public IReadOnlyList<TransferMode>? TransferModes { get; init; }
    public Money? Price { get; init; }
    public IReadOnlyList<IpItemSnapshot>? IpItems { get; init; }
    public string? HolderOrganisation { get; init; }
    public Money? Budget { get; init; }
    public DateTimeOffset? Deadline { get; init; }
    public IReadOnlyList<TransferMode>? CooperationModes { get; init; }
    public decimal? Bounty { get; init; }
    public DateTimeOffset? ProposalDeadline { get; init; }
    /// <summary>Shown only to whom <see cref="Interests.ContactRelease"/> releases it (owner, the sub-market's operators and brokers, an accepted interest).</summary>
    public Contact? Contact { get; init; }
    public string? RejectionReason { get; init; }
    /// <summary>Demo data, created by a demo account: never a real offer.</summary>
    public bool IsDemo { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public DateTimeOffset? PublishedAt { get; init; }
    public int? ProposalCount { get; init; }
    /// <summary>All proposals for the owner and operators; a proposer sees only its own.</summary>
    public IReadOnlyList<Proposal>? Proposals { get; init; }
    public Award? Award { get; init; }
    /// <summary>The audit trail, for the owner and operators.</summary>
    public IReadOnlyList<HistoryEntry>? History { get; init; }
    /// <summary>The files behind the listing that the viewer may read (<see cref="Listing.MayRead"/>).</summary>
    public required IReadOnlyList<FileResponse> Attachments { get; init; }

    /// <param name="showContact">whether the viewer sees the contact (<see cref="Interests.ContactRelease"/> decides).</param>
    public static ListingResponse From(Listing listing, MarketUser? viewer, bool showContact)
    {
        var c = listing.Content;
        var isOffer = listing.Kind == ListingKind.Offer;
        var privileged = listing.IsOwnedBy(viewer) || (viewer is not null && viewer.IsOperatorOf(listing.SubMarket));
        var isChallenge = listing.Kind == ListingKind.Challenge;
        return new ListingResponse
        {
            Id = listing.Id,
            Kind = listing.Kind,
            Status = listing.Status,
            Version = listing.Version,
            OwnerOrg = listing.OwnerOrg,
            OwnerOrgName = listing.OwnerOrgName,
            SubMarket = listing.SubMarket,
            Title = c.Title,
            Summary = c.Summary,
            Description = c.Description,
            Field = c.Field,
            FieldName = ReferenceData.Fields.FirstOrDefault(f => f.Code == c.Field)?.Name,
            Keywords = c.Keywords,
            Maturity = c.Maturity,
            MaturityStage = c.Maturity is { } trl ? Listings.Maturity.Stage(trl) : null,
            TransferModes = isOffer ? c.TransferModes : null,
            Price = c.Price,
            IpItems = isOffer ? c.IpItems : null,
            HolderOrganisation = c.HolderOrganisation,
            Budget = c.Budget,
            Deadline = c.Deadline,
            CooperationModes = isOffer ? null : c.CooperationModes,
            Bounty = c.Bounty,
            ProposalDeadline = c.ProposalDeadline,
            Contact = showContact ? c.Contact : null,
            RejectionReason = privileged ? listing.RejectionReason : null,
            IsDemo = listing.IsDemo,
            CreatedAt = listing.CreatedAt,
            UpdatedAt = listing.UpdatedAt,
            PublishedAt = listing.PublishedAt,
            ProposalCount = isChallenge ? listing.Proposals.Count : null,
            Proposals = !isChallenge ? null
                : privileged ? listing.Proposals
                : viewer is null ? null
                : listing.Proposals.Where(p => p.Org == viewer.Organisation).ToList(),
            Award = listing.Award,
            History = privileged ? listing.History : null,
            Attachments = listing.Attachments.Where(f => listing.MayRead(f, viewer)).Select(FileResponse.From).ToList(),
        };
    }
}
