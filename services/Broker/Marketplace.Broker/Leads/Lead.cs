using System.Security.Cryptography;
using System.Text;
using Marketplace.Broker.Brokers;
using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Matching;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Broker.Leads;

internal enum LeadStatus { Offered, Pooled, Accepted }

internal enum OfferOutcome { Open, Accepted, Declined, TimedOut, Withdrawn }

/// <summary>One broker's turn with a lead.</summary>
internal sealed record LeadOffer
{
    public required Guid BrokerId { get; init; }
    /// <summary>The broker's token subject (absent in turns recorded before it was kept).</summary>
    public string? BrokerSubject { get; init; }
    public required DateTimeOffset OfferedAt { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    public required string OfferedBy { get; init; }
    public OfferOutcome Outcome { get; init; }
    public DateTimeOffset? AnsweredAt { get; init; }
    public string? Reason { get; init; }
}

/// <summary>
/// A suggested offer–demand pair that a broker can turn into a deal. Its id is the match id, so
/// one match never becomes two leads. Offered to one broker at a time; declined or unanswered,
/// it moves to the next; with nobody left it waits in the sub-market's pool for its operators.
/// </summary>
internal sealed class Lead : AggregateRoot
{
    private List<LeadOffer> _offers = [];

    private Lead() { }

    public Guid Id { get; private set; }
    public Guid OfferId { get; private set; }
    public Guid DemandId { get; private set; }
    public string? OfferTitle { get; private set; }
    public string? DemandTitle { get; private set; }
    public decimal Score { get; private set; }
    public string Field { get; private set; } = "";
    public string SubMarket { get; private set; } = "";
    public string Summary { get; private set; } = "";
    public IReadOnlyList<MatchReason> Reasons { get; private set; } = [];
    public LeadStatus Status { get; private set; }
    public Guid? BrokerId { get; private set; }
    public DateTimeOffset? ExpiresAt { get; private set; }
    public Guid? DealId { get; private set; }
    public IReadOnlyList<LeadOffer> Offers { get => _offers; private set => _offers = [.. value]; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public override string StoreId => Id.ToString();

    public string DisplayTitle() => OfferTitle is not null && DemandTitle is not null ? $"{OfferTitle} ↔ {DemandTitle}" : Summary;

    public static Lead From(MatchSuggested match, DateTimeOffset now) => new()
    {
        Id = match.MatchId,
        OfferId = match.OfferId,
        DemandId = match.DemandId,
        OfferTitle = match.OfferTitle,
        DemandTitle = match.DemandTitle,
        Score = match.Score,
        Field = match.Field,
        SubMarket = match.SubMarket,
        Summary = match.Summary,
        Reasons = match.Reasons,
        Status = LeadStatus.Pooled,
        CreatedAt = now,
        UpdatedAt = now,
    };

    /// <summary>Brokers who already had their turn (they are not asked twice).</summary>
    public IReadOnlySet<Guid> AskedBrokers() => Offers.Select(o => o.BrokerId).ToHashSet();

    public bool IsOfferedTo(Guid brokerId) => Status == LeadStatus.Offered && BrokerId == brokerId;

    /// <summary>Hands the lead to a broker, who is told (<see cref="LeadOffered"/>), or to the pool when <paramref name="broker"/> is null.</summary>
    public void OfferTo(BrokerRef? broker, string by, TimeSpan timeout, DateTimeOffset now)
    {
        if (Status == LeadStatus.Accepted) throw new ConflictException("该线索已被接受 / The lead has been accepted.");
        CloseOpenOffer(OfferOutcome.Withdrawn, null, now);
        UpdatedAt = now;
        if (broker is null)
        {
            Status = LeadStatus.Pooled;
            BrokerId = null;
            ExpiresAt = null;
            return;
        }
        Status = LeadStatus.Offered;
        BrokerId = broker.Id;
        ExpiresAt = now + timeout;
        _offers.Add(new LeadOffer { BrokerId = broker.Id, BrokerSubject = broker.Subject, OfferedAt = now, ExpiresAt = now + timeout, OfferedBy = by });
        Raise(new LeadOffered
        {
            LeadId = Id, BrokerId = broker.Id, BrokerSubject = broker.Subject, Title = DisplayTitle(), SubMarket = SubMarket,
            ExpiresAt = ExpiresAt, OfferedAt = now,
        });
    }

    public void Decline(Guid brokerId, string? reason, DateTimeOffset now)
    {
        EnsureOfferedTo(brokerId);
        MovedOn(CloseOpenOffer(OfferOutcome.Declined, reason, now), "declined", now);
    }

    /// <returns>false when the offer had not expired (someone answered first).</returns>
    public bool TimeOut(DateTimeOffset now)
    {
        if (Status != LeadStatus.Offered || ExpiresAt is not { } expires || expires > now) return false;
        MovedOn(CloseOpenOffer(OfferOutcome.TimedOut, null, now), "expired", now);
        return true;
    }

    /// <summary>Tells the broker whose turn ended that the lead left them (a turn recorded without the broker's subject cannot be told).</summary>
    private void MovedOn(LeadOffer? turn, string reason, DateTimeOffset now)
    {
        if (turn?.BrokerSubject is not { } subject) return;
        Raise(new LeadMovedOn { LeadId = Id, BrokerId = turn.BrokerId, BrokerSubject = subject, Title = DisplayTitle(), Reason = reason, MovedAt = now });
    }

    public void Accept(Guid brokerId, string brokerSubject, bool isDemo, DateTimeOffset now)
    {
        EnsureOfferedTo(brokerId);
        CloseOpenOffer(OfferOutcome.Accepted, null, now);
        Status = LeadStatus.Accepted;
        BrokerId = brokerId;
        ExpiresAt = null;
        DealId = DealIdFor(Id);
        AcceptedBy = brokerSubject;
        AcceptedAt = now;
        DealIsDemo = isDemo;
        UpdatedAt = now;
        Raise(Accepted());
    }

    public string? AcceptedBy { get; private set; }
    public DateTimeOffset? AcceptedAt { get; private set; }
    public bool DealIsDemo { get; private set; }

    /// <summary>The acceptance, as announced (and as the deal is opened from).</summary>
    public LeadAccepted Accepted()
    {
        if (Status != LeadStatus.Accepted) throw new InvalidOperationException($"Lead {Id} is not accepted.");
        return new LeadAccepted
        {
            LeadId = Id,
            DealId = DealId!.Value,
            MatchId = Id,
            BrokerId = BrokerId!.Value,
            BrokerSubject = AcceptedBy!,
            OfferId = OfferId,
            DemandId = DemandId,
            Title = DisplayTitle(),
            SubMarket = SubMarket,
            Field = Field,
            IsDemo = DealIsDemo,
            AcceptedAt = AcceptedAt!.Value,
        };
    }

    /// <summary>The deal a lead opens has an id derived from the lead: accepting twice cannot open two deals.</summary>
    public static Guid DealIdFor(Guid leadId) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes("deal-from-lead\n" + leadId.ToString("N"))).AsSpan(0, 16));

    private void EnsureOfferedTo(Guid brokerId)
    {
        if (Status == LeadStatus.Accepted) throw new ConflictException("该线索已被接受 / The lead has already been accepted.");
        if (!IsOfferedTo(brokerId)) throw new ForbiddenException("该线索当前未分派给您 / The lead is not offered to you (any more).");
    }

    /// <returns>the turn that was closed, if one was open.</returns>
    private LeadOffer? CloseOpenOffer(OfferOutcome outcome, string? reason, DateTimeOffset now)
    {
        var open = _offers.FindLastIndex(o => o.Outcome == OfferOutcome.Open);
        if (open < 0) return null;
        _offers[open] = _offers[open] with { Outcome = outcome, AnsweredAt = now, Reason = reason };
        Status = LeadStatus.Pooled;
        BrokerId = null;
        ExpiresAt = null;
        UpdatedAt = now;
        return _offers[open];
    }
}
