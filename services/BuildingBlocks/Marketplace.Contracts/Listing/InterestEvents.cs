namespace Marketplace.Contracts.Listing;

// Introductions (对接意向) are owned by the listing service: an interest is about one listing, and the
// rules it obeys (not your own, only a published one, the contact released on acceptance) are
// decided where the listing lives. Every event names both organisations, so consumers need nothing else.

/// <summary>The two sides of an interest: who expressed it and the organisation that owns the listing.</summary>
public sealed record InterestParties
{
    public required Guid InterestId { get; init; }
    public required Guid ListingId { get; init; }
    public required ListingKind ListingKind { get; init; }
    public required string ListingTitle { get; init; }
    public required string SubMarket { get; init; }
    public required string Field { get; init; }
    /// <summary>The organisation that expressed interest.</summary>
    public required string FromOrg { get; init; }
    public string? FromOrgName { get; init; }
    /// <summary>The organisation that owns the listing and decides.</summary>
    public required string ToOrg { get; init; }
    public string? ToOrgName { get; init; }
    public bool IsDemo { get; init; }
}

/// <summary>An organisation expressed interest in a published listing.</summary>
public sealed record InterestExpressed
{
    public required InterestParties Interest { get; init; }
    public required string By { get; init; }
    public TransferMode? Mode { get; init; }
    public decimal? Budget { get; init; }
    public required DateTimeOffset ExpressedAt { get; init; }
}

/// <summary>
/// The listing's owner accepted an interest: the broker service opens a deal at <c>contacted</c>
/// between the two organisations (with a routed broker unless both sides chose to go without one).
/// </summary>
public sealed record InterestAccepted
{
    public required InterestParties Interest { get; init; }
    public required string By { get; init; }
    /// <summary>The listing's contact, released to the other side (and the deal's broker) by the acceptance.</summary>
    public ContactDetails? ListingContact { get; init; }
    /// <summary>The name of the person who expressed the interest.</summary>
    public string? SenderName { get; init; }
    /// <summary>Both sides chose to go on without a broker.</summary>
    public bool WithoutBroker { get; init; }
    public TransferMode? Mode { get; init; }
    public decimal? Budget { get; init; }
    public required DateTimeOffset AcceptedAt { get; init; }
}

/// <summary>The listing's owner declined an interest, with a reason.</summary>
public sealed record InterestDeclined
{
    public required InterestParties Interest { get; init; }
    public required string By { get; init; }
    public required string Reason { get; init; }
    public required DateTimeOffset DeclinedAt { get; init; }
}

/// <summary>The sender withdrew an open interest.</summary>
public sealed record InterestWithdrawn
{
    public required InterestParties Interest { get; init; }
    public required string By { get; init; }
    public required DateTimeOffset WithdrawnAt { get; init; }
}

/// <summary>A message was posted on an interest by one of its parties (or the deal's broker).</summary>
public sealed record InterestMessagePosted
{
    public required InterestParties Interest { get; init; }
    public required Guid MessageId { get; init; }
    /// <summary>The organisation of the author (a party's, or the broker's).</summary>
    public required string AuthorOrg { get; init; }
    public required string By { get; init; }
    /// <summary>The broker of the interest's deal, if one was assigned (the broker hears of messages too).</summary>
    public string? BrokerSubject { get; init; }
    /// <summary>The first characters of the text, for a notification.</summary>
    public required string Excerpt { get; init; }
    public required DateTimeOffset PostedAt { get; init; }
}

/// <summary>How to reach a listing's contact person.</summary>
public sealed record ContactDetails
{
    public string? Name { get; init; }
    public string? Phone { get; init; }
    public string? Email { get; init; }
}
