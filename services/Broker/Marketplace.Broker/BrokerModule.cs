using Marketplace.Broker.Brokers;
using Marketplace.Broker.Deals;
using Marketplace.Broker.Demo;
using Marketplace.Broker.Leads;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Broker;

/// <summary>The broker service as a module: hosted alone by Marketplace.Broker.Api, or inside the gateway in embedded mode.</summary>
public static class BrokerModule
{
    public const string StoreKey = "broker";

    private static readonly (string Collection, string[] Fields)[] Indexes =
    [
        ("brokers", ["status", "subMarket", "level", "createdKey"]),
        ("leads", ["status", "subMarket", "brokerId", "expiresAt", "createdKey"]),
        ("deals", ["brokerId", "brokerSubject", "subMarket", "stage", "open", "updatedAt", "createdKey"]),
    ];

    public static IHostApplicationBuilder AddBroker(this IHostApplicationBuilder builder)
    {
        builder.AddDocumentStore(StoreKey);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.Configure<BrokerOptions>(builder.Configuration.GetSection("Broker"));
        builder.Services.AddSingleton(sp => Store<Brokers.Broker>(sp, "brokers", b => new Dictionary<string, string>
        {
            ["status"] = WireCode.Of(b.Status),
            ["subMarket"] = b.SubMarket,
            ["level"] = WireCode.Of(b.Profile.Level),
            ["createdKey"] = IndexFormat.Time(b.CreatedAt) + "|" + b.Id.ToString("N"),
        }));
        builder.Services.AddSingleton(sp => Store<Lead>(sp, "leads", l => new Dictionary<string, string>
        {
            ["status"] = WireCode.Of(l.Status),
            ["subMarket"] = l.SubMarket,
            ["brokerId"] = l.BrokerId?.ToString() ?? "",
            ["expiresAt"] = IndexFormat.Time(l.ExpiresAt ?? DateTimeOffset.MaxValue),
            ["createdKey"] = IndexFormat.Time(l.CreatedAt) + "|" + l.Id.ToString("N"),
        }));
        builder.Services.AddSingleton(sp => Store<Deal>(sp, "deals", d => new Dictionary<string, string>
        {
            ["brokerId"] = d.BrokerId.ToString(),
            ["brokerSubject"] = d.BrokerSubject,
            ["subMarket"] = d.SubMarket,
            ["stage"] = WireCode.Of(d.Stage),
            ["open"] = d.IsOpen ? "true" : "false",
            ["updatedAt"] = IndexFormat.Time(d.UpdatedAt),
            ["createdKey"] = IndexFormat.Time(d.OpenedAt) + "|" + d.Id.ToString("N"),
        }));
        builder.Services.AddSingleton<BrokerStores>();
        builder.Services.AddSingleton<LeadRouter>();
        builder.Services.AddSingleton<LeadSweep>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LeadSweep>());
        builder.Services.AddHostedService<BrokerStoreSetup>();
        if (builder.Configuration.GetValue<bool?>("Demo:Seed") ?? false)
            builder.Services.AddHostedService<BrokerDemoSeeder>();
        foreach (var (collection, _) in Indexes) builder.Services.AddOutboxSource(StoreKey, collection);
        builder.Services.AddMarketConsumers(x =>
        {
            x.AddConsumer<MatchSuggestedConsumer>().Endpoint(e => e.Name = "broker-match-suggested");
            x.AddConsumer<LeadAcceptedConsumer>().Endpoint(e => e.Name = "broker-lead-accepted");
            x.AddConsumer<ContractRegisteredConsumer>().Endpoint(e => e.Name = "broker-contract-registered");
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapBroker(this IEndpointRouteBuilder app)
    {
        app.MapBrokerEndpoints();
        app.MapLeadEndpoints();
        app.MapDealEndpoints();
        return app;
    }

    private static AggregateStore<T> Store<T>(IServiceProvider sp, string collection, Func<T, IReadOnlyDictionary<string, string>> fields) where T : AggregateRoot =>
        new(sp.GetRequiredKeyedService<IDocumentStore>(StoreKey), collection, fields, sp.GetRequiredService<OutboxSignal>(), sp.GetRequiredService<TimeProvider>());

    private sealed class BrokerStoreSetup([FromKeyedServices(StoreKey)] IDocumentStore store) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            foreach (var (collection, fields) in Indexes) await store.EnsureIndexesAsync(collection, fields, cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
