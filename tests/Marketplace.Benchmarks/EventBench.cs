using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Marketplace.Listing;

namespace Marketplace.Benchmarks;

/// <summary>
/// Issue 16, goal 4 (embedded mode): a burst of approvals, then how long until search holds every approved listing.
/// The review queue is seeded through the listing module's own rules (<see cref="ListingSeed.InReview"/>), the built
/// gateway is started on it, the demo operator approves every listing through the API with N connections at once,
/// and search's total is polled until it has grown by the burst: the time from the last approval's answer to then
/// is what the goal bounds (≤ 10 s for 1,000).
/// </summary>
internal static class EventBench
{
    private const string SubMarket = "changsha"; // the demo operator's

    public static async Task<int> RunAsync(int approvals, int connections, string directory)
    {
        var dll = RouteBench.GatewayDll();
        if (dll is null) return 2;
        if (RouteBench.FreshDirectory(directory, "events") is not { } fresh) return 2;
        directory = fresh;
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        using var gateway = new RouteBench.Gateway(dll, RouteBench.FreePort(), directory);
        try
        {
            var seed = new ListingSeed(new Random(4), DateTimeOffset.UtcNow);
            var queue = Enumerable.Range(0, approvals).Select(_ => seed.InReview(SubMarket)).ToList();
            using (var store = new ServiceDefaults.Storage.LiteDbDocumentStore(Path.Combine(directory, ListingModule.StoreKey + ".db")))
            {
                await store.EnsureIndexesAsync(ListingModule.Collection, ListingModule.IndexedFields, ListingModule.QueryShapes);
                await store.InsertManyAsync(ListingModule.Collection, queue);
            }

            gateway.Start();
            using var client = RouteBench.LoadClient(gateway.BaseAddress, connections);
            await RouteBench.WaitReadyAsync(gateway, client, TimeSpan.FromMinutes(3), stop.Token);
            var token = await SignInAsync(client, "demo-operator", stop.Token);
            var before = (await RouteBench.TotalAsync(client, "/api/search?pageSize=1", stop.Token)).Total;
            Console.Error.WriteLine($"[events] {queue.Count:N0} listings in review; search holds {before:N0} before the burst");

            // the burst: every listing approved, N at a time
            var latencies = new double[queue.Count];
            var errors = 0;
            var firstError = "";
            var next = -1;
            var burst = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, connections).Select(async _ =>
            {
                while (Interlocked.Increment(ref next) is var i && i < queue.Count)
                {
                    var started = Stopwatch.GetTimestamp();
                    using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/listings/{queue[i].Id}/approve");
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    using var response = await client.SendAsync(request, stop.Token);
                    latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    if (!response.IsSuccessStatusCode && Interlocked.Increment(ref errors) == 1)
                        firstError = $" (first: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(stop.Token)})";
                }
            }));
            var burstTime = burst.Elapsed;

            // then: until search holds them all
            var target = before + queue.Count - errors;
            var searchable = Stopwatch.StartNew();
            long total;
            while ((total = (await RouteBench.TotalAsync(client, "/api/search?pageSize=1", stop.Token)).Total) < target)
            {
                if (searchable.Elapsed > TimeSpan.FromMinutes(3))
                    throw new TimeoutException($"Search holds {total - before:N0} of the {queue.Count - errors:N0} approved listings 3 minutes after the burst.");
                await Task.Delay(50, stop.Token);
            }
            var lag = searchable.Elapsed;

            Array.Sort(latencies);
            static string N(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
            Console.WriteLine();
            Console.WriteLine($"## Events, embedded mode ({DateTimeOffset.UtcNow:yyyy-MM-dd}, {Environment.ProcessorCount} cores, {connections} connections)");
            Console.WriteLine();
            Console.WriteLine("| measure | figure | goal |");
            Console.WriteLine("|---|---|---|");
            Console.WriteLine($"| approvals in the burst | {queue.Count:N0} ({errors} errors{firstError}) | 1,000 |");
            Console.WriteLine($"| burst | {N(burstTime.TotalSeconds, "F1")} s ({N(queue.Count / burstTime.TotalSeconds, "N0")} approvals/s; p50 {N(latencies[latencies.Length / 2], "F1")} ms, p99 {N(latencies[(int)(latencies.Length * 0.99)], "F1")} ms) | — |");
            Console.WriteLine($"| all searchable after the last approval | {N(lag.TotalSeconds, "F2")} s | ≤ 10 s — {(lag <= TimeSpan.FromSeconds(10) ? "met" : "missed")} |");
            return errors == 0 ? 0 : 1;
        }
        catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
        {
            Console.Error.WriteLine($"[events] failed: {e.Message}\n--- gateway output (last lines) ---\n{gateway.Output}");
            return 1;
        }
        finally
        {
            gateway.Dispose();
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    private static async Task<string> SignInAsync(HttpClient client, string username, CancellationToken ct)
    {
        using var response = await client.PostAsJsonAsync("/api/auth/token", new { username, password = "Demo!2026" }, ct);
        response.EnsureSuccessStatusCode();
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return json.RootElement.GetProperty("access_token").GetString() ?? throw new InvalidOperationException("No access token.");
    }
}
