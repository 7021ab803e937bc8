using Marketplace.Contracts;
using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Listing;
using Marketplace.Listing.Listings;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Listing.Interests;

// Introductions (对接意向) are owned by the LISTING service: an interest is about one listing, and every
// rule it obeys — not your own listing, only a published one, who owns it and decides, the contact person
// released on acceptance — is decided where the listing lives, with no copy of it elsewhere. The broker
// service opens the deal from InterestAccepted; a notifications module tells people from the interest events.

/// <summary>
/// An organisation's interest (对接意向) in one published listing, decided by the listing's owner:
/// open → accepted | declined (reason), or withdrawn by its sender while open. Acceptance releases
/// the listing's contact to the sender and lets the broker service open a deal, whose id and broker
/// this interest learns from the deal's events.
/// </summary>
internal sealed class Interest : AggregateRoot
{
    private Interest() { }

    public Guid Id { get; private set; }
    public Guid ListingId { get; private set; }
    public ListingKind ListingKind { get; private set; }
    public string ListingTitle { get; private set; } = "";
    public string SubMarket { get; private set; } = "";
    public string Field { get; private set; } = "";

    /// <summary>The organisation that expressed the interest, and the person who did.</summary>
    public string FromOrg { get; private set; } = "";
    public string? FromOrgName { get; private set; }
    public string FromSubject { get; private set; } = "";
    public string? FromName { get; private set; }

    /// <summary>The organisation that owns the listing and decides.</summary>
    public string ToOrg { get; private set; } = "";
    public string? ToOrgName { get; private set; }

    public string Message { get; private set; } = "";
    public TransferMode? Mode { get; private set; }
    /// <summary>What the sender means to spend, in yuan.</summary>
    public decimal? Budget { get; private set; }
    /// <summary>The sender's wish to go on without a broker.</summary>
    public bool WithoutBroker { get; private set; }

    public InterestStatus Status { get; private set; }
    public string? DeclineReason { get; private set; }
    /// <summary>The owner's choice on accepting; the deal goes without a broker only when both sides chose so.</summary>
    public bool? OwnerWithoutBroker { get; private set; }
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    /// <summary>The listing's contact as it was released by the acceptance (to the sender's organisation only).</summary>
    public Contact? ReleasedContact { get; private set; }

    /// <summary>The deal the broker service opened from this interest, learnt from <see cref="DealStageChanged"/>.</summary>
    public Guid? DealId { get; private set; }
    public string? BrokerSubject { get; private set; }
    /// <summary>The deal version last learnt from: an older or equal event changes nothing.</summary>
    public long DealVersion { get; private set; }
    /// <summary>A contract of the deal was registered (the last step of the introduction funnel).</summary>
    public bool Registered { get; private set; }
    public DateTimeOffset? RegisteredAt { get; private set; }

