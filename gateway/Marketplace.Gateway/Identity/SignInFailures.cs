using System.Net;
using System.Net.Sockets;

namespace Marketplace.Gateway.Identity;

/// <summary>
/// The failed sign-ins of one username, and what they bar. Modelled on Microsoft Entra's smart
/// lockout and OWASP's authentication guidance, so that lockout cannot be turned against the owner:
/// <list type="bullet">
/// <item>five failures in a row from one client address lock <em>that address</em> out of the
/// account for 15 minutes — even with the right password — while the owner elsewhere signs in;</item>
/// <item>ten failures across all addresses within 15 minutes mark the account as under attack: each
/// further failure makes every address that has failed wait a little longer (1 s, doubling, at most
/// a minute) before its next try, without a lock; an address with no failures is still heard, so the
/// owner with the right password gets through;</item>
/// <item>an admin clears all of it (<c>POST /api/admin/accounts/{username}/unlock</c>).</item>
/// </list>
/// Kept inside the account document (so every gateway replica sees it) and bounded.
/// </summary>
public sealed class SignInFailures
{
    /// <summary>Failures in a row from one address before it is locked out of the account.</summary>
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
    /// <summary>Failures across all addresses (within <see cref="LockoutDuration"/>) before the account slows down.</summary>
    public const int SlowdownThreshold = 10;
    public static readonly TimeSpan MaxSlowdown = TimeSpan.FromMinutes(1);
    /// <summary>Addresses remembered per account; beyond it the oldest failure is forgotten (the slowdown still holds).</summary>
    private const int MaxAddresses = 64;

    private List<AddressFailures> _addresses = [];

    public IReadOnlyList<AddressFailures> Addresses { get => _addresses; private set => _addresses = [.. value]; }
    /// <summary>Failures from any address since the account was last quiet for <see cref="LockoutDuration"/>.</summary>
    public int Recent { get; private set; }
    public DateTimeOffset? LastFailureAt { get; private set; }
    /// <summary>Until then an address that has failed must wait.</summary>
    public DateTimeOffset? SlowUntil { get; private set; }

    /// <returns>how long this address must wait before its password is even checked, or null.</returns>
    public TimeSpan? Refusal(string address, DateTimeOffset now)
    {
        var entry = Current(address, now);
        if (entry?.LockedUntil is { } locked && locked > now) return locked - now;
        if (entry is { Failed: > 0 } && SlowUntil is { } slow && slow > now) return slow - now;
        return null;
    }

    public bool IsLocked(DateTimeOffset now) => _addresses.Any(a => a.LockedUntil is { } until && until > now);

    public void Failed(string address, DateTimeOffset now)
    {
        if (LastFailureAt is { } last && now - last > LockoutDuration)
        {
            Recent = 0;
            SlowUntil = null;
        }
        var failed = (Current(address, now)?.Failed ?? 0) + 1;
        _addresses.RemoveAll(a => a.Address == address || IsStale(a, now));
        _addresses.Add(failed >= MaxFailedAttempts
            ? new AddressFailures(address, 0, now, now + LockoutDuration)
            : new AddressFailures(address, failed, now, null));
        if (_addresses.Count > MaxAddresses) _addresses.Remove(_addresses.MinBy(a => a.LastFailure)!);

        Recent++;
        LastFailureAt = now;
        if (Recent >= SlowdownThreshold)
        {
            var seconds = Math.Pow(2, Math.Min(Recent - SlowdownThreshold, 16));
            SlowUntil = now + TimeSpan.FromSeconds(Math.Min(seconds, MaxSlowdown.TotalSeconds));
        }
    }

    /// <summary>The right password from this address: its failures are forgiven (the others' are not).</summary>
    public void Succeeded(string address) => _addresses.RemoveAll(a => a.Address == address);

    public void Clear()
    {
        _addresses.Clear();
        Recent = 0;
        LastFailureAt = null;
        SlowUntil = null;
    }

    /// <summary>Nothing left that bars anyone: the record may be forgotten.</summary>
    public bool IsQuiet(DateTimeOffset now) => LastFailureAt is not { } last || now - last > LockoutDuration && !IsLocked(now);

    /// <summary>This address's failures, unless they have lapsed (a lock that ended, or a streak older than the lockout).</summary>
    private AddressFailures? Current(string address, DateTimeOffset now) =>
        _addresses.FirstOrDefault(a => a.Address == address) is { } entry && !IsStale(entry, now) ? entry : null;

    private static bool IsStale(AddressFailures entry, DateTimeOffset now) => entry.LockedUntil is { } until
        ? until <= now
        : now - entry.LastFailure > LockoutDuration;

    /// <summary>
    /// The key of a client address. An IPv6 client is counted by its /64 prefix: one subscriber
    /// usually holds a whole /64 and could otherwise take a fresh address for every five guesses
    /// (the same grouping IPv6 rate limiters use). IPv4 (also when mapped into IPv6) is one address.
    /// </summary>
    public static string AddressKey(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address)) return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}

/// <summary>Failures in a row from one client address (<see cref="SignInFailures.AddressKey"/>).</summary>
public sealed record AddressFailures(string Address, int Failed, DateTimeOffset LastFailure, DateTimeOffset? LockedUntil);
