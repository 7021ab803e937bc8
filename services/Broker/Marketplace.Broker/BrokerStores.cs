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

    public static async Task<long> CountAsync<T>(AggregateStore<T> store, IReadOnlyList<FieldFilter> filters, CancellationToken ct) where T : AggregateRoot =>
        (await store.QueryAsync(new DocumentQuery { Filters = filters, Take = 1 }, ct)).Total;
}
