using Marketplace.Contracts;
using Marketplace.Contracts.Identity;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.Notifications.Inbox;
using MassTransit;

namespace Marketplace.Notifications.Recipients;

/// <summary>Who the users behind an organisation, a registration point or a subject are.</summary>
internal sealed class RecipientDirectory(AggregateStore<Recipient> recipients)
{
    public AggregateStore<Recipient> Store => recipients;

    public Task<Recipient?> FindAsync(string subject, CancellationToken ct) => recipients.FindAsync(subject, ct);

    /// <summary>Every active user of an organisation.</summary>
    public Task<List<Recipient>> OrganisationAsync(string organisation, CancellationToken ct) =>
        recipients.QueryAllAsync([FieldFilter.Eq("organisation", organisation), FieldFilter.Eq("active", "true")], null, ct);

    /// <summary>
    /// The active registrars of a registration point. A point is a sub-market code and a registrar
    /// acts on the point of their sub-market (as the registration service decides who may act on its
    /// queue); a registrar whose organisation is named by the point's code is one of them too.
    /// </summary>
    public async Task<List<Recipient>> RegistrarsAsync(string point, CancellationToken ct)
    {
        var bySubMarket = await recipients.QueryAllAsync(
            [FieldFilter.Eq("role", Roles.Registrar), FieldFilter.Eq("subMarket", point), FieldFilter.Eq("active", "true")], null, ct);
        var byOrganisation = await recipients.QueryAllAsync(
            [FieldFilter.Eq("role", Roles.Registrar), FieldFilter.Eq("organisation", point), FieldFilter.Eq("active", "true")], null, ct);
        return bySubMarket.Concat(byOrganisation).DistinctBy(r => r.Subject).ToList();
    }

    /// <summary>Every active user of a role, e.g. the admins who keep the reference data.</summary>
    public Task<List<Recipient>> RoleAsync(string role, CancellationToken ct) =>
        recipients.QueryAllAsync([FieldFilter.Eq("role", role), FieldFilter.Eq("active", "true")], null, ct);

    // the audiences a notice can be held for, as one string each: an organisation's code (which has no colon) or these
    private const string RolePrefix = "role:", RegistrarsPrefix = "registrars:";

    /// <summary>The audience of every active user of the role.</summary>
    public static string RoleAudience(string role) => RolePrefix + role;

    /// <summary>The audience of a registration point's registrars (<see cref="RegistrarsAsync"/>).</summary>
    public static string RegistrarsAudience(string point) => RegistrarsPrefix + point;

    /// <summary>The active users of an audience: an organisation's code, <see cref="RoleAudience"/> or <see cref="RegistrarsAudience"/>.</summary>
    public Task<List<Recipient>> AudienceAsync(string audience, CancellationToken ct)
    {
        if (audience.StartsWith(RolePrefix, StringComparison.Ordinal)) return RoleAsync(audience[RolePrefix.Length..], ct);
        if (audience.StartsWith(RegistrarsPrefix, StringComparison.Ordinal)) return RegistrarsAsync(audience[RegistrarsPrefix.Length..], ct);
        return OrganisationAsync(audience, ct);
    }

    /// <summary>The audiences an active account belongs to (what a notice held for them waits for): <see cref="AudienceAsync"/> read the other way.</summary>
    public static IEnumerable<string> AudiencesOf(AccountChanged account)
    {
        yield return account.Organisation;
        yield return RoleAudience(account.Role);
        if (account.Role != Roles.Registrar) yield break;
        // a point's registrars: those of its sub-market, and those whose organisation the point names (RegistrarsAsync)
        if (!string.IsNullOrEmpty(account.SubMarket)) yield return RegistrarsAudience(account.SubMarket);
        yield return RegistrarsAudience(account.Organisation);
    }

    /// <summary>An organisation's name as its users' accounts give it, for texts whose event names only the code.</summary>
    public async Task<string?> OrganisationNameAsync(string organisation, CancellationToken ct)
    {
        var (items, _) = await recipients.QueryAsync(new DocumentQuery { Filters = [FieldFilter.Eq("organisation", organisation)], Take = 5, CountTotal = false }, ct);
        return items.Select(r => r.OrganisationName).FirstOrDefault(n => !string.IsNullOrWhiteSpace(n));
    }

    /// <summary>Keeps the newest state of an account; an older or repeated event changes nothing.</summary>
    public async Task ApplyAsync(AccountChanged account, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var existing = await recipients.FindAsync(account.Subject, ct);
                if (existing is null)
                {
                    await recipients.InsertAsync(Recipient.From(account), ct);
                    return;
                }
                if (!existing.Apply(account)) return;
                await recipients.SaveAsync(existing, ct);
                return;
            }
            catch (Exception e) when (e is DocumentExistsException or ConcurrencyConflictException && attempt < 10)
            {
                // another delivery of this account wrote first: compare versions with what it wrote
            }
        }
    }
}

/// <summary>
/// The gateway's account changes feed the directory; an active user's organisation, role and (a
/// registrar's) registration points then get what was held for them (also on a replay at start, which finishes a release a crash interrupted).
/// </summary>
internal sealed class AccountChangedConsumer(RecipientDirectory directory, Notifier notifier) : IConsumer<AccountChanged>
{
    public async Task Consume(ConsumeContext<AccountChanged> context)
    {
        var account = context.Message;
        await directory.ApplyAsync(account, context.CancellationToken);
        if (!account.Active) return;
        foreach (var audience in RecipientDirectory.AudiencesOf(account)) await notifier.ReleaseHeldAsync(audience, context.CancellationToken);
    }
}
