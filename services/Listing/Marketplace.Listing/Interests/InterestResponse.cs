using Marketplace.Contracts;
using Marketplace.Listing.Listings;
using Marketplace.ServiceDefaults.Auth;

namespace Marketplace.Listing.Interests;

/// <summary>An organisation as an interest names it.</summary>
internal sealed record InterestOrg(string Id, string? Name);

/// <summary>An interest as its readers see it; outside clients rely on these names.</summary>
internal sealed record InterestResponse
{
    public required Guid Id { get; init; }
    public required long Version { get; init; }
    public required Guid ListingId { get; init; }
    public required string ListingTitle { get; init; }
    public required ListingKind ListingKind { get; init; }
    public required string SubMarket { get; init; }
    public required InterestStatus Status { get; init; }
    public required InterestOrg From { get; init; }
    public required InterestOrg To { get; init; }
    public required string Message { get; init; }
    public TransferMode? Mode { get; init; }
    public decimal? Budget { get; init; }
    /// <summary>The sender's wish to go on without a broker.</summary>
    public required bool WithoutBroker { get; init; }
    /// <summary>The owner's choice when accepting.</summary>
    public bool? OwnerWithoutBroker { get; init; }
    /// <summary>How many messages the interest holds (they are read at <c>/api/interests/{id}/messages</c>).</summary>
    public required long Messages { get; init; }
    public Guid? DealId { get; init; }
    public string? BrokerSubject { get; init; }
    public string? DeclineReason { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? DecidedAt { get; init; }
    /// <summary>The listing's contact, released by the acceptance: only ever in answers to the sender's organisation.</summary>
    public Contact? Contact { get; init; }

    public static InterestResponse For(Interest interest, MarketUser viewer, long messages) => new()
    {
        Id = interest.Id,
        Version = interest.Version,
        ListingId = interest.ListingId,
        ListingTitle = interest.ListingTitle,
        ListingKind = interest.ListingKind,
        SubMarket = interest.SubMarket,
        Status = interest.Status,
        From = new InterestOrg(interest.FromOrg, interest.FromOrgName),
        To = new InterestOrg(interest.ToOrg, interest.ToOrgName),
        Message = interest.Message,
        Mode = interest.Mode,
        Budget = interest.Budget,
        WithoutBroker = interest.WithoutBroker,
        OwnerWithoutBroker = interest.OwnerWithoutBroker,
        Messages = messages,
        DealId = interest.DealId,
        BrokerSubject = interest.BrokerSubject,
        DeclineReason = interest.DeclineReason,
        CreatedAt = interest.CreatedAt,
        DecidedAt = interest.DecidedAt,
        Contact = interest.Status == InterestStatus.Accepted && interest.IsSender(viewer) ? interest.ReleasedContact : null,
    };
}

/// <summary>Who wrote a message: the person, and the organisation they wrote for.</summary>
internal sealed record MessageAuthor(string Subject, string? Name, string Org);

internal sealed record InterestMessageResponse(Guid Id, MessageAuthor Author, string Text, DateTimeOffset CreatedAt)
{
    public static InterestMessageResponse From(InterestMessage message) =>
        new(message.Id, new MessageAuthor(message.AuthorSubject, message.AuthorName, message.AuthorOrg), message.Text, message.CreatedAt);
}

/// <summary>The introduction funnel of one sub-market, or of all: interests → accepted → deals → registered contracts.</summary>
internal sealed record FunnelRow(string? SubMarket, long Interests, long Accepted, long Deals, long Registered)
{
    /// <summary>Accepted ÷ interests (0 when there are none), to four decimals.</summary>
    public decimal IntroductionRate => Interests == 0 ? 0m : Math.Round((decimal)Accepted / Interests, 4, MidpointRounding.AwayFromZero);
}

internal sealed record FunnelResponse(IReadOnlyList<FunnelRow> SubMarkets, FunnelRow Totals);
