namespace Marketplace.Contracts.Broker;

// Integration events owned by the broker service.

/// <summary>A deal moved from one stage to the next (or was opened: <see cref="From"/> is null).</summary>
public sealed record DealStageChanged
{
    public required Guid DealId { get; init; }
    public required long Version { get; init; }
    /// <summary>The deal's broker; null for a deal its parties run without one (from an introduction).</summary>
    public Guid? BrokerId { get; init; }
    /// <summary>The broker's token subject, so that the broker can be told without asking this service.</summary>
    public string? BrokerSubject { get; init; }
    /// <summary>The organisations that are the deal's parties, when known (a deal from an introduction names both).</summary>
    public IReadOnlyList<string> Parties { get; init; } = [];
    /// <summary>The interest (对接意向) the deal was opened from, if any.</summary>
    public Guid? InterestId { get; init; }
    public string? Title { get; init; }
    public DealStage? From { get; init; }
    public required DealStage To { get; init; }
    public required string SubMarket { get; init; }
    public required string Field { get; init; }
    public Guid? OfferId { get; init; }
    public Guid? DemandId { get; init; }
    public string? Note { get; init; }
    public required string ChangedBy { get; init; }
    public required DateTimeOffset ChangedAt { get; init; }
}

/// <summary>A deal was closed: the amount it was done for and the broker's commission, in yuan.</summary>
public sealed record DealClosed
{
    public required Guid DealId { get; init; }
    /// <summary>Null for a deal its parties ran without a broker (no commission).</summary>
    public Guid? BrokerId { get; init; }
    public required decimal Amount { get; init; }
    public required decimal Commission { get; init; }
    public required string SubMarket { get; init; }
    public required string Field { get; init; }
    public required DateTimeOffset ClosedAt { get; init; }
}

/// <summary>
/// A broker accepted a lead; the deal it opens has the id given here. The broker service consumes
/// it itself as well, so the deal exists even if the process stopped between the two writes.
/// </summary>
public sealed record LeadAccepted
{
    public required Guid LeadId { get; init; }
    public required Guid DealId { get; init; }
    public required Guid MatchId { get; init; }
    public required Guid BrokerId { get; init; }
    public required string BrokerSubject { get; init; }
    public required Guid OfferId { get; init; }
    public required Guid DemandId { get; init; }
    public required string Title { get; init; }
    public required string SubMarket { get; init; }
    public required string Field { get; init; }
    public bool IsDemo { get; init; }
    public required DateTimeOffset AcceptedAt { get; init; }
}

/// <summary>A lead was offered to a broker, who must accept or decline it before <see cref="ExpiresAt"/>.</summary>
public sealed record LeadOffered
{
    public required Guid LeadId { get; init; }
    public required Guid BrokerId { get; init; }
    public required string BrokerSubject { get; init; }
    public required string Title { get; init; }
    public required string SubMarket { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public required DateTimeOffset OfferedAt { get; init; }
}

/// <summary>A lead left the broker it was offered to (declined, or not answered in time) and moved on.</summary>
public sealed record LeadMovedOn
{
    public required Guid LeadId { get; init; }
    public required Guid BrokerId { get; init; }
    public required string BrokerSubject { get; init; }
    public required string Title { get; init; }
    /// <summary><c>declined</c> or <c>expired</c>.</summary>
    public required string Reason { get; init; }
    public required DateTimeOffset MovedAt { get; init; }
}

/// <summary>An operator approved a broker's profile: the broker is active and receives leads.</summary>
public sealed record BrokerApproved
{
    public required Guid BrokerId { get; init; }
    public required string Subject { get; init; }
    public required string Name { get; init; }
    public required string SubMarket { get; init; }
    public required DateTimeOffset ApprovedAt { get; init; }
}
