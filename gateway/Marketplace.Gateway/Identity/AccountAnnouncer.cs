namespace Marketplace.Gateway.Identity;

/// <summary>
/// Announces, once, the accounts created before accounts were announced (<see cref="Account.Announced"/>),
/// so that the notifications directory knows every user. New accounts announce themselves when
/// created. Replicas starting together may both try: the version check lets one write win and the
/// other finds the account announced.
/// </summary>
public sealed partial class AccountAnnouncer(IdentityService identity, TimeProvider time, ILogger<AccountAnnouncer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            var accounts = identity.Accounts;
            var waiting = (await accounts.QueryAllAsync([], "username", stoppingToken)).Where(a => !a.Announced).ToList();
            foreach (var account in waiting)
            {
                var organisation = await identity.Organisations.FindAsync(account.OrganisationId, stoppingToken);
                if (organisation is null) continue;
                await accounts.ChangeAsync(async ct => await accounts.FindAsync(account.StoreId, ct) ?? account, null, _ => { }, a =>
                {
                    if (!a.Announced) a.Announce(organisation, time.GetUtcNow());
                }, stoppingToken);
            }
            if (waiting.Count > 0) LogAnnounced(waiting.Count);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            // the next start tries again; nothing a user does depends on it
            LogFailed(e);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Announced {Count} accounts created before accounts were announced")]
    private partial void LogAnnounced(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Announcing earlier accounts failed; the next start tries again")]
    private partial void LogFailed(Exception exception);
}
