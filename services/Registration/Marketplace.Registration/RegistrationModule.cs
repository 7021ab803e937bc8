using System.Globalization;
using Marketplace.Registration.Applications;
using Marketplace.Registration.Calendar;
using Marketplace.Registration.Certificates;
using Marketplace.Registration.Deals;
using Marketplace.Registration.Rules;
using Marketplace.Registration.Statistics;
using Marketplace.Registration.Verification;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.ServiceDefaults.Storage.Files;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Marketplace.Registration;

/// <summary>The contract-registration service as a module: hosted alone by Marketplace.Registration.Api, or inside the gateway in embedded mode.</summary>
public static class RegistrationModule
{
    public const string StoreKey = "registration";
    public const string Collection = "contracts";

    public static IHostApplicationBuilder AddRegistration(this IHostApplicationBuilder builder)
    {
        // the calendar moved from configuration to the store: a deployment that still sets it would count deadlines
        // on a calendar it no longer configures, so it is told at start rather than ignored
        foreach (var removed in new[] { "Registration:Holidays", "Registration:WorkingWeekends" })
        {
            if (builder.Configuration.GetSection(removed).GetChildren().Any() || builder.Configuration[removed] is { Length: > 0 })
                throw new InvalidOperationException($"{removed} is no longer read: load the year's holidays and working days through "
                    + "PUT /api/working-calendar/{year} (admin), as docs/architecture.md describes, and remove the setting.");
        }
        builder.AddAggregates(StoreKey, Collection, new IndexFields<ContractApplication>
        {
            { "status", a => WireCode.Of(a.Status) },
            { "registrationPoint", a => a.RegistrationPoint },
            { "ownerOrg", a => a.OwnerOrg },
            { "registrationNumber", a => a.RegistrationNumber ?? "" },
            { "registeredAt", a => a.RegisteredAt is { } at ? IndexFormat.Time(at) : "" },
            // undecided applications without a deadline sort last in the queue
            { "decisionDue", a => a.Decision?.DecisionDue?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "9999-12-31" },
            { "updatedAt", a => IndexFormat.Time(a.UpdatedAt) },
            // a registrar's queue: the point's applications in a status, the nearest deadline first
            new IndexShape(["registrationPoint", "status"], "decisionDue"),
            // an applicant's own applications (few: a status is checked as the index is read)
            new IndexShape(["ownerOrg"], "updatedAt") { Checked = ["status"] },
            // the registered contracts, for statistics
            new IndexShape(["status"], "registeredAt"),
        }, outbox: true);
        builder.AddFileStore(StoreKey);
        // what registration knows of deals and listings, read by id only
        builder.AddAggregates(StoreKey, DealParties.DealsCollection, new IndexFields<KnownDeal>(), outbox: false);
        builder.AddAggregates(StoreKey, DealParties.OwnersCollection, new IndexFields<ListingOwner>(), outbox: false);
        builder.Services.AddSingleton<DealParties>();
        builder.Services.AddSingleton<Statistics.TurnoverReadModel>();
        builder.Services.AddMarketConsumers(x => x.AddConsumer<DealPartiesConsumer>().Endpoint(e => e.Name = "registration-deal-parties"));
        // the number counters (RegistrationNumbers.Collection) are read and written by id only: no index to ensure
        builder.Services.Configure<RegistrationOptions>(builder.Configuration.GetSection("Registration"));
        builder.Services.Configure<Rules2026Options>(builder.Configuration.GetSection("Registration:Rules2026"));
        builder.Services.AddSingleton(sp =>
            new RulesEngine([new Rules2001(), new Rules2026(sp.GetRequiredService<IOptions<Rules2026Options>>().Value)]));
        // the official working-day calendar, a year per document, with an outbox for the "year missing" notice
        builder.AddAggregates(StoreKey, WorkingCalendars.Collection, new IndexFields<CalendarYear>
        {
            { "loaded", y => y.Loaded ? "true" : "false" },
            { "year", y => CalendarYear.Id(y.Year) },
            new IndexShape(["loaded"]),
        }, outbox: true);
        builder.Services.AddSingleton<WorkingCalendars>();
        builder.Services.AddHostedService<CalendarSeed>();
        builder.Services.AddSingleton(sp => new RegistrationNumbers(sp.GetRequiredKeyedService<IDocumentStore>(StoreKey), sp.GetRequiredService<IOptions<RegistrationOptions>>()));
        builder.Services.AddSingleton<RegistrationService>();
        builder.Services.AddSingleton<CertificateSigner>();
        builder.Services.AddHostedService<SigningKeyAtStart>();
        return builder;
    }

    public static IEndpointRouteBuilder MapRegistration(this IEndpointRouteBuilder app)
    {
        app.MapContractEndpoints();
        app.MapContractDocumentEndpoints();
        app.MapCertificateEndpoints();
        app.MapVerificationEndpoints();
        app.MapTurnoverStats();
        app.MapCalendarEndpoints();
        return app;
    }
}
