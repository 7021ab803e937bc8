namespace Marketplace.Contracts.Broker;

// Integration events owned by the broker service.

/// <summary>A deal moved from one stage to the next (or was opened: <see cref="From"/> is null).</summary>
public sealed record DealStageChanged
{
    public required Guid DealId { get; init; }
    public required long Version { get; init; }
    public required Guid BrokerId { get; init; }
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
    public required Guid BrokerId { get; init; }
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
