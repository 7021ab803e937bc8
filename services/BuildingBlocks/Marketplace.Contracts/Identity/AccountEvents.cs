namespace Marketplace.Contracts.Identity;

// Integration events owned by the gateway, which holds the market's accounts.

/// <summary>
/// The current state of an account (created, changed, deactivated): who the user is, which
/// organisation and role, and where they may be reached. Carries the account's version: a consumer
/// keeps the highest one it has seen.
/// </summary>
public sealed record AccountChanged
{
    /// <summary>The token subject (the username).</summary>
    public required string Subject { get; init; }
    public required long Version { get; init; }
    public required string DisplayName { get; init; }
    public required string Role { get; init; }
    public required string Organisation { get; init; }
    public string? OrganisationName { get; init; }
    public string? SubMarket { get; init; }
    public string? Email { get; init; }
    public bool IsDemo { get; init; }
    public bool Active { get; init; } = true;
    public required DateTimeOffset ChangedAt { get; init; }
}

/// <summary>
/// Asks the gateway to publish every account again as <see cref="AccountChanged"/> (a directory that
/// started after accounts were created, or lost its copy, fills itself in). Consumers keep the
/// highest version they have seen, so the replay changes nothing they already know.
/// </summary>
public sealed record AccountsReplayRequested
{
    public required Guid RequestId { get; init; }
    public required string RequestedBy { get; init; }
}
