using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Gateway.Identity;

/// <summary>A person's sign-in to the market, in one organisation and one role.</summary>
public sealed class Account : AggregateRoot
{
    /// <summary>Failed sign-ins in a row before the account is locked for <see cref="LockoutDuration"/>.</summary>
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    private Account() { }

    public string Username { get; private set; } = "";
    public string DisplayName { get; private set; } = "";
    public string PasswordHash { get; private set; } = "";
    public string Role { get; private set; } = "";
    public string OrganisationId { get; private set; } = "";
    public bool IsDemo { get; private set; }
    public int FailedAttempts { get; private set; }
    public DateTimeOffset? LockedUntil { get; private set; }
    public DateTimeOffset? LastSignInAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public override string StoreId => Key(Username);

    public static string Key(string username) => username.Trim().ToLowerInvariant();

    public static Account Create(string username, string displayName, string passwordHash, string role, string organisationId, bool isDemo, DateTimeOffset now) => new()
    {
        Username = Key(username), DisplayName = displayName, PasswordHash = passwordHash, Role = role,
        OrganisationId = organisationId, IsDemo = isDemo, CreatedAt = now,
    };

    public bool IsLocked(DateTimeOffset now) => LockedUntil is { } until && until > now;

    public void SignedIn(DateTimeOffset now)
    {
        FailedAttempts = 0;
        LockedUntil = null;
        LastSignInAt = now;
    }

    public void SignInFailed(DateTimeOffset now)
    {
        FailedAttempts++;
        if (FailedAttempts >= MaxFailedAttempts)
        {
            LockedUntil = now + LockoutDuration;
            FailedAttempts = 0;
        }
    }

    public void Rehash(string passwordHash) => PasswordHash = passwordHash;
}
