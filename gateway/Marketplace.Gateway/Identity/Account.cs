using Marketplace.Contracts.Identity;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Gateway.Identity;

/// <summary>A person's sign-in to the market, in one organisation and one role.</summary>
public sealed class Account : AggregateRoot
{
    private Account() { }

    public string Username { get; private set; } = "";
    public string DisplayName { get; private set; } = "";
    public string PasswordHash { get; private set; } = "";
    public string Role { get; private set; } = "";
    public string OrganisationId { get; private set; } = "";
    /// <summary>Where the market may write to the person (notifications by email); optional.</summary>
    public string? Email { get; private set; }
    public bool IsDemo { get; private set; }
    /// <summary>False once an admin disabled the account: it cannot sign in, and the other services are told.</summary>
    public bool Active { get; private set; } = true;
    /// <summary>
    /// Whether the directory of other services (notifications) has been told of this account. Accounts
    /// created before accounts were announced are announced once at start (<see cref="AccountAnnouncer"/>).
    /// </summary>
    public bool Announced { get; private set; }
    /// <summary>Failed sign-ins by client address, and the locks and slowdown they cause.</summary>
    public SignInFailures Failures { get; private set; } = new();
    public DateTimeOffset? LastSignInAt { get; private set; }
    /// <summary>
    /// Moves on when the account's sessions must end (disabled; a new password set by an admin): tokens and portal
    /// sessions carry the generation they were issued in (<see cref="Contracts.MarketClaims.Sessions"/>), and the
    /// gateway refuses those of an older one (<see cref="AccountSessions"/>).
    /// </summary>
    public int SessionGeneration { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public override string StoreId => Key(Username);

    public static string Key(string username) => username.Trim().ToLowerInvariant();

    public static Account Create(string username, string displayName, string passwordHash, string role, Organisation organisation, string? email, bool isDemo, DateTimeOffset now)
    {
        var account = new Account
        {
            Username = Key(username), DisplayName = displayName, PasswordHash = passwordHash, Role = role,
            OrganisationId = organisation.Id, Email = email, IsDemo = isDemo, CreatedAt = now,
        };
        account.Announce(organisation, now);
        return account;
    }

    /// <summary>Tells the other services who this account is (<see cref="AccountChanged"/>); once per change of who.</summary>
    public void Announce(Organisation organisation, DateTimeOffset now)
    {
        Announced = true;
        Raise(Snapshot(organisation, Version + 1, now));
    }

    /// <summary>The account as the other services know it, at <paramref name="version"/>.</summary>
    public AccountChanged Snapshot(Organisation organisation, long version, DateTimeOffset now) => new()
    {
        Subject = Username, Version = version, DisplayName = DisplayName, Role = Role, Organisation = OrganisationId,
        OrganisationName = organisation.Name, SubMarket = organisation.SubMarket, Email = Email, IsDemo = IsDemo, Active = Active, ChangedAt = now,
    };

    /// <summary>Locked out from some address (the admin's list shows it; an unlock clears it).</summary>
    public bool IsLocked(DateTimeOffset now) => Failures.IsLocked(now);

    public void SignedIn(string address, DateTimeOffset now)
    {
        Failures.Succeeded(address);
        LastSignInAt = now;
    }

    public void SignInFailed(string address, DateTimeOffset now) => Failures.Failed(address, now);

    public void Unlock() => Failures.Clear();

    /// <summary>Disables or enables the account; a change is announced (<see cref="AccountChanged.Active"/>).</summary>
    public void SetActive(bool active, Organisation organisation, DateTimeOffset now)
    {
        if (Active == active) return;
        Active = active;
        if (!active) EndSessions();
        Announce(organisation, now);
    }

    public void Rehash(string passwordHash) => PasswordHash = passwordHash;

    /// <summary>Every token and portal session issued until now stops being accepted.</summary>
    public void EndSessions() => SessionGeneration++;
}
