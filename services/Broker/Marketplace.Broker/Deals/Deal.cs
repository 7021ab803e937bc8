using System.Security.Cryptography;
using System.Text;
using Marketplace.Broker.Brokers;
using Marketplace.Contracts;
using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Listing;
using Marketplace.Contracts.Registration;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Broker.Deals;

/// <summary>Commission terms agreed with the client: a percentage of the deal amount, or a fixed sum in yuan.</summary>
internal sealed record CommissionTerms(CommissionKind Kind, decimal? Percent, decimal? Amount)
{
    public decimal For(decimal dealAmount) => Kind == CommissionKind.Fixed
        ? Amount!.Value
        : decimal.Round(dealAmount * Percent!.Value / 100m, 2, MidpointRounding.AwayFromZero);
}

/// <summary>One change of stage: who, when, from, to, note.</summary>
internal sealed record DealChange(DateTimeOffset At, string By, DealStage? From, DealStage To, string? Note);

internal sealed record DealNote(Guid Id, DateTimeOffset At, string By, string Text);

/// <summary>The registered contract that moved the deal to <see cref="DealStage.Registered"/>.</summary>
internal sealed record RegisteredContract(Guid ContractId, string RegistrationNumber, decimal ContractAmount, decimal TechnologyTransactionAmount, DateTimeOffset RegisteredAt);

/// <summary>An organisation that is a party to a deal.</summary>
internal sealed record DealParty(string Id, string? Name);

/// <summary>How to reach one side of a deal: its organisation and the person to talk to.</summary>
internal sealed record PartyContact(string Organisation, string? OrganisationName, string? Name, string? Phone, string? Email);

/// <summary>
/// How the two sides of a deal opened from an introduction reach each other: the listing's contact
/// (released by the acceptance) and the person who expressed the interest.
/// </summary>
internal sealed record DealContacts(PartyContact Listing, PartyContact Interested);

/// <summary>
/// A deal between an offer and a demand (either may be absent when a party has no listing), run by
/// a broker — or, opened from an introduction whose sides chose none or found none available, by
/// its parties themselves. lead → contacted → negotiating → agreed → contract_signed → registered
/// → closed, one stage at a time; lost (with a reason) from any open stage. Only a registered
/// contract sets registered: a ContractRegistered naming the deal, or its registration number given
/// by whoever runs the deal (<see cref="ContractLinks"/>).
/// </summary>
internal sealed class Deal : AggregateRoot
{
    private List<DealChange> _history = [];
    private List<DealNote> _notes = [];
    private List<DealParty> _parties = [];

    private Deal() { }

    public static readonly IReadOnlyList<DealStage> Sequence =
        [DealStage.Lead, DealStage.Contacted, DealStage.Negotiating, DealStage.Agreed, DealStage.ContractSigned, DealStage.Registered, DealStage.Closed];

    public Guid Id { get; private set; }
    /// <summary>Null for a deal its parties run without a broker.</summary>
    public Guid? BrokerId { get; private set; }
    public string? BrokerSubject { get; private set; }
    public Guid? OfferId { get; private set; }
    public Guid? DemandId { get; private set; }
    public Guid? LeadId { get; private set; }
    /// <summary>The introduction (对接意向) the deal was opened from.</summary>
    public Guid? InterestId { get; private set; }
    /// <summary>The organisations on either side, when known (a deal the broker opened alone may name none).</summary>
    public IReadOnlyList<DealParty> Parties { get => _parties; private set => _parties = [.. value]; }
    public DealContacts? Contacts { get; private set; }
    public string Title { get; private set; } = "";
    public string SubMarket { get; private set; } = "";
    public string Field { get; private set; } = "";
    public DealStage Stage { get; private set; }
    public CommissionTerms? Commission { get; private set; }
    public decimal? Amount { get; private set; }
    public decimal? CommissionAmount { get; private set; }
    public string? LostReason { get; private set; }
    public RegisteredContract? Contract { get; private set; }
    public bool IsDemo { get; private set; }
    public DateTimeOffset OpenedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? EndedAt { get; private set; }
    public IReadOnlyList<DealChange> History { get => _history; private set => _history = [.. value]; }
    public IReadOnlyList<DealNote> Notes { get => _notes; private set => _notes = [.. value]; }
    /// <summary>Fingerprint of the create request, to tell an Idempotency-Key replay from a reuse.</summary>
    public string? RequestFingerprint { get; private set; }

