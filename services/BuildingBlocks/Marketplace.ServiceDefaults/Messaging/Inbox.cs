using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.ServiceDefaults.Messaging;

/// <summary>
/// Remembers which messages a consumer has handled. Recording is one atomic insert keyed by
/// consumer and message id, so of two deliveries of the same message exactly one gets true.
/// Use it where the recorded marker IS the effect, or where the effect is itself idempotent;
/// an effect on an aggregate should instead keep the handled ids (or the version) in the
/// aggregate's own document.
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
