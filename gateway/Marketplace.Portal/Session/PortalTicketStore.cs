using System.Security.Cryptography;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace Marketplace.Portal;

/// <summary>
/// Portal sessions live in the gateway's store: the browser's cookie holds only a random session
/// key, never the user's token; every gateway replica finds the session, and it survives a restart.
/// </summary>
public sealed class PortalTicketStore(IDocumentStore store, TimeProvider time) : ITicketStore
{
    public const string Collection = "portal_sessions";

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        await store.InsertAsync(Collection, ToDocument(key, ticket));
        await SweepAsync();
        return key;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        var current = await store.GetAsync(Collection, key);
        if (current is null) await store.InsertAsync(Collection, ToDocument(key, ticket));
        else await store.ReplaceAsync(Collection, ToDocument(key, ticket) with { Version = current.Version }, current.Version);
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        var doc = await store.GetAsync(Collection, key);
        if (doc is null) return null;
        var ticket = TicketSerializer.Default.Deserialize(Convert.FromBase64String(doc.Body));
        if (ticket?.Properties.ExpiresUtc is { } expires && expires <= time.GetUtcNow())
        {
            await store.DeleteAsync(Collection, key);
            return null;
        }
        return ticket;
    }

    public Task RemoveAsync(string key) => store.DeleteAsync(Collection, key);

    /// <summary>Sessions nobody comes back for are removed once they have expired.</summary>
    private async Task SweepAsync()
    {
        var expired = await store.QueryAsync(Collection, new DocumentQuery
        {
            Filters = [FieldFilter.Lt("expires", IndexFormat.Time(time.GetUtcNow()))],
            Take = 50, CountTotal = false,
        });
        foreach (var doc in expired.Items) await store.DeleteAsync(Collection, doc.Id);
    }

    private StoredDocument ToDocument(string key, AuthenticationTicket ticket) => new()
    {
        Id = key,
        Body = Convert.ToBase64String(TicketSerializer.Default.Serialize(ticket)),
        Fields = new Dictionary<string, string>
        {
            ["expires"] = IndexFormat.Time(ticket.Properties.ExpiresUtc ?? time.GetUtcNow().AddHours(1)),
        },
    };
}