    public override string StoreId => Id.ToString();

    public bool IsOpen => Stage is not (DealStage.Closed or DealStage.Lost);

    /// <summary>A deal without a broker: its parties move it themselves, and there is no commission.</summary>
    public bool HasBroker => BrokerId is not null;

    public bool HasParty(string organisation) => _parties.Any(p => p.Id == organisation);

    /// <summary>A broker's deal, at stage lead: opened by the broker, or from a lead the broker accepted.</summary>
    public static Deal Open(Guid id, Guid brokerId, string brokerSubject, Guid? offerId, Guid? demandId, Guid? leadId,
        string title, string subMarket, string field, bool isDemo, string by, DateTimeOffset now, string? fingerprint = null,
        IReadOnlyList<DealParty>? parties = null)
    {
        var deal = new Deal
        {
            Id = id,
            BrokerId = brokerId,
            BrokerSubject = brokerSubject,
            OfferId = offerId,
            DemandId = demandId,
            LeadId = leadId,
            Parties = parties ?? [],
            Title = title,
            SubMarket = subMarket,
            Field = field,
            Stage = DealStage.Lead,
            IsDemo = isDemo,
            RequestFingerprint = fingerprint,
            OpenedAt = now,
            UpdatedAt = now,
        };
        deal.Change(null, DealStage.Lead, by, leadId is null ? "经纪人创建 / opened by the broker" : "接受线索 / lead accepted", now);
        return deal;
    }

    /// <summary>
    /// The deal of an accepted introduction, at stage contacted (the acceptance put the two sides in
    /// touch): between the interested organisation and the listing's owner, with the listing linked
    /// as its offer or its demand, run by <paramref name="broker"/> — or, when null, by the parties.
    /// </summary>
    public static Deal FromInterest(InterestAccepted accepted, BrokerRef? broker)
    {
        var interest = accepted.Interest;
        var deal = new Deal
        {
            Id = IdForInterest(interest.InterestId),
            BrokerId = broker?.Id,
            BrokerSubject = broker?.Subject,
            OfferId = interest.ListingKind == ListingKind.Offer ? interest.ListingId : null,
            DemandId = interest.ListingKind == ListingKind.Offer ? null : interest.ListingId,
            InterestId = interest.InterestId,
            Parties = new[] { new DealParty(interest.FromOrg, interest.FromOrgName), new DealParty(interest.ToOrg, interest.ToOrgName) }
                .DistinctBy(p => p.Id).ToList(),
            Contacts = new DealContacts(
                new PartyContact(interest.ToOrg, interest.ToOrgName, accepted.ListingContact?.Name, accepted.ListingContact?.Phone, accepted.ListingContact?.Email),
                new PartyContact(interest.FromOrg, interest.FromOrgName, accepted.SenderName, null, null)),
            Title = interest.ListingTitle,
            SubMarket = interest.SubMarket,
            Field = interest.Field,
            Stage = DealStage.Contacted,
            IsDemo = interest.IsDemo,
            OpenedAt = accepted.AcceptedAt,
            UpdatedAt = accepted.AcceptedAt,
        };
        deal.Change(null, DealStage.Contacted, accepted.By, broker is null
            ? "从对接意向开启，双方自行推进（无经纪人）/ opened from the introduction; the parties run it without a broker"
            : "从对接意向开启 / opened from the introduction", accepted.AcceptedAt);
        return deal;
    }

