using Marketplace.ServiceDefaults.Hosting;
using Marketplace.ServiceDefaults.Storage;
using Marketplace.TestKit;
using Microsoft.Extensions.Configuration;

namespace Marketplace.ServiceDefaults.Tests;

public sealed class LeaseTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "leases-" + Guid.NewGuid().ToString("N") + ".db");
    private readonly LiteDbDocumentStore _store;
    private readonly TestClock _clock = new();

    public LeaseTests() => _store = new LiteDbDocumentStore(_path);

    public void Dispose()
    {
        _store.Dispose();
        File.Delete(_path);
    }

    [Fact]
    public async Task One_replica_holds_a_lease_until_it_runs_out_or_is_released()
    {
        var a = new Leases(_store, _clock, "replica-a");
        var b = new Leases(_store, _clock, "replica-b");
        Assert.True(await a.TryAcquireAsync("sweep", TimeSpan.FromSeconds(30)));
        Assert.False(await b.TryAcquireAsync("sweep", TimeSpan.FromSeconds(30)));
        Assert.True(await b.TryAcquireAsync("another-job", TimeSpan.FromSeconds(30)));

        _clock.Now += TimeSpan.FromSeconds(20);
        Assert.True(await a.TryAcquireAsync("sweep", TimeSpan.FromSeconds(30)));   // renewed until +50 s
        _clock.Now += TimeSpan.FromSeconds(20);
        Assert.False(await b.TryAcquireAsync("sweep", TimeSpan.FromSeconds(30)));  // +40 s: still a's
        _clock.Now += TimeSpan.FromSeconds(11);
        Assert.True(await b.TryAcquireAsync("sweep", TimeSpan.FromSeconds(30)));   // +51 s: a stopped renewing
        Assert.False(await a.TryAcquireAsync("sweep", TimeSpan.FromSeconds(30)));

        await a.ReleaseAsync("sweep");                                                // not a's to release
        Assert.False(await a.TryAcquireAsync("sweep", TimeSpan.FromSeconds(30)));
        await b.ReleaseAsync("sweep");
        Assert.True(await a.TryAcquireAsync("sweep", TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Of_replicas_reaching_for_a_free_lease_at_once_exactly_one_gets_it()
    {
        for (var round = 0; round < 5; round++)
        {
            var name = "job-" + round;
            var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => new Leases(_store, _clock, "replica-" + i).TryAcquireAsync(name, TimeSpan.FromMinutes(1)))));
            Assert.Equal(1, results.Count(r => r));
        }
    }

    [Fact]
    public void A_restarted_process_is_the_same_instance_and_another_data_folder_is_another()
    {
        static Microsoft.Extensions.Configuration.IConfiguration Config(string? dir, string? id = null) =>
            new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:DataDirectory"] = dir, ["Instance:Id"] = id,
            }).Build();
        Assert.Equal(ServiceInstance.Id(Config("/srv/a")), ServiceInstance.Id(Config("/srv/a")));
        Assert.NotEqual(ServiceInstance.Id(Config("/srv/a")), ServiceInstance.Id(Config("/srv/b")));
        Assert.Equal("pod-7", ServiceInstance.Id(Config("/srv/a", "pod-7")));
    }
}
