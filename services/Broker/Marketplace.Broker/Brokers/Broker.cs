using System.Security.Cryptography;
using System.Text;
using Marketplace.Contracts;
using Marketplace.Contracts.Broker;
using Marketplace.ServiceDefaults.Auth;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Broker.Brokers;

internal sealed record BrokerContact(string? Phone, string? Email);

/// <summary>Who a broker is, for what is handed to them (a lead, a deal): the profile's id and the account's token subject.</summary>
internal sealed record BrokerRef(Guid Id, string Subject);

/// <summary>What a broker writes about themself; validated by <see cref="BrokerRules"/>.</summary>
internal sealed record BrokerProfile
{
    public required string Name { get; init; }
    public required BrokerLevel Level { get; init; }
    public required string CertificateNumber { get; init; }
    public required IReadOnlyList<string> Fields { get; init; }
    public required BrokerContact Contact { get; init; }
    public string? Introduction { get; init; }
}

internal sealed record BrokerHistoryEntry(DateTimeOffset At, string By, string Action, BrokerStatus Status, string? Note);

/// <summary>
/// A technology broker (技术经纪人) of one sub-market, working for a technology-transfer organisation.
/// pending → active → suspended → active; operators of the sub-market approve and suspend.
/// One profile per account: its id is derived from the account.
/// </summary>
internal sealed class Broker : AggregateRoot
{
    private List<BrokerHistoryEntry> _history = [];

    private Broker() { }

    public Guid Id { get; private set; }
    /// <summary>The account (token subject) that acts as this broker.</summary>
    public string Subject { get; private set; } = "";
    public string Organisation { get; private set; } = "";
    public string? OrganisationName { get; private set; }
    public string SubMarket { get; private set; } = "";
    public BrokerProfile Profile { get; private set; } = null!;
    public BrokerStatus Status { get; private set; }
    public string? StatusReason { get; private set; }
    public bool IsDemo { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? ActiveSince { get; private set; }
    public IReadOnlyList<BrokerHistoryEntry> History { get => _history; private set => _history = [.. value]; }

    public override string StoreId => Id.ToString();

    public static Guid IdFor(string subject) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes("broker\n" + subject)).AsSpan(0, 16));

    public static Broker Register(MarketUser user, string subMarket, BrokerProfile profile, bool isDemo, DateTimeOffset now)
    {
        var broker = new Broker
        {
            Id = IdFor(user.Subject),
            Subject = user.Subject,
            Organisation = user.Organisation,
            OrganisationName = user.OrganisationName,
            SubMarket = subMarket,
            Profile = profile,
            Status = BrokerStatus.Pending,
            IsDemo = isDemo,
            CreatedAt = now,
            UpdatedAt = now,
        };
        broker.Record(now, user.Subject, "registered", null);
        return broker;
    }

    public bool IsActive => Status == BrokerStatus.Active;

    public BrokerRef AsRef() => new(Id, Subject);

    public bool IsAccount(MarketUser? user) => user is not null && user.Role == Roles.Broker && user.Subject == Subject;

    public bool Covers(string field) => Profile.Fields.Contains(field);

    /// <summary>The public directory shows active brokers; the broker and the sub-market's operators see every state.</summary>
    public bool IsVisibleTo(MarketUser? user) => IsActive || IsAccount(user) || (user is not null && user.IsOperatorOf(SubMarket));

    /// <summary>
    /// A broker edits the profile. What an operator vouched for — level and certificate — goes
    /// back to review when it changes; contact, fields and introduction do not.
    /// </summary>
    public void Edit(BrokerProfile profile, MarketUser by, DateTimeOffset now)
    {
        var needsReview = profile.Level != Profile.Level || profile.CertificateNumber != Profile.CertificateNumber;
        Profile = profile;
        if (needsReview && Status == BrokerStatus.Active)
        {
            Status = BrokerStatus.Pending;
            ActiveSince = null;
        }
        Touch(now, by.Subject, needsReview ? "edited_for_review" : "edited", null);
    }

    public void Approve(MarketUser by, DateTimeOffset now)
    {
        if (Status == BrokerStatus.Active) throw new ConflictException("该经纪人已是在册状态 / The broker is already active.");
        Status = BrokerStatus.Active;
        StatusReason = null;
        ActiveSince = now;
        Touch(now, by.Subject, "approved", null);
        Raise(new BrokerApproved { BrokerId = Id, Subject = Subject, Name = Profile.Name, SubMarket = SubMarket, ApprovedAt = now });
    }

    public void Suspend(MarketUser by, string reason, DateTimeOffset now)
    {
        if (Status == BrokerStatus.Suspended) throw new ConflictException("该经纪人已被暂停 / The broker is already suspended.");
        Status = BrokerStatus.Suspended;
        StatusReason = reason;
        ActiveSince = null;
        Touch(now, by.Subject, "suspended", reason);
    }

    private void Touch(DateTimeOffset now, string by, string action, string? note)
    {
        UpdatedAt = now;
        Record(now, by, action, note);
    }

    private void Record(DateTimeOffset now, string by, string action, string? note) =>
        _history.Add(new BrokerHistoryEntry(now, by, action, Status, note));
}
