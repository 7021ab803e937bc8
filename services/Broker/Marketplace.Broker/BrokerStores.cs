using Marketplace.Broker.Deals;
using Marketplace.Broker.Leads;
using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Broker;

/// <summary>The three collections of the broker service, and the load-change-save loop they share.</summary>
public sealed class BrokerStores(
    AggregateStore<Brokers.Broker> brokers,
    AggregateStore<Lead> leads,
    AggregateStore<Deal> deals,
    TimeProvider time)
{
    public AggregateStore<Brokers.Broker> Brokers => brokers;
    public AggregateStore<Lead> Leads => leads;
    public AggregateStore<Deal> Deals => deals;
    public DateTimeOffset Now => time.GetUtcNow();

    public async Task<Brokers.Broker> BrokerAsync(Guid id, CancellationToken ct) =>
        await brokers.FindAsync(id.ToString(), ct) ?? throw new NotFoundException($"经纪人 {id} 不存在 / Broker {id} does not exist.");

    public async Task<Lead> LeadAsync(Guid id, CancellationToken ct) =>
        await leads.FindAsync(id.ToString(), ct) ?? throw new NotFoundException($"线索 {id} 不存在 / Lead {id} does not exist.");

    public async Task<Deal> DealAsync(Guid id, CancellationToken ct) =>
        await deals.FindAsync(id.ToString(), ct) ?? throw new NotFoundException($"交易 {id} 不存在 / Deal {id} does not exist.");

    /// <summary>
    /// Loads, checks who may act, checks the expected version (If-Match), changes and saves. A save
    /// that lost a race is retried on the fresh document when the caller named no version.
    /// </summary>
    public static async Task<T> ChangeAsync<T>(AggregateStore<T> store, Func<CancellationToken, Task<T>> load, long? expectedVersion,
        Action<T> authorize, Func<T, Task> change, CancellationToken ct) where T : AggregateRoot
    {
        for (var attempt = 1; ; attempt++)
        {
            var aggregate = await load(ct);
            authorize(aggregate);
            if (expectedVersion is { } expected && expected != aggregate.Version)
                throw new PreconditionFailedException($"数据已被修改（当前版本 {aggregate.Version}），请刷新后重试 / It is at version {aggregate.Version}, not {expected}; reload it.");
            await change(aggregate);
            try
            {
                await store.SaveAsync(aggregate, ct);
                return aggregate;
            }
            catch (ConcurrencyConflictException) when (expectedVersion is null && attempt < 10)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(1, 10 * attempt)), ct);
            }
        }
    }

    /// <summary>Every document of a query, page by page (the broker service's sets are small: brokers of a sub-market, deals of a broker).</summary>
    public static async Task<List<T>> AllAsync<T>(AggregateStore<T> store, IReadOnlyList<FieldFilter> filters, CancellationToken ct) where T : AggregateRoot
    {
        const int batch = 500;
        var all = new List<T>();
        while (true)
        {
            var (items, _) = await store.QueryAsync(new DocumentQuery { Filters = filters, SortBy = "createdKey", Skip = all.Count, Take = batch }, ct);
            all.AddRange(items);
            if (items.Count < batch) return all;
        }
    }

    public static async Task<long> CountAsync<T>(AggregateStore<T> store, IReadOnlyList<FieldFilter> filters, CancellationToken ct) where T : AggregateRoot =>
        (await store.QueryAsync(new DocumentQuery { Filters = filters, Take = 1 }, ct)).Total;
}
