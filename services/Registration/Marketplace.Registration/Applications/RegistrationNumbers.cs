using System.Globalization;
using System.Text.Json;
using Marketplace.Contracts;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.Extensions.Options;

namespace Marketplace.Registration.Applications;

/// <summary>
/// 合同登记编号: 16 digits — year (4), province (2), city (2), registration point (2), sequence (6).
/// One counter document per point and year, changed only with the store's version check, so
/// replicas racing for numbers get distinct consecutive ones. A number is drawn FOR an
/// application and the counter remembers which application it went to (the latest
/// <see cref="RememberedDraws"/> of them): a second request for the same application — a double
/// click, a retry after a lost answer, a replica that crashed between drawing and registering —
/// gets the same number back instead of burning a new one. Only one of the requests can then
/// register it; the sequence has no gaps and no number is handed out twice.
/// </summary>
internal sealed class RegistrationNumbers(IDocumentStore store, IOptions<RegistrationOptions> options)
{
    public const string Collection = "sequences";
    public const int RememberedDraws = 256;
    private const int MaxSequence = 999_999;

    private sealed record Counter(int Last, Dictionary<string, int>? Drawn = null);

    /// <summary>The number drawn for <paramref name="applicationId"/>, drawing the point's next one if it has none.</summary>
    public async Task<string> NextAsync(string point, int year, string applicationId, CancellationToken ct)
    {
        var prefix = Prefix(point, year);
        var number = await ChangeCounterAsync(point, year, counter =>
        {
            var drawn = counter?.Drawn ?? [];
            if (drawn.TryGetValue(applicationId, out var held)) return (null, held);
            var next = (counter?.Last ?? 0) + 1;
            if (next > MaxSequence) throw new InvalidOperationException($"Registration point {point} has used every sequence number of {year}.");
            var remembered = drawn.Where(d => d.Value > next - RememberedDraws).ToDictionary();
            remembered[applicationId] = next;
            return (new Counter(next, remembered), next);
        }, ct);
        return prefix + number.ToString("D6", CultureInfo.InvariantCulture);
    }

    /// <summary>Read, decide, write with the version check; on a lost race read again. A null counter means no write.</summary>
    private async Task<int> ChangeCounterAsync(string point, int year, Func<Counter?, (Counter? Write, int Result)> decide, CancellationToken ct)
    {
        var id = $"{point}:{year}";
        for (var attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            var doc = await store.GetAsync(Collection, id, ct);
            var (write, result) = decide(doc is null ? null : JsonSerializer.Deserialize<Counter>(doc.Body, MarketJson.Storage));
            if (write is null) return result;
            try
            {
                if (doc is null) await store.InsertAsync(Collection, new StoredDocument { Id = id, Body = Serialize(write) }, ct);
                else await store.ReplaceAsync(Collection, doc with { Body = Serialize(write), Outbox = [] }, doc.Version, ct);
                return result;
            }
            catch (Exception e) when (e is ConcurrencyConflictException or DocumentExistsException && attempt < 200)
            {
                await Task.Delay(Random.Shared.Next(1, Math.Min(50, 2 * attempt)), ct);
            }
        }
    }

    /// <summary>Year, province and city from the point's GB/T 2260 code, then the point's own two digits.</summary>
    private string Prefix(string point, int year)
    {
        var region = ReferenceData.SubMarkets.First(s => s.Code == point).RegionCode;
        var code = options.Value.PointCodes.TryGetValue(point, out var configured) ? configured : "01";
        return year.ToString("D4", CultureInfo.InvariantCulture) + region[..2] + region[2..4] + code;
    }

    private static string Serialize(Counter counter) => JsonSerializer.Serialize(counter, MarketJson.Storage);
}