    /// <summary>The deal an introduction opens has an id derived from it: a redelivered acceptance finds it there.</summary>
    public static Guid IdForInterest(Guid interestId) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes("deal-from-interest\n" + interestId.ToString("N"))).AsSpan(0, 16));

    /// <summary>
    /// The deal moves one stage on, or to lost — by its broker, or by its parties when it has none.
    /// A deal without a broker has no commission: none is asked for, and none may be given.
    /// </summary>
    public void MoveTo(DealStage to, string by, string? note, CommissionTerms? commission, decimal? amount, string? lostReason, DateTimeOffset now)
    {
        if (!IsOpen) throw new ConflictException($"交易已结束（{Code(Stage)}），不能再变更 / The deal is {Code(Stage)} and cannot change any more.");
        if (!HasBroker && commission is not null)
            throw ValidationFailedException.For("commission", "该交易没有经纪人，无需约定佣金 / This deal has no broker, so there is no commission.");
        if (to == DealStage.Registered)
            throw new ConflictException("“已登记”只能由技术合同认定登记自动设置 / 'registered' is set only when the contract is registered.");
        if (to == DealStage.Lost)
        {
            LostReason = lostReason;
            EndedAt = now;
            Change(Stage, DealStage.Lost, by, note ?? lostReason, now);
            return;
        }
        var next = Next(Stage);
        if (to != next)
            throw new ConflictException($"不能从 {Code(Stage)} 跳到 {Code(to)}，下一阶段是 {Code(next)} / A deal moves one stage at a time: from {Code(Stage)} the next is {Code(next)}, not {Code(to)}.");
        switch (to)
        {
            case DealStage.Agreed when !HasBroker:
                break;
            case DealStage.Agreed:
                Commission = commission ?? throw ValidationFailedException.For("commission", "达成一致时须约定佣金（比例或固定金额）/ Agreeing needs the commission terms.");
                break;
            case DealStage.Closed:
                var dealAmount = amount ?? Contract?.ContractAmount
                    ?? throw ValidationFailedException.For("amount", "请填写成交金额 / amount is required to close the deal.");
                // A registered contract may move a deal past agreed before the broker recorded the
                // terms there; closing then asks for them, once. Terms agreed at agreed stand.
                if (Commission is not null && commission is not null)
                    throw ValidationFailedException.For("commission", "佣金已在达成一致时约定，结束时不能更改 / The commission was agreed at 'agreed' and cannot change at closing.");
                var terms = !HasBroker ? null : Commission ?? commission ?? throw ValidationFailedException.For("commission",
                    "该交易未经“达成一致”阶段，尚未约定佣金：结束时请填写佣金（比例或固定金额）/ This deal never passed 'agreed', so it has no commission terms: give them with 'closed'.");
                Commission = terms;
                Amount = dealAmount;
                CommissionAmount = terms?.For(dealAmount) ?? 0m;
                EndedAt = now;
                break;
        }
        Change(Stage, to, by, note, now);
        if (to == DealStage.Closed)
        {
            Raise(new DealClosed
            {
                DealId = Id, BrokerId = BrokerId, Amount = Amount!.Value, Commission = CommissionAmount!.Value,
                SubMarket = SubMarket, Field = Field, ClosedAt = now,
            });
        }
    }

    /// <summary>Whether a registered contract may still move the deal: an open deal, not registered yet.</summary>
    public bool CanRegister => Stage is not (DealStage.Registered or DealStage.Closed or DealStage.Lost);

    /// <summary>
    /// The contract of this deal was registered. An open deal before registered moves there (the
    /// registration proves signing even if the broker had not recorded it); a deal already
    /// registered, closed or lost is left alone, so a replayed event changes nothing.
    /// </summary>
    /// <returns>whether the deal changed.</returns>
    public bool Register(ContractRegistered registered, DateTimeOffset now)
    {
        if (!CanRegister) return false;
        Contract = new RegisteredContract(registered.ContractId, registered.RegistrationNumber, registered.ContractAmount,
            registered.TechnologyTransactionAmount, registered.RegisteredAt);
        Change(Stage, DealStage.Registered, "contract-registration",
            $"技术合同已认定登记，登记号 {registered.RegistrationNumber} / Contract registered as {registered.RegistrationNumber}", now);
        return true;
    }

    public DealNote AddNote(string by, string text, Guid id, DateTimeOffset now)
    {
        var note = new DealNote(id, now, by, text);
        _notes.Add(note);
        UpdatedAt = now;
        return note;
    }

    public static DealStage Next(DealStage stage)
    {
        var index = Sequence.ToList().IndexOf(stage);
        return index >= 0 && index < Sequence.Count - 1 ? Sequence[index + 1] : stage;
    }

    public static string Code(DealStage stage) => WireCode.Of(stage);

    private void Change(DealStage? from, DealStage to, string by, string? note, DateTimeOffset now)
    {
        Stage = to;
        UpdatedAt = now;
        _history.Add(new DealChange(now, by, from, to, note));
        Raise(new DealStageChanged
        {
            DealId = Id, Version = Version + 1, BrokerId = BrokerId, BrokerSubject = BrokerSubject, Parties = _parties.Select(p => p.Id).ToList(),
            InterestId = InterestId, Title = Title, From = from, To = to, SubMarket = SubMarket, Field = Field,
            OfferId = OfferId, DemandId = DemandId, Note = note, ChangedBy = by, ChangedAt = now,
        });
    }
}
