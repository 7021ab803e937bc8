using Marketplace.Contracts;

namespace Marketplace.Portal.Api;

// What the portal reads of the broker service (GET /api/brokers, /api/leads, /api/deals) and
// what it sends it.

public sealed record BrokerContact(string? Phone, string? Email);

public sealed record BrokerView
{
    public Guid Id { get; init; }
    public string Name { get; init; } = "";
    public BrokerLevel Level { get; init; }
    /// <summary>初级 / 中级 / 高级技术经纪人, as the broker service names the level.</summary>
    public string LevelName { get; init; } = "";
    public string CertificateNumber { get; init; } = "";
    public string? OrganisationName { get; init; }
    public string SubMarket { get; init; } = "";
    public IReadOnlyList<string> Fields { get; init; } = [];
    public string? Introduction { get; init; }
    /// <summary>Shown to the broker and to operators only.</summary>
    public BrokerContact? Contact { get; init; }
    public BrokerStatus Status { get; init; }
    public long Version { get; init; }
}

/// <summary>The body of <c>POST /api/brokers</c> and <c>PUT /api/brokers/{id}</c>.</summary>
public sealed record BrokerRequest(string Name, BrokerLevel Level, string CertificateNumber, IReadOnlyList<string> Fields, BrokerContact Contact, string? Introduction);

public sealed record BrokerStats(int Open, int Closed, int Lost, decimal ClosedAmount, decimal Commission);

/// <summary>A matching pair offered to a broker, to accept (a deal) or decline.</summary>
public sealed record LeadView
{
    public Guid Id { get; init; }
    /// <summary>The offer and the demand the lead matched.</summary>
    public Guid OfferId { get; init; }
    public Guid DemandId { get; init; }
    public string Title { get; init; } = "";
    public string? OfferTitle { get; init; }
    public string? DemandTitle { get; init; }
    public decimal Score { get; init; }
    public string Field { get; init; } = "";
    public string SubMarket { get; init; } = "";
    public string Summary { get; init; } = "";
    public DateTimeOffset? ExpiresAt { get; init; }
}

public sealed record CommissionTerms(CommissionKind Kind, decimal? Percent, decimal? Amount);

public sealed record DealChange(DateTimeOffset At, DealStage? From, DealStage To, string? Note);

public sealed record DealNote(DateTimeOffset At, string Text);

/// <summary>The registered contract that moved a deal to <see cref="DealStage.Registered"/>.</summary>
public sealed record RegisteredContract(string RegistrationNumber, decimal ContractAmount);

/// <summary>An organisation that is a party to a deal.</summary>
public sealed record DealParty(string Id, string? Name);

/// <summary>How to reach one side of a deal: its organisation and the person to talk to.</summary>
public sealed record PartyContact(string Organisation, string? OrganisationName, string? Name, string? Phone, string? Email);

/// <summary>The two sides of a deal opened from an introduction: the listing's contact and the person who expressed the interest.</summary>
public sealed record DealContacts(PartyContact Listing, PartyContact Interested);

public sealed record DealView
{
    public Guid Id { get; init; }
    /// <summary>Null for a deal its parties run themselves (no broker, no commission).</summary>
    public Guid? BrokerId { get; init; }
    /// <summary>The introduction (对接意向) the deal was opened from.</summary>
    public Guid? InterestId { get; init; }
    public IReadOnlyList<DealParty> Parties { get; init; } = [];
    /// <summary>For the parties and the deal's broker only.</summary>
    public DealContacts? Contacts { get; init; }
    public string Title { get; init; } = "";
    public string SubMarket { get; init; } = "";
    public string Field { get; init; } = "";
    public DealStage Stage { get; init; }
    /// <summary>The one stage whoever runs it may move it to; none while it waits for its registration, or when it ended.</summary>
    public DealStage? NextStage { get; init; }
    public CommissionTerms? Commission { get; init; }
    public decimal? Amount { get; init; }
    public decimal? CommissionAmount { get; init; }
    public RegisteredContract? Contract { get; init; }
    public bool IsDemo { get; init; }
    public long Version { get; init; }
    public IReadOnlyList<DealChange> History { get; init; } = [];
    public IReadOnlyList<DealNote> Notes { get; init; } = [];
}

/// <summary>The body of <c>POST /api/deals/{id}/stage</c>: the target and what that stage needs.</summary>
public sealed record StageRequest(DealStage To, CommissionTerms? Commission = null, decimal? Amount = null, string? Reason = null, string? Note = null);

public sealed record NoteRequest(string Text);

/// <summary>The body of <c>POST /api/deals/{id}/contract</c>: the registration number of a contract registered without naming the deal.</summary>
public sealed record ContractLinkRequest(string RegistrationNumber);

/// <summary>One year of new active brokers (first approved that year) and the year's share of the plan's target.</summary>
public sealed record BrokerGrowthYear(int Year, int NewActive, int StillActive, int? Target);

/// <summary>The plan's broker target over its period (1,500 in three years by default); progress is Achieved ÷ Total.</summary>
public sealed record BrokerTarget(int FromYear, int ToYear, int Total, int YearlyTarget, int Achieved);

/// <summary><c>GET /api/brokers/growth</c>: the province's, or one sub-market's, new active brokers per year.</summary>
public sealed record BrokerGrowth(string? SubMarket, IReadOnlyList<BrokerGrowthYear> Years, BrokerTarget? Target);
