using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.TestKit;

/// <summary>
/// Remembers which messages a test's own consumer has handled (the end-to-end probe counts an
/// effect once per message id). Recording is one atomic insert keyed by consumer and message id,
/// so of two deliveries of the same message exactly one gets true. The market's own consumers
/// need none: each is idempotent through its aggregate (versions of snapshot events, ids derived
/// from the event — a lead's id is its match id, a deal's its lead's).
/// </summary>
public sealed class Inbox(IDocumentStore store, string collection = "inbox")
{
    /// <returns>true the first time this consumer sees this message id.</returns>
    public async Task<bool> TryRecordAsync(string consumer, Guid messageId, IReadOnlyDictionary<string, string>? fields = null, CancellationToken ct = default)
    {
        try
        {
            await store.InsertAsync(collection, new StoredDocument
            {
                Id = $"{consumer}:{messageId:N}",
                Body = "{}",
                Fields = new Dictionary<string, string>(fields ?? new Dictionary<string, string>()) { ["consumer"] = consumer },
            }, ct);
            return true;
        }
        catch (DocumentExistsException)
        {
            return false;
        }
    }
}
