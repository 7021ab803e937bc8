using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Marketplace.Contracts.Listing;
using MassTransit;

namespace Marketplace.Benchmarks;

/// <summary>
/// Issue 16, goal 4, the distributed half: publish → searchable over RabbitMQ at a steady rate (goal: p99 &lt; 500 ms at
/// 200 a second). The built matching host runs as its own process on RabbitMQ, as production runs it (a fresh data
/// folder, its own queue); the benchmark stands in for the listing service: it answers the host's start-up request for
/// snapshots (an empty market), then publishes <c>ListingPublished</c> at <c>--rate</c> a second for <c>--seconds</c>,
/// each the event of a listing approved by the listing module's own rules (<see cref="ListingSeed.PublishedEvent"/>),
/// as the listing service's outbox dispatcher publishes an approval. Search's total is polled every 50 ms (a search with its facets costs the host some milliseconds: polled faster, the measure would load what it measures): the k-th
/// listing counts as searchable when the total first reaches k, and its latency is that time less the k-th
/// publication's. Events are consumed concurrently, so this pairs order statistics rather than identities; the
/// percentiles of the pairs are how far searchability trails publication. Two hosts are measured one after the
/// other, each on a fresh folder: as deployed (it also finds and announces each publication's matches, on a queue of
/// its own), and a replica that only searches (<c>Matching:AnnounceTop = 0</c>), which isolates the index's path.
/// </summary>
internal static class DistributedEventBench
{
    private const string MatchingProject = "services/Matching/Marketplace.Matching.Api";
    private const int WarmUp = 50;
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private sealed record Result(string Variant, int Count, double Publishing, int Searchable, List<double> Latencies, double HostCpu, double BenchCpu);

    public static async Task<int> RunAsync(int rate, double seconds, string rabbitUri, string directory)
    {
        if (RouteBench.FreshDirectory(directory, "events-distributed") is not { } fresh) return 2;
        directory = fresh;
        var results = new List<Result>();
        foreach (var (variant, settings) in new (string, Dictionary<string, string>)[]
                 {
                     ("as deployed (announcing matches)", []),
                     ("search only (Matching:AnnounceTop = 0)", new() { ["Matching__AnnounceTop"] = "0" }),
                 })
        {
            var result = await RunOnceAsync(variant, settings, rate, seconds, rabbitUri, Path.Combine(directory, results.Count.ToString(CultureInfo.InvariantCulture)));
            if (result is null) return 1;
            results.Add(result);
        }
        Print(rate, seconds, results);
        try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        return results.All(r => r.Searchable == r.Count) ? 0 : 1;
    }

