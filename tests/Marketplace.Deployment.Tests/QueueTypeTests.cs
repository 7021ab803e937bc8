using System.Text.Json;
using System.Text.Json.Nodes;
using Marketplace.ServiceDefaults.Messaging;
using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marketplace.Deployment.Tests;

/// <summary>
/// The queue types the services declare, read from the bus topology MassTransit builds (no broker needed):
/// a three-node RabbitMQ cluster keeps shared queues as quorum queues, which survive the loss of a node.
/// </summary>
public sealed class QueueTypeTests
{
    private const string ReplicaQueue = "replica-pod-1";

    /// <summary>Each receive endpoint's queue name and queue arguments.</summary>
    private static Dictionary<string, JsonObject> Queues(string? quorumQueues)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Messaging:Transport"] = "RabbitMq",
            ["Messaging:QuorumQueues"] = quorumQueues,
        });
        builder.Services.AddMarketConsumers(x =>
        {
            x.AddConsumer<SharedConsumer>();
            x.AddConsumer<ReplicaConsumer>().Endpoint(e => e.Name = ReplicaQueue);
        });
        builder.Services.ExpireIdleQueue(ReplicaQueue, TimeSpan.FromHours(1));
        builder.AddMarketMessaging();
        using var host = builder.Build();
        var probe = JsonSerializer.SerializeToNode(host.Services.GetRequiredService<IBusControl>().GetProbeResult().Results)!;
        return probe["bus"]!["host"]!["receiveEndpoint"]!.AsArray()
            .Select(e => e!["receiveTransport"]!)
            .ToDictionary(t => (string)t["queueName"]!, t => t["queueArguments"]!.AsObject());
    }

    private static string? QueueType(JsonObject arguments) => arguments["x-queue-type"]?.GetValue<string>();

    [Fact]
    public void Shared_queues_are_quorum_queues_when_the_cluster_asks_for_them()
    {
        var queues = Queues("true");
        Assert.Equal("quorum", QueueType(queues["shared"]));
        // a replica's own queue expires when its replica is gone: a quorum queue replicated over three
        // nodes would be wasted on it; the bus's temporary queue is deleted with its connection
        Assert.Null(QueueType(queues[ReplicaQueue]));
        Assert.Equal(3_600_000, queues[ReplicaQueue]["x-expires"]!.GetValue<long>());
        Assert.All(queues.Where(q => q.Key is not "shared" and not ReplicaQueue), q => Assert.Null(QueueType(q.Value)));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("false")]
    public void Queues_stay_classic_on_the_single_node_test_broker(string? quorumQueues)
    {
        Assert.All(Queues(quorumQueues), q => Assert.Null(QueueType(q.Value)));
    }

    public sealed record Ping;

    public sealed class SharedConsumer : IConsumer<Ping>
    {
        public Task Consume(ConsumeContext<Ping> context) => Task.CompletedTask;
    }

    public sealed class ReplicaConsumer : IConsumer<Ping>
    {
        public Task Consume(ConsumeContext<Ping> context) => Task.CompletedTask;
    }
}
