using Marketplace.Registration.Contracts;
using Marketplace.Registration.Rules;
using Marketplace.ServiceDefaults.Json;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.ServiceDefaults.Storage;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Marketplace.Registration;

/// <summary>The contract-registration service as a module: hosted alone by Marketplace.Registration.Api, or inside the gateway in embedded mode.</summary>
public static class RegistrationModule
{
    public const string StoreKey = "registration";
    public const string Collection = "contracts";

    private static readonly string[] IndexedFields = ["status", "registrationPoint", "ownerOrg", "registrationNumber", "registeredAt", "decisionDue", "updatedAt"];

    public static IHostApplicationBuilder AddRegistration(this IHostApplicationBuilder builder)
    {
        builder.AddDocumentStore(StoreKey);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.Configure<RegistrationOptions>(builder.Configuration.GetSection("Registration"));
        builder.Services.Configure<Rules2026Options>(builder.Configuration.GetSection("Registration:Rules2026"));
        builder.Services.AddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<RegistrationOptions>>().Value;
            return new RulesEngine([new Rules2001(), new Rules2026(sp.GetRequiredService<IOptions<Rules2026Options>>().Value)],
                new WorkingCalendar(options.Holidays, options.WorkingWeekends));
        });
        builder.Services.AddSingleton(sp => new AggregateStore<ContractApplication>(
            sp.GetRequiredKeyedService<IDocumentStore>(StoreKey), Collection, IndexFields,
            sp.GetRequiredService<OutboxSignal>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(sp => new RegistrationNumbers(sp.GetRequiredKeyedService<IDocumentStore>(StoreKey), sp.GetRequiredService<IOptions<RegistrationOptions>>()));
        builder.Services.AddSingleton<RegistrationService>();
        builder.Services.AddSingleton<CertificateSigner>();
        builder.Services.AddHostedService<RegistrationStoreSetup>();
        builder.Services.AddOutboxSource(StoreKey, Collection);
        return builder;
    }

    public static IEndpointRouteBuilder MapRegistration(this IEndpointRouteBuilder app)
    {
        app.MapContractEndpoints();
        app.MapVerificationEndpoints();
        app.MapTurnoverStats();
        return app;
    }

    private static IReadOnlyDictionary<string, string> IndexFields(ContractApplication a) => new Dictionary<string, string>
    {
        ["status"] = WireCode.Of(a.Status),
        ["registrationPoint"] = a.RegistrationPoint,
        ["ownerOrg"] = a.OwnerOrg,
        ["registrationNumber"] = a.RegistrationNumber ?? "",
        ["registeredAt"] = a.RegisteredAt is { } at ? IndexFormat.Time(at) : "",
        ["decisionDue"] = a.Decision?.DecisionDue?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) ?? "9999-12-31",
        ["updatedAt"] = IndexFormat.Time(a.UpdatedAt),
    };

    private sealed class RegistrationStoreSetup([FromKeyedServices(StoreKey)] IDocumentStore store, CertificateSigner signer) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            _ = signer.KeyId; // load (or create) the signing key at start, not on the first certificate
            await store.EnsureIndexesAsync(Collection, IndexedFields, cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