    private static async Task<Result?> RunOnceAsync(string variant, Dictionary<string, string> settings, int rate, double seconds, string rabbitUri, string directory)
    {
        var dll = Path.Combine(RouteBench.RepositoryRoot(), MatchingProject, "bin", "Release", "net10.0", "Marketplace.Matching.Api.dll");
        if (!File.Exists(dll))
        {
            Console.Error.WriteLine($"[events-distributed] not built: run `dotnet build {MatchingProject} -c Release` first ({dll} is missing).");
            return null;
        }
        if (RouteBench.FreshDirectory(directory, "events-distributed") is not { } fresh) return null;
        directory = fresh;
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var port = RouteBench.FreePort();
        var instance = string.Create(CultureInfo.InvariantCulture, $"bench{Environment.ProcessId}");
        using var matching = ChildProcess.MarketHost("matching", dll, port, new Dictionary<string, string>(settings)
        {
            ["Storage__DataDirectory"] = directory,
            ["Messaging__Transport"] = "RabbitMq",
            ["Messaging__RabbitMqUri"] = rabbitUri,
            ["Instance__Id"] = instance,
            // the benchmark's queues go soon after it does
            ["Matching__QueueExpiry"] = "00:01:00",
            // search is public: no token is checked, so no issuer is reached
            ["Auth__Authority"] = "http://127.0.0.1:9",
        });
        // the listing service's part: an empty market answers the host's start-up request with no snapshots
        var bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            cfg.Host(new Uri(rabbitUri));
            cfg.ReceiveEndpoint($"bench-listing-{instance}", e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                e.Handler<ListingSnapshotsRequested>(context =>
                    context.Publish(new ListingSnapshotsReplayCompleted { RequestId = context.Message.RequestId, Count = 0 }));
            });
        });
        try
        {
            await bus.StartAsync(stop.Token);
            matching.Start();
            using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            // ready: its queues are bound and its start-up replay answered
            await GatewayBench.WaitAsync(matching, "/health/ready 200", async () => (await client.GetAsync("/health/ready", stop.Token)).IsSuccessStatusCode, stop.Token);
            var seed = new ListingSeed(new Random(4), DateTimeOffset.UtcNow);

            // warm-up: the first events JIT the paths
            for (var i = 0; i < WarmUp; i++) await bus.Publish(seed.PublishedEvent(), stop.Token);
            await GatewayBench.WaitAsync(matching, $"search to hold the {WarmUp} warm-up listings", async () => await TotalAsync(client, stop.Token) >= WarmUp, stop.Token);

            var count = (int)Math.Round(rate * seconds);
            var events = Enumerable.Range(0, count).Select(_ => seed.PublishedEvent()).ToList();
            var published = new double[count];
            var seen = new double[count];
            var (hostBefore, benchBefore) = (GatewayBench.CpuSeconds(matching.Pid, withChildren: false), GatewayBench.CpuSeconds(Environment.ProcessId, withChildren: false));
            var clock = Stopwatch.StartNew();
            using var polling = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
            var poller = Task.Run(async () =>
            {
                var found = 0;
                while (found < count && !polling.IsCancellationRequested)
                {
                    var total = (int)Math.Min(await TotalAsync(client, polling.Token) - WarmUp, count);
                    var now = clock.Elapsed.TotalMilliseconds;
                    for (; found < total; found++) seen[found] = now;
                    await Task.Delay(PollInterval, polling.Token);
                }
                return found;
            }, polling.Token);

            // the publications, each at its time (a steady rate, not a burst)
            var interval = 1000.0 / rate;
            for (var i = 0; i < count; i++)
            {
                var due = i * interval - clock.Elapsed.TotalMilliseconds;
                if (due > 1) await Task.Delay(TimeSpan.FromMilliseconds(due), stop.Token);
                await bus.Publish(events[i], stop.Token);
                published[i] = clock.Elapsed.TotalMilliseconds;
            }
            var publishing = published[^1] / 1000;
            var searchable = await poller.WaitAsync(TimeSpan.FromSeconds(60), stop.Token);
            await polling.CancelAsync();
            // what the host and the benchmark (publisher and poller) used for the run, besides RabbitMQ's own
            var hostCpu = GatewayBench.CpuSeconds(matching.Pid, withChildren: false) - hostBefore;
            var benchCpu = GatewayBench.CpuSeconds(Environment.ProcessId, withChildren: false) - benchBefore;

            var latencies = Enumerable.Range(0, searchable).Select(i => Math.Max(0, seen[i] - published[i])).Order().ToList();
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[events-distributed] {variant}: {searchable:N0} of {count:N0} searchable"));
            return new Result(variant, count, publishing, searchable, latencies, hostCpu, benchCpu);
        }
        catch (Exception e) when (e is not OperationCanceledException || stop.IsCancellationRequested)
        {
            Console.Error.WriteLine($"[events-distributed] {variant} failed: {e.Message}\n--- matching output (last lines) ---\n{matching.Output}");
            return null;
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
            matching.Dispose();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<long> TotalAsync(HttpClient client, CancellationToken ct)
    {
        using var response = await client.GetAsync("/api/search?pageSize=1", ct);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.GetProperty("total").GetInt64();
    }

    private static void Print(int rate, double seconds, List<Result> results)
    {
        static string Ms(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
        static double Percentile(List<double> sorted, double p) =>
            sorted.Count == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"## Events, distributed mode over RabbitMQ ({DateTime.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, {rate}/s for {seconds:0.#} s)"));
        Console.WriteLine();
        Console.WriteLine("| matching host | published | searchable | publish → searchable p50 / p99 / max | host CPU ms/event | benchmark CPU ms/event | goal: p99 < 500 ms |");
        Console.WriteLine("|---|---|---|---|---|---|---|");
        foreach (var r in results)
        {
            var p99 = Percentile(r.Latencies, 0.99);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Variant} | {r.Count:N0} in {r.Publishing:F1} s ({r.Count / Math.Max(r.Publishing, 1e-9):N0}/s) | {r.Searchable:N0} | "
                + $"{Ms(Percentile(r.Latencies, 0.50))} / {Ms(p99)} / {Ms(r.Latencies.LastOrDefault())} ms | {r.HostCpu * 1000 / r.Count:F2} | {r.BenchCpu * 1000 / r.Count:F2} "
                + $"| {(r.Searchable == r.Count && p99 < 500 ? "met" : "missed")} |"));
        }
    }
}