    public bool IsDemo { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    /// <summary>Fingerprint of the create request, to tell an Idempotency-Key replay from a reuse.</summary>
    public string? RequestFingerprint { get; private set; }

    public override string StoreId => Id.ToString();

    /// <summary>A new open interest of <paramref name="sender"/>'s organisation in a published listing of another.</summary>
    public static Interest Express(Guid id, Listings.Listing listing, MarketUser sender, InterestTerms terms, string? fingerprint, DateTimeOffset now)
    {
        if (listing.OwnerOrg == sender.Organisation)
            throw new OwnListingException();
        if (listing.Status != ListingStatus.Published)
            throw new ConflictException($"该信息当前未在发布中（{WireCode.Of(listing.Status)}），不能提交对接意向 / The listing is not published ('{WireCode.Of(listing.Status)}'); interest can be expressed only in a published listing.");
        var interest = new Interest
        {
            Id = id,
            ListingId = listing.Id,
            ListingKind = listing.Kind,
            ListingTitle = listing.Content.Title,
            SubMarket = listing.SubMarket,
            Field = listing.Content.Field,
            FromOrg = sender.Organisation,
            FromOrgName = sender.OrganisationName,
            FromSubject = sender.Subject,
            FromName = sender.Name,
            ToOrg = listing.OwnerOrg,
            ToOrgName = listing.OwnerOrgName,
            Message = terms.Message,
            Mode = terms.Mode,
            Budget = terms.Budget,
            WithoutBroker = terms.WithoutBroker,
            Status = InterestStatus.Open,
            IsDemo = listing.IsDemo || sender.IsDemo,
            CreatedAt = now,
            UpdatedAt = now,
            RequestFingerprint = fingerprint,
        };
        interest.Raise(new InterestExpressed { Interest = interest.Parties(), By = sender.Subject, Mode = terms.Mode, Budget = terms.Budget, ExpressedAt = now });
        return interest;
    }

    public bool IsSender(MarketUser user) => user.Organisation == FromOrg;

    public bool IsOwner(MarketUser user) => user.Organisation == ToOrg;

    /// <summary>The broker of the deal opened from this interest, once the broker service named one.</summary>
    public bool IsDealBroker(MarketUser user) => BrokerSubject is not null && user.Role == Roles.Broker && user.Subject == BrokerSubject;

    /// <summary>The parties, the deal's broker, and operators of the listing's sub-market may read it; to anyone else it does not exist.</summary>
    public bool IsVisibleTo(MarketUser user) => IsSender(user) || IsOwner(user) || IsDealBroker(user) || user.IsOperatorOf(SubMarket);

    /// <summary>Who may write messages: the two parties and the deal's broker (operators read only).</summary>
    public bool TakesMessagesFrom(MarketUser user) => IsSender(user) || IsOwner(user) || IsDealBroker(user);

    public void Accept(MarketUser by, bool withoutBroker, Contact? listingContact, DateTimeOffset now)
    {
        EnsureOpen("接受", "accepted");
        Status = InterestStatus.Accepted;
        OwnerWithoutBroker = withoutBroker;
        ReleasedContact = listingContact;
        Decided(by, now);
        Raise(new InterestAccepted
        {
            Interest = Parties(),
            By = by.Subject,
            ListingContact = listingContact is null ? null : new ContactDetails { Name = listingContact.Name, Phone = listingContact.Phone, Email = listingContact.Email },
            SenderName = FromName,
            WithoutBroker = WithoutBroker && withoutBroker,
            Mode = Mode,
            Budget = Budget,
            AcceptedAt = now,
        });
    }

    public void Decline(MarketUser by, string reason, DateTimeOffset now)
    {
        EnsureOpen("拒绝", "declined");
        Status = InterestStatus.Declined;
        DeclineReason = reason;
        Decided(by, now);
        Raise(new InterestDeclined { Interest = Parties(), By = by.Subject, Reason = reason, DeclinedAt = now });
    }

    public void Withdraw(MarketUser by, DateTimeOffset now)
    {
        EnsureOpen("撤回", "withdrawn");
        Status = InterestStatus.Withdrawn;
        Decided(by, now);
        Raise(new InterestWithdrawn { Interest = Parties(), By = by.Subject, WithdrawnAt = now });
    }

    /// <summary>A message on this interest, while it is open or accepted; the message raises its own event.</summary>
    public InterestMessage Post(Guid messageId, MarketUser author, string text, string? fingerprint, DateTimeOffset now)
    {
        if (Status is not (InterestStatus.Open or InterestStatus.Accepted))
            throw new ConflictException($"该对接意向已{(Status == InterestStatus.Declined ? "被拒绝" : "撤回")}，不能再留言 / Messages can be posted only while an interest is open or accepted, not '{WireCode.Of(Status)}'.");
        return InterestMessage.Create(messageId, this, author, text, fingerprint, now);
    }

    /// <summary>
    /// What a stage change of the deal opened from this interest tells it: the deal's id and its
    /// broker. Only a newer deal version than the last one learnt counts, so a redelivered or late
    /// event changes nothing, while a later change of broker replaces the earlier one.
    /// </summary>
    /// <returns>whether anything was learnt (the interest must be saved).</returns>
    public bool LearnDeal(DealStageChanged changed, DateTimeOffset now)
    {
        if (DealId is { } known && known != changed.DealId) return false; // one interest, one deal
        if (changed.Version <= DealVersion) return false;
        DealId = changed.DealId;
        BrokerSubject = changed.BrokerSubject;
        DealVersion = changed.Version;
        if (changed.To == DealStage.Registered) MarkRegistered(now);
        UpdatedAt = now;
        return true;
    }

    /// <returns>whether this was news (the first registration heard of).</returns>
    public bool MarkRegistered(DateTimeOffset now)
    {
        if (Registered) return false;
        Registered = true;
        RegisteredAt = now;
        UpdatedAt = now;
        return true;
    }

    public InterestParties Parties() => new()
    {
        InterestId = Id,
        ListingId = ListingId,
        ListingKind = ListingKind,
        ListingTitle = ListingTitle,
        SubMarket = SubMarket,
        Field = Field,
        FromOrg = FromOrg,
        FromOrgName = FromOrgName,
        ToOrg = ToOrg,
        ToOrgName = ToOrgName,
        IsDemo = IsDemo,
    };

    private void EnsureOpen(string zh, string en)
    {
        if (Status != InterestStatus.Open)
            throw new ConflictException($"该对接意向当前状态（{WireCode.Of(Status)}）不能{zh} / An interest in status '{WireCode.Of(Status)}' cannot be {en}.");
    }

    private void Decided(MarketUser by, DateTimeOffset now)
    {
        DecidedBy = by.Subject;
        DecidedAt = now;
        UpdatedAt = now;
    }
}

/// <summary>What the sender asks for, checked.</summary>
internal sealed record InterestTerms(string Message, TransferMode? Mode, decimal? Budget, bool WithoutBroker);

/// <summary>422: an organisation cannot express interest in its own listing.</summary>
internal sealed class OwnListingException() : Exception("不能对本单位发布的信息提交对接意向 / Your organisation owns this listing: interest is for other organisations' listings.");
