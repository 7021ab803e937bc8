using Marketplace.ServiceDefaults.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marketplace.ServiceDefaults.Tests;

/// <summary>Every collection a host stores gets its indexes at start, not only the first one registered.</summary>
public sealed class AggregateWiringTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "wiring-" + Guid.NewGuid().ToString("N"));

    private sealed class Item : AggregateRoot
    {
        public Guid Id { get; init; } = Guid.NewGuid();
        public string Status { get; init; } = "open";
        public DateTimeOffset At { get; init; } = DateTimeOffset.UnixEpoch;
        public override string StoreId => Id.ToString();
    }

    [Fact]
    public async Task Each_collection_of_a_store_has_its_shapes_indexed_at_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = _directory,
            ["Storage:RequireIndexedQueries"] = "true",
        });
        foreach (var collection in new[] { "first", "second", "third" })
            builder.AddAggregates("wiring", collection, new IndexFields<Item>
            {
                { "status", i => i.Status },
                { "at", i => IndexFormat.Time(i.At) },
                new IndexShape(["status"], "at"),
            }, outbox: false);
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            var store = (LiteDbDocumentStore)host.Services.GetRequiredKeyedService<IDocumentStore>("wiring");
            var query = new DocumentQuery { Filters = [FieldFilter.Eq("status", "open")], SortBy = "at" };
            foreach (var collection in new[] { "first", "second", "third" })
            {
                var plan = Assert.Single(store.Explain(collection, query) ?? []);
                Assert.StartsWith("INDEX RANGE SCAN(q_status__at", plan["index"]["mode"].AsString);
                Assert.Equal(0, (await store.QueryAsync(collection, query)).Total);
            }
        }
        finally
        {
            await host.StopAsync();
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(_directory)) Directory.Delete(_directory, true);
    }
}
