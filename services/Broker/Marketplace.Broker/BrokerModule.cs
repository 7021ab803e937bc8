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
using Microsoft.Extensions.Hosting;

namespace Marketplace.Broker;

/// <summary>A demo broker account, for the gateway's demo seeder: it creates the account, this module the broker's active profile.</summary>
public sealed record DemoBrokerAccount(string Username, string Name, string OrganisationId, string OrganisationName, string SubMarket);

/// <summary>The broker service as a module: hosted alone by Marketplace.Broker.Api, or inside the gateway in embedded mode.</summary>
public static class BrokerModule
{
    public const string StoreKey = "broker";

    /// <summary>The demo brokers (a few per sub-market) whose accounts the gateway seeds and whose profiles this module seeds.</summary>
    public static IReadOnlyList<DemoBrokerAccount> DemoAccounts { get; } =
        BrokerDemoData.Brokers.Select(b => new DemoBrokerAccount(b.Username, b.Name, b.OrgId, b.OrgName, b.SubMarket)).ToList();

    public static IHostApplicationBuilder AddBroker(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<BrokerOptions>(builder.Configuration.GetSection("Broker"));
        builder.Services.Configure<Brokers.BrokerTargetOptions>(builder.Configuration.GetSection("Broker:Target"));
        builder.Services.AddSingleton<Brokers.BrokerGrowthModel>();
        builder.AddAggregates(StoreKey, "brokers", new IndexFields<Brokers.Broker>
        {
            { "status", b => WireCode.Of(b.Status) },
            { "subMarket", b => b.SubMarket },
            { "level", b => WireCode.Of(b.Profile.Level) },
            { "createdKey", b => IndexFormat.TimeKey(b.CreatedAt, b.Id) },
            // the directory and the review queue: a status, of a sub-market, a level checked as the index is read
            new IndexShape(["status"], "createdKey") { Checked = ["level"] },
            new IndexShape(["status", "subMarket"], "createdKey") { Checked = ["level"] },
        });
        builder.AddAggregates(StoreKey, "leads", new IndexFields<Lead>
        {
            { "status", l => WireCode.Of(l.Status) },
            { "subMarket", l => l.SubMarket },
            { "brokerId", l => l.BrokerId?.ToString() ?? "" },
            { "expiresAt", l => IndexFormat.Time(l.ExpiresAt ?? DateTimeOffset.MaxValue) },
            { "createdKey", l => IndexFormat.TimeKey(l.CreatedAt, l.Id) },
            // a broker's offered leads (and how many wait), the operators' pool, the expiry sweep
            new IndexShape(["brokerId", "status"], "createdKey"),
            new IndexShape(["status"], "createdKey"),
            new IndexShape(["status", "subMarket"], "createdKey"),
            new IndexShape(["status"], "expiresAt"),
        });
        builder.AddAggregates(StoreKey, "deals", new IndexFields<Deal>
        {
            { "brokerId", d => d.BrokerId?.ToString() ?? "" },
            { "brokerSubject", d => d.BrokerSubject ?? "" },
            { "partyA", d => d.Parties.Count > 0 ? d.Parties[0].Id : "" },
            { "partyB", d => d.Parties.Count > 1 ? d.Parties[1].Id : "" },
            { "subMarket", d => d.SubMarket },
            { "stage", d => WireCode.Of(d.Stage) },
            { "open", d => d.IsOpen ? "true" : "false" },
            { "updatedAt", d => IndexFormat.Time(d.UpdatedAt) },
            { "createdKey", d => IndexFormat.TimeKey(d.OpenedAt, d.Id) },
            // the boards, last changed first: a party's (either side), a broker's, a sub-market's, a stage's
            new IndexShape(["partyA"], "updatedAt") { Checked = ["subMarket", "stage"] },
            new IndexShape(["partyB"], "updatedAt") { Checked = ["subMarket", "stage"] },
            new IndexShape(["brokerSubject"], "updatedAt") { Checked = ["subMarket", "stage"] },
            new IndexShape(["subMarket"], "updatedAt") { Checked = ["stage"] },
            new IndexShape(["stage"], "updatedAt"),
            // a broker's deals, and how many are open
            new IndexShape(["brokerId"], "createdKey"),
            new IndexShape(["brokerId", "open"]),
        });
        // who owns each listing, read by id only
        builder.AddAggregates(StoreKey, ListingOwner.Collection, new IndexFields<ListingOwner>(), outbox: false);
        // the registered contracts heard of, read by registration number only
        builder.AddAggregates(StoreKey, KnownContract.Collection, new IndexFields<KnownContract>(), outbox: false);
        builder.Services.AddSingleton<BrokerService>();
        builder.Services.AddSingleton<ContractLinks>();
        builder.Services.AddSingleton<Brokers.BrokerDirectory>();
        builder.Services.AddSingleton<BrokerRouter>();
        builder.Services.AddSingleton<LeadRouter>();
        builder.Services.AddSingleton<LeadSweep>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<LeadSweep>());
        if (builder.Configuration.GetValue<bool?>("Demo:Seed") ?? false)
            builder.Services.AddHostedService<BrokerDemoSeeder>();
        builder.Services.AddMarketConsumers(x =>
        {
            x.AddConsumer<MatchSuggestedConsumer>().Endpoint(e => e.Name = "broker-match-suggested");
            x.AddConsumer<LeadAcceptedConsumer>().Endpoint(e => e.Name = "broker-lead-accepted");
            x.AddConsumer<ContractRegisteredConsumer>().Endpoint(e => e.Name = "broker-contract-registered");
            x.AddConsumer<ListingOwnersConsumer>().Endpoint(e => e.Name = "broker-listing-owners");
            x.AddConsumer<InterestAcceptedConsumer>().Endpoint(e => e.Name = "broker-interest-accepted");
        });
        return builder;
    }

    public static IEndpointRouteBuilder MapBroker(this IEndpointRouteBuilder app)
    {
        app.MapBrokerEndpoints();
        app.MapBrokerGrowth();
        app.MapLeadEndpoints();
        app.MapDealEndpoints();
        return app;
    }
}
