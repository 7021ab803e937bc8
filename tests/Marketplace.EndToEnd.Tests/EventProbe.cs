using System.Collections.Concurrent;
using Marketplace.Contracts.Broker;
using Marketplace.Contracts.Listing;
using Marketplace.Contracts.Matching;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.TestKit;
using MassTransit;

namespace Marketplace.EndToEnd.Tests;

/// <summary>
/// A consumer on the real broker, on a queue of its own bound to ListingPublished. It counts
/// every delivery, and counts the effect only the first time a message id is seen (the inbox),
/// as an idempotent consumer of the market does.
/// </summary>
public sealed class EventProbe : IAsyncDisposable
{
    private readonly IBusControl _bus;
    private readonly LiteDbDocumentStore _store;
    private readonly Inbox _inbox;

    public ConcurrentDictionary<Guid, int> Deliveries { get; } = new();
    public ConcurrentDictionary<Guid, int> Effects { get; } = new();
    public ConcurrentBag<MatchSuggested> Suggestions { get; } = [];

    /// <summary>Introduction events and deal stage changes as they went by, with their message ids (to replay them).</summary>
    public ConcurrentQueue<(object Message, Guid MessageId)> Captured { get; } = new();

    private EventProbe(string rabbitUri, string directory)
    {
        _store = new LiteDbDocumentStore(Path.Combine(directory, "probe.db"));
        _inbox = new Inbox(_store);
        _bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(rabbitUri));
            cfg.ReceiveEndpoint("e2e-probe-" + Guid.NewGuid().ToString("N"), e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                e.Handler<ListingPublished>(async context =>
                {
                    var id = context.Message.Listing.Id;
                    Deliveries.AddOrUpdate(id, 1, (_, n) => n + 1);
                    if (await _inbox.TryRecordAsync("e2e-probe", context.MessageId!.Value))
                        Effects.AddOrUpdate(id, 1, (_, n) => n + 1);
                });
                e.Handler<MatchSuggested>(context =>
                {
                    Suggestions.Add(context.Message);
                    return Task.CompletedTask;
                });
                e.Handler<InterestExpressed>(context => Capture(context));
                e.Handler<InterestAccepted>(context => Capture(context));
                e.Handler<DealStageChanged>(context => Capture(context));
            });
        });
    }

    public static async Task<EventProbe> StartAsync(string rabbitUri, string directory)
    {
        var probe = new EventProbe(rabbitUri, directory);
        await probe._bus.StartAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        return probe;
    }

    public async Task WaitForAsync(IEnumerable<Guid> ids, TimeSpan timeout)
    {
        var wanted = ids.ToList();
        var deadline = DateTime.UtcNow + timeout;
        while (wanted.Any(id => !Effects.ContainsKey(id)))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"ListingPublished never arrived for {wanted.Count(id => !Effects.ContainsKey(id))} of {wanted.Count} listings.");
            await Task.Delay(100);
        }
    }

    private Task Capture<T>(ConsumeContext<T> context) where T : class
    {
        Captured.Enqueue((context.Message, context.MessageId!.Value));
        return Task.CompletedTask;
    }

    /// <summary>Publishes a message again with the id it had: a redelivery, as a publisher that crashed before marking it sent would make.</summary>
    public Task RepublishAsync(object message, Guid messageId) => _bus.Publish(message, message.GetType(), context => context.MessageId = messageId);

    /// <summary>Publishes an event on the real broker, as the service that owns it would.</summary>
    public Task PublishAsync<T>(T message) where T : class => _bus.Publish(message);

    public async ValueTask DisposeAsync()
    {
        await _bus.StopAsync();
        _store.Dispose();
    }
}
