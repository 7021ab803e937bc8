using Marketplace.Contracts.Listing;
using Marketplace.ServiceDefaults.Hosting;
using Marketplace.ServiceDefaults.Messaging;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.TestKit;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Marketplace.ServiceDefaults.Tests;

public sealed class OutboxTests : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "outbox-" + Guid.NewGuid().ToString("N"));
    private IHost _host = null!;

    private sealed class Thing : AggregateRoot
    {
        private Thing() { }
        public Guid Id { get; private set; }
        public int Count { get; private set; }
        public override string StoreId => Id.ToString();

        public static Thing New() => new() { Id = Guid.NewGuid() };

        public void Withdraw()
        {
            Count++;
            Raise(new ListingWithdrawn { ListingId = Id, Version = Version + 1, SubMarket = "changsha", WithdrawnAt = DateTimeOffset.UtcNow });
        }
    }

    public async Task InitializeAsync()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:DataDirectory"] = _directory,
            ["Outbox:PollInterval"] = "00:00:00.200",
            ["Outbox:BatchSize"] = BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        builder.AddAggregates("things", "things", new IndexFields<Thing>());
        builder.AddMarketMessaging();
        builder.Services.AddMassTransitTestHarness();
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        if (Directory.Exists(_directory)) Directory.Delete(_directory, true);
    }

    [Fact]
    public async Task Events_saved_with_an_aggregate_are_published_once_with_the_outbox_id_and_then_cleared()
    {
        var store = _host.Services.GetRequiredService<AggregateStore<Thing>>();
        var harness = _host.Services.GetRequiredService<ITestHarness>();
        var thing = Thing.New();
        thing.Withdraw();
        await store.InsertAsync(thing);

        var raw = await store.Store.GetAsync("things", thing.StoreId);
        var messageId = Assert.Single(raw!.Outbox).Id;

        Assert.True(await harness.Published.Any<ListingWithdrawn>(m => m.Context.Message.ListingId == thing.Id));
        var published = harness.Published.Select<ListingWithdrawn>().Single(m => m.Context.Message.ListingId == thing.Id);
        Assert.Equal(messageId, published.Context.MessageId);
        Assert.Equal(1, published.Context.Message.Version);

        await WaitUntil(async () => (await store.Store.GetAsync("things", thing.StoreId))!.Outbox.Count == 0);
    }

    [Fact]
    public async Task Messages_left_by_a_crash_are_published_by_the_next_sweep()
    {
        // Write a document with a pending message directly, as if the process died before dispatch.
        var store = _host.Services.GetRequiredKeyedService<IDocumentStore>("things");
        var id = Guid.NewGuid();
        var message = Withdrawn(id, 7, "zhuzhou");
        await store.InsertAsync("things", new StoredDocument { Id = id.ToString(), Body = "{}", Outbox = [message] });

        var harness = _host.Services.GetRequiredService<ITestHarness>();
        Assert.True(await harness.Published.Any<ListingWithdrawn>(m => m.Context.MessageId == message.Id));
        Assert.Equal(7, harness.Published.Select<ListingWithdrawn>().Single(m => m.Context.MessageId == message.Id).Context.Message.Version);
    }

    [Fact]
    public async Task A_message_that_cannot_be_read_stays_put_and_does_not_hold_up_other_documents()
    {
        var store = _host.Services.GetRequiredKeyedService<IDocumentStore>("things");
        // ids that sort first, so the unreadable documents come before the good one in a batch
        var poisonId = "0-" + Guid.NewGuid();
        var unknown = new OutboxMessage(Guid.NewGuid(), "Marketplace.Contracts.Listing.ListingRenamedLongAgo", "{}", DateTimeOffset.UtcNow.AddMinutes(-2));
        var damaged = new OutboxMessage(Guid.NewGuid(), typeof(ListingWithdrawn).FullName!, "{\"listingId\":", DateTimeOffset.UtcNow.AddMinutes(-2));
        await store.InsertAsync("things", new StoredDocument { Id = poisonId, Body = "{}", Outbox = [unknown] });
        await store.InsertAsync("things", new StoredDocument { Id = "0-" + Guid.NewGuid(), Body = "{}", Outbox = [damaged] });
        var id = Guid.NewGuid();
        var good = Withdrawn(id, 2, "xiangtan");
        await store.InsertAsync("things", new StoredDocument { Id = id.ToString(), Body = "{}", Outbox = [good] });

        var harness = _host.Services.GetRequiredService<ITestHarness>();
        Assert.True(await harness.Published.Any<ListingWithdrawn>(m => m.Context.MessageId == good.Id));
        await WaitUntil(async () => (await store.GetAsync("things", id.ToString()))!.Outbox.Count == 0);
        Assert.Equal(unknown.Id, Assert.Single((await store.GetAsync("things", poisonId))!.Outbox).Id);
    }

    private const int BatchSize = 5;

    /// <summary>
    /// A batch's worth of documents whose first event this build cannot read used to come back in
    /// every batch: nothing healthy behind them was ever sent and the loop spun. They are parked.
    /// </summary>
    [Fact]
    public async Task A_full_batch_of_unreadable_events_is_parked_and_the_healthy_events_behind_it_go_out()
    {
        var store = _host.Services.GetRequiredKeyedService<IDocumentStore>("things");
        var poisoned = new List<(string Id, Guid MessageId)>();
        for (var i = 0; i < BatchSize + 1; i++)
        {
            var unreadable = new OutboxMessage(Guid.NewGuid(), "Marketplace.Contracts.Listing.ListingRenamedLongAgo", "{}", DateTimeOffset.UtcNow.AddMinutes(-2));
            var id = $"0-{i}-{Guid.NewGuid()}"; // sorts before the healthy document
            await store.InsertAsync("things", new StoredDocument { Id = id, Body = "{}", Outbox = [unreadable] });
            poisoned.Add((id, unreadable.Id));
        }
        var listing = Guid.NewGuid();
        var good = Withdrawn(listing, 2, "xiangtan");
        await store.InsertAsync("things", new StoredDocument { Id = "9-" + listing, Body = "{}", Outbox = [good] });

        var harness = _host.Services.GetRequiredService<ITestHarness>();
        Assert.True(await harness.Published.Any<ListingWithdrawn>(m => m.Context.MessageId == good.Id));
        await WaitUntil(async () => await store.CountParkedOutboxAsync("things") == BatchSize + 1);
        // nothing is lost: each unreadable event is still in its document, for a build that can read it
        foreach (var (id, messageId) in poisoned)
            Assert.Equal(messageId, Assert.Single((await store.GetAsync("things", id))!.Outbox).Id);
        // the healthy event is cleared from its document after it is published, not with it
        await WaitUntil(async () => (await store.GetAsync("things", "9-" + listing))!.Outbox.Count == 0);
        Assert.Empty(await store.FindPendingOutboxAsync("things", 100));

        var monitor = _host.Services.GetRequiredService<OutboxMonitor>();
        await WaitUntil(() => Task.FromResult(monitor.ParkedCount("things") == BatchSize + 1));
        var health = await _host.Services.GetRequiredService<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckService>().CheckHealthAsync();
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Degraded, health.Entries["outbox"].Status);
        Assert.Contains("parked", health.Entries["outbox"].Description);
    }

    [Fact]
    public async Task A_new_build_resumes_parked_outboxes_at_start()
    {
        var store = _host.Services.GetRequiredKeyedService<IDocumentStore>("things");
        var listing = Guid.NewGuid();
        var readable = Withdrawn(listing, 4, "hq");
        // parked by an older build that could not read it (this one can): written while another
        // replica holds the lease, so this dispatcher cannot send it before it is parked
        var harness = _host.Services.GetRequiredService<ITestHarness>();
        var first = Withdrawn(Guid.NewGuid(), 1, "hq"); // once it is out, the dispatcher is past its start
        await store.InsertAsync("things", new StoredDocument { Id = Guid.NewGuid().ToString(), Body = "{}", Outbox = [first] });
        Assert.True(await harness.Published.Any<ListingWithdrawn>(m => m.Context.MessageId == first.Id));
        var mine = new Leases(store, TimeProvider.System, ServiceInstance.Id(_host.Services.GetRequiredService<IConfiguration>()));
        var older = new Leases(store, TimeProvider.System, "older-build");
        await WaitUntil(async () =>
        {
            await mine.ReleaseAsync("outbox:things");
            return await older.TryAcquireAsync("outbox:things", TimeSpan.FromSeconds(30));
        });
        await store.InsertAsync("things", new StoredDocument { Id = listing.ToString(), Body = "{}", Outbox = [readable] });
        await store.ParkOutboxAsync("things", listing.ToString(), readable.Id);
        await older.ReleaseAsync("outbox:things");
        await Task.Delay(TimeSpan.FromMilliseconds(600)); // three polls: parked, it is not sent
        Assert.DoesNotContain(harness.Published.Select<ListingWithdrawn>(), m => m.Context.MessageId == readable.Id);

        await _host.StopAsync();
        _host.Dispose();
        await InitializeAsync(); // the next build starts on the same data
        var restarted = _host.Services.GetRequiredService<ITestHarness>();
        Assert.True(await restarted.Published.Any<ListingWithdrawn>(m => m.Context.MessageId == readable.Id));
    }

    [Fact]
    public async Task While_another_replica_holds_the_outbox_lease_this_one_publishes_nothing()
    {
        var store = _host.Services.GetRequiredKeyedService<IDocumentStore>("things");
        var other = new Leases(store, TimeProvider.System, "another-replica");
        // this replica's dispatcher holds the lease and renews it at every pass: let it go and have
        // the other replica take it (it would renew it while alive); this one must then wait
        var mine = new Leases(store, TimeProvider.System, ServiceInstance.Id(_host.Services.GetRequiredService<IConfiguration>()));
        var lease = TimeSpan.FromSeconds(5);
        await WaitUntil(async () =>
        {
            await mine.ReleaseAsync("outbox:things");
            return await other.TryAcquireAsync("outbox:things", lease);
        });
        // the other replica renews its lease while it is alive, as a dispatcher does at every pass: however slow this
        // machine is, the lease does not run out while the test looks (it did, on a loaded CI machine, when it was
        // taken once for 3 s)
        using var alive = new CancellationTokenSource();
        var renewing = Task.Run(async () =>
        {
            while (!alive.IsCancellationRequested)
            {
                Assert.True(await other.TryAcquireAsync("outbox:things", lease), "the other replica lost its own lease");
                try { await Task.Delay(TimeSpan.FromMilliseconds(250), alive.Token); }
                catch (OperationCanceledException) { return; }
            }
        });
        // a pass this replica began while it still held the lease may finish (delivery is at least once, the lease
        // only spares the work): let such a pass end before the message is written
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        var id = Guid.NewGuid();
        var message = Withdrawn(id, 3, "hq");
        await store.InsertAsync("things", new StoredDocument { Id = id.ToString(), Body = "{}", Outbox = [message] });

        await Task.Delay(TimeSpan.FromSeconds(1));
        var harness = _host.Services.GetRequiredService<ITestHarness>();
        Assert.DoesNotContain(harness.Published.Select<ListingWithdrawn>(), m => m.Context.MessageId == message.Id);
        Assert.Single((await store.GetAsync("things", id.ToString()))!.Outbox);

        // the other replica stops renewing: once its lease runs out, this one takes over
        await alive.CancelAsync();
        await renewing;
        await WaitUntil(() => Task.FromResult(harness.Published.Select<ListingWithdrawn>().Any(m => m.Context.MessageId == message.Id)));
    }

    [Fact]
    public async Task The_test_probes_inbox_lets_one_of_two_deliveries_through()
    {
        var inbox = new Inbox(_host.Services.GetRequiredKeyedService<IDocumentStore>("things"));
        var id = Guid.NewGuid();
        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => inbox.TryRecordAsync("counter", id)));
        Assert.Equal(1, results.Count(r => r));
        Assert.True(await inbox.TryRecordAsync("another-consumer", id));
    }

    /// <summary>A ListingWithdrawn waiting in an outbox as a process would have written it.</summary>
    private static OutboxMessage Withdrawn(Guid listing, int version, string subMarket) =>
        new(Guid.NewGuid(), typeof(ListingWithdrawn).FullName!,
            $"{{\"listingId\":\"{listing}\",\"version\":{version},\"subMarket\":\"{subMarket}\",\"withdrawnAt\":\"2026-11-28T00:00:00+00:00\"}}", DateTimeOffset.UtcNow);

    private static async Task WaitUntil(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(50);
        }
    }
}
