using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Marketplace.ServiceDefaults.Messaging;

public sealed class MessagingOptions
{
    /// <summary><c>InMemory</c> (embedded mode) or <c>RabbitMq</c> (distributed). API tests replace the bus with MassTransit's test harness themselves.</summary>
    public string Transport { get; set; } = "InMemory";

    /// <summary>amqp://user:password@host:port/vhost</summary>
    public string RabbitMqUri { get; set; } = "amqp://guest:guest@127.0.0.1:5672/";

    /// <summary>Retries of a failing consumer before the message goes to its <c>_error</c> queue.</summary>
    public int RetryLimit { get; set; } = 5;

    /// <summary>
    /// Declares the services' shared queues as quorum queues, replicated over the RabbitMQ cluster so
    /// that they survive the loss of a node (the Kubernetes manifests set it; a single-node broker
    /// gains nothing from it). A queue's type is fixed when it is declared: switching an existing
    /// broker means deleting its classic queues once (docs/deploy.md).
    /// </summary>
    public bool QuorumQueues { get; set; }
}

/// <summary>Consumer registrations collected from every module hosted in this process.</summary>
public sealed class ConsumerRegistrations
{
    internal List<Action<IBusRegistrationConfigurator>> Actions { get; } = [];

    /// <summary>Queues RabbitMQ deletes after they have had no consumer for a while (per-replica queues).</summary>
    internal Dictionary<string, TimeSpan> IdleExpiries { get; } = [];
}

public static class MessagingExtensions
{
    /// <summary>Lets a module add its consumers; the bus itself is configured once by the host.</summary>
    public static IServiceCollection AddMarketConsumers(this IServiceCollection services, Action<IBusRegistrationConfigurator> register)
    {
        Registrations(services).Actions.Add(register);
        return services;
    }

    /// <summary>
    /// A queue of one replica's own (e.g. <c>matching-&lt;instance&gt;</c>): RabbitMQ deletes it once
    /// it has had no consumer for <paramref name="idle"/>, so replicas that are gone for good leave
    /// no queue filling up behind them. A replica back within that time finds its queue and backlog.
    /// </summary>
    public static IServiceCollection ExpireIdleQueue(this IServiceCollection services, string endpointName, TimeSpan idle)
    {
        Registrations(services).IdleExpiries[endpointName] = idle;
        return services;
    }

    /// <summary>An outbox collection the dispatcher of this process must drain.</summary>
    public static IServiceCollection AddOutboxSource(this IServiceCollection services, string storeKey, string collection)
    {
        services.AddSingleton(new OutboxSource(storeKey, collection));
        return services;
    }

    /// <summary>
    /// Configures MassTransit once per process, on the transport named by <c>Messaging:Transport</c>,
    /// with retry then <c>_error</c> queues for every consumer, and the outbox dispatcher.
    /// </summary>
    public static IHostApplicationBuilder AddMarketMessaging(this IHostApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Messaging");
        builder.Services.Configure<MessagingOptions>(section);
        builder.Services.Configure<OutboxOptions>(builder.Configuration.GetSection("Outbox"));
        var options = section.Get<MessagingOptions>() ?? new MessagingOptions();
        var registrations = Registrations(builder.Services);

        builder.Services.TryAddSingleton<OutboxSignal>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<OutboxMonitor>();
        builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            "outbox", sp => sp.GetRequiredService<OutboxMonitor>(), Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, ["ready"]));
        builder.Services.AddHostedService<OutboxDispatcher>();

        void Configure(IBusRegistrationConfigurator x)
        {
            x.SetKebabCaseEndpointNameFormatter();
            // A broker outage degrades a service but does not take it out of the load balancer:
            // writes keep landing in the outbox and reads keep being answered; the dispatcher and
            // the consumers reconnect when the broker is back.
            x.ConfigureHealthCheckOptions(o => o.MinimalFailureStatus = Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded);
            foreach (var register in registrations.Actions) register(x);
            x.AddConfigureEndpointsCallback((_, name, endpoint) =>
            {
                endpoint.UseMessageRetry(r => r.Exponential(options.RetryLimit, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(400)));
                if (endpoint is not IRabbitMqReceiveEndpointConfigurator rabbit) return;
                // a replica's own queue stays classic: it goes when its replica goes, and replicating
                // it over the cluster would buy nothing
                if (registrations.IdleExpiries.TryGetValue(name, out var idle))
                    rabbit.SetQueueArgument("x-expires", (long)idle.TotalMilliseconds);
                else if (options.QuorumQueues)
                    rabbit.SetQuorumQueue();
            });

            switch (options.Transport.ToLowerInvariant())
            {
                case "rabbitmq":
                    x.UsingRabbitMq((context, cfg) =>
                    {
                        cfg.Host(new Uri(options.RabbitMqUri));
                        cfg.ConfigureEndpoints(context);
                    });
                    break;
                case "inmemory":
                    x.UsingInMemory((context, cfg) => cfg.ConfigureEndpoints(context));
                    break;
                default:
                    throw new InvalidOperationException($"Messaging:Transport '{options.Transport}' is not one of InMemory, RabbitMq.");
            }
        }

        builder.Services.AddMassTransit(Configure);
        return builder;
    }

    private static ConsumerRegistrations Registrations(IServiceCollection services)
    {
        var existing = services.FirstOrDefault(d => d.ServiceType == typeof(ConsumerRegistrations))?.ImplementationInstance;
        if (existing is ConsumerRegistrations found) return found;
        var created = new ConsumerRegistrations();
        services.AddSingleton(created);
        return created;
    }
}
