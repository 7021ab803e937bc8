using Marketplace.Contracts.Identity;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Notifications.Recipients;

/// <summary>
/// A user of the market as this module knows them, from the gateway's <see cref="AccountChanged"/>
/// events: enough to find who an organisation's or a registration point's notifications go to, and
/// where to mail them. Keeps the highest account version it has seen.
/// </summary>
internal sealed class Recipient : AggregateRoot
{
    public const string Collection = "recipients";

    private Recipient() { }

    /// <summary>The token subject (the username).</summary>
    public string Subject { get; private set; } = "";
    public long AccountVersion { get; private set; }
    public string DisplayName { get; private set; } = "";
    public string Role { get; private set; } = "";
    public string Organisation { get; private set; } = "";
    public string? OrganisationName { get; private set; }
    public string? SubMarket { get; private set; }
    public string? Email { get; private set; }
    public bool IsDemo { get; private set; }
    public bool Active { get; private set; }
    public DateTimeOffset ChangedAt { get; private set; }

    public override string StoreId => Subject;

    public static Recipient From(AccountChanged account)
    {
        var recipient = new Recipient { Subject = account.Subject };
        recipient.Apply(account);
        return recipient;
    }

    /// <summary>Takes the account's state if it is newer than what is kept.</summary>
    /// <returns>whether anything changed (an older or equal version changes nothing).</returns>
    public bool Apply(AccountChanged account)
    {
        if (account.Subject != Subject || (AccountVersion > 0 && account.Version <= AccountVersion)) return false;
        AccountVersion = account.Version;
        DisplayName = account.DisplayName;
        Role = account.Role;
        Organisation = account.Organisation;
        OrganisationName = account.OrganisationName;
        SubMarket = account.SubMarket;
        Email = string.IsNullOrWhiteSpace(account.Email) ? null : account.Email.Trim();
        IsDemo = account.IsDemo;
        Active = account.Active;
        ChangedAt = account.ChangedAt;
        return true;
    }
}
