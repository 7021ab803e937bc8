using Marketplace.Contracts.Identity;
using MassTransit;

namespace Marketplace.Gateway.Identity;

/// <summary>
/// Answers <see cref="AccountsReplayRequested"/>: publishes every announced account again, at its
/// stored version, so a directory that missed the announcements (its queue did not exist yet) fills
/// itself in. Not news: a consumer that knows the version already changes nothing.
/// </summary>
public sealed partial class AccountReplayConsumer(IdentityService identity, TimeProvider time, ILogger<AccountReplayConsumer> logger) : IConsumer<AccountsReplayRequested>
{
    public async Task Consume(ConsumeContext<AccountsReplayRequested> context)
    {
        var ct = context.CancellationToken;
        var organisations = new Dictionary<string, Organisation?>();
        var count = 0;
        foreach (var account in await identity.Accounts.QueryAllAsync([], "username", ct))
        {
            // one not announced yet is announced by AccountAnnouncer, at a version of its own
            if (!account.Announced) continue;
            if (!organisations.TryGetValue(account.OrganisationId, out var organisation))
                organisations[account.OrganisationId] = organisation = await identity.Organisations.FindAsync(account.OrganisationId, ct);
            if (organisation is null) continue;
            await context.Publish(account.Snapshot(organisation, account.Version, time.GetUtcNow()), ct);
            count++;
        }
        LogReplayed(count, context.Message.RequestedBy);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published {Count} accounts again for {RequestedBy}")]
    private partial void LogReplayed(int count, string requestedBy);
}
