using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Marketplace.Listing;
using Marketplace.ServiceDefaults.Storage;

namespace Marketplace.Benchmarks;

/// <summary>
/// The market's routes over HTTP in embedded mode at a realistic size (issue 16, goals 2 and 6): a fresh data
/// directory seeded with N published listings (<see cref="ListingSeed"/>, as the listing service stores them), the
/// built gateway started on it as its own process as in production — once on the fresh store, where its matching
/// index fills from nothing before it reports ready, then again on the data that start left, as a market restarts
/// after a build (ready at once, the index rebuilt from the listings in the background, waited for before any load)
/// — then each route loaded in turn by
/// <c>--connections</c> clients sending requests back to back for <c>--seconds</c> after a warm-up, and finally
/// <c>--soak-minutes</c> of all routes interleaved while the gateway's resident memory is sampled. The figures
/// the goals ask for are ratios and rates of one run, side by side: the public list against a read by id, the
/// portal's home page, the turnover statistics and the broker directory; the time from a restart's process start to ready;
/// the resident set after the soak. The load generator shares the machine with the gateway (as wrk would), so the
/// absolute rates are the machine's, not the gateway's alone; the ratios are the steadier figures.
/// </summary>
internal static class RouteBench
{
    private const string GatewayProject = "gateway/Marketplace.Gateway";

    /// <summary>The first route is a baseline that reads no store; the rest are the goals' routes.</summary>
    private static readonly (string Name, string Path)[] Routes =
    [
        ("GET /api/reference/fields (no store)", "/api/reference/fields"),
        ("GET /api/listings/{id}", "/api/listings/{id}"),
        ("GET /api/listings?pageSize=20", "/api/listings?pageSize=20"),
        ("GET /api/search?q=深度学习", "/api/search?q=" + Uri.EscapeDataString("深度学习")),
        ("GET /api/stats/turnover", "/api/stats/turnover"),
        ("GET /api/brokers", "/api/brokers"),
        ("GET / (portal home)", "/"),
    ];

    private sealed record Measured(string Route, double PerSecond, double P50, double P99, long Requests, long Errors);

    public static async Task<int> RunAsync(int listings, double seconds, int connections, double soakMinutes, string directory, bool keep)
    {
        if (GatewayDll() is not { } dll) return 2;
        if (FreshDirectory(directory, "routes") is not { } fresh) return 2;
        directory = fresh;

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler cancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += cancel;
        Gateway? gateway = null;
        EventHandler exiting = (_, _) => gateway?.Dispose();
        AppDomain.CurrentDomain.ProcessExit += exiting;
        try
        {
            // 1. seed, through the module's own code, without the gateway
            var seeded = await new ListingSeed(new Random(16), DateTimeOffset.UtcNow).WriteAsync(Path.Combine(directory, ListingModule.StoreKey + ".db"), listings);
            var ids = seeded.Ids;
            var seeding = seeded.Making + seeded.Writing;
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"[routes] seeded {ids.Count:N0} published listings in {seeding.TotalSeconds:F1} s ({ids.Count / Math.Max(seeding.TotalSeconds, 1e-9):N0}/s; made in {seeded.Making.TotalSeconds:F1} s, written in {seeded.Writing.TotalSeconds:F1} s)"));

            // 2. the gateway as production starts it, on that directory: first on the fresh store, where the matching
            // index fills from nothing (ready waits for it), then again on the data the first start left, as after a build
            var coldBound = TimeSpan.FromMinutes(2) + TimeSpan.FromMilliseconds(2.0 * ids.Count);
            var bound = TimeSpan.FromMinutes(5) + TimeSpan.FromMilliseconds(20.0 * ids.Count);
            gateway = new Gateway(dll, FreePort(), directory);
            var first = await StartAsync(gateway, "first start", ids.Count, coldBound, restart: false, stop.Token);
            var stopping = Stopwatch.StartNew();
            await gateway.StopAsync();
            gateway.Dispose();
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[routes] first start: stopped (SIGTERM) in {stopping.Elapsed.TotalSeconds:F1} s"));
            gateway = new Gateway(dll, FreePort(), directory);
            var restart = await StartAsync(gateway, "restart", ids.Count, bound, restart: true, stop.Token);
            using var probe = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
            // the gateway reads the seeded documents as published listings: the public list counts them (up to its cap)
            var (listTotal, capped) = await TotalAsync(probe, "/api/listings?pageSize=1", stop.Token);
            var expected = Math.Min(ids.Count, DocumentPage.TotalCap);
            if (listTotal != expected || capped != ids.Count > expected)
                throw new InvalidOperationException($"GET /api/listings counts {listTotal} (capped: {capped}), not the {ids.Count} seeded listings.");
            var (deep, _) = await TotalAsync(probe, Routes[3].Path + "&pageSize=1", stop.Token);
            Console.Error.WriteLine($"[routes] GET /api/listings total {listTotal:N0}{(capped ? " (capped)" : "")}, seeded {ids.Count:N0}; {deep:N0} found by search for 深度学习");

            // 3. each route alone, one after another
            using var client = LoadClient(gateway.BaseAddress, connections);
            var duration = TimeSpan.FromSeconds(seconds);
            var warmUp = TimeSpan.FromSeconds(Math.Clamp(seconds / 5, 1, 3));
            var rows = new List<Measured>();
            foreach (var (name, path) in Routes)
            {
                stop.Token.ThrowIfCancellationRequested();
                var next = PathOf(path, ids);
                await LoadAsync(client, [next], connections, warmUp, keepLatencies: false, stop.Token);
                var result = await LoadAsync(client, [next], connections, duration, keepLatencies: true, stop.Token);
                rows.Add(new Measured(name, result.PerSecond, result.Percentile(0.50), result.Percentile(0.99), result.Requests, result.Errors));
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[routes] {name}: {result.PerSecond:N0}/s, p50 {result.Percentile(0.50):F2} ms, p99 {result.Percentile(0.99):F2} ms, {result.Errors} errors{result.FirstError}"));
            }

            // 4. the soak: every route interleaved, the resident set sampled
            Soak? soak = null;
            if (soakMinutes > 0)
            {
                using var sampling = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
                var samples = SampleRssAsync(gateway.Pid, TimeSpan.FromSeconds(2), sampling.Token);
                var mixed = await LoadAsync(client, Routes.Select(r => PathOf(r.Path, ids)).ToArray(), connections, TimeSpan.FromMinutes(soakMinutes), keepLatencies: false, stop.Token);
                var atEnd = Rss(gateway.Pid);
                await sampling.CancelAsync();
                var peak = Math.Max(atEnd.Rss, (await samples).DefaultIfEmpty(0).Max());
                soak = new Soak(TimeSpan.FromMinutes(soakMinutes), mixed.Requests, mixed.PerSecond, mixed.Errors, mixed.FirstError, atEnd.Rss, peak, atEnd.Hwm);
            }
            Print(ids.Count, connections, seconds, rows, first, restart, coldBound, soak);
            return rows.All(r => r.Errors == 0) && soak is not { Errors: > 0 } ? 0 : 1;
        }
        catch (Exception e) when (gateway is not null && e is not OperationCanceledException)
        {
            Console.Error.WriteLine($"[routes] failed: {e.Message}\n--- gateway output (last lines) ---\n{gateway.Output}");
            return 1;
        }
        finally
        {
            gateway?.Dispose();
            AppDomain.CurrentDomain.ProcessExit -= exiting;
            Console.CancelKeyPress -= cancel;
            if (keep) Console.Error.WriteLine($"[routes] kept the data directory {directory}");
            else
            {
                try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
            }
        }
    }

    /// <summary>When a start reached ready, search held every listing, and the process went quiet; from the process start. Null: not within the bound.</summary>
    /// <summary>The full path of a data directory for a benchmark to fill, created; null, having said why, when it holds anything already.</summary>
    internal static string? FreshDirectory(string directory, string benchmark)
    {
        var full = Path.GetFullPath(directory);
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
        {
            Console.Error.WriteLine($"[{benchmark}] {full} is not empty: the benchmark starts on a fresh data directory.");
            return null;
        }
        Directory.CreateDirectory(full);
        return full;
    }

    /// <summary>The built gateway's assembly; null, having said how to build it, when it is not built.</summary>
    internal static string? GatewayDll()
    {
        var dll = Path.Combine(RepositoryRoot(), GatewayProject, "bin", "Release", "net10.0", "Marketplace.Gateway.dll");
        if (File.Exists(dll)) return dll;
        Console.Error.WriteLine($"[bench] the gateway is not built: run `dotnet build {GatewayProject} -c Release` first ({dll} is missing).");
        return null;
    }

    /// <summary>Waits for the first 200 of <c>/health/ready</c>; throws (<see cref="TimeoutException"/>) when the gateway exits or <paramref name="bound"/> passes.</summary>
    internal static async Task WaitReadyAsync(Gateway gateway, HttpClient client, TimeSpan bound, CancellationToken ct)
    {
        var health = "";
        await WaitAsync(gateway, "/health/ready 200", bound, ct, async () =>
        {
            using var response = await client.GetAsync("/health/ready", ct);
            health = await response.Content.ReadAsStringAsync(ct);
            return response.StatusCode == HttpStatusCode.OK;
        }, () => Unhealthy(health), mustHold: true);
    }

    private sealed record StartTimes(TimeSpan? Ready, TimeSpan? Indexed, TimeSpan? Quiet, string Progress);

    /// <summary>
    /// Starts the gateway and times it: the first 200 of <c>/health/ready</c>, then (once ready) a search total equal to
    /// the listings, then — on a <paramref name="restart"/>, where the index is rebuilt from the listings in the
    /// background after ready — until the process is quiet (the rebuild done), so that no load runs beside it. A first
    /// start that is not ready within <paramref name="bound"/> is reported as such; a restart that is not fails the run.
    /// </summary>
    private static async Task<StartTimes> StartAsync(Gateway gateway, string label, int listings, TimeSpan bound, bool restart, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        gateway.Start();
        using var probe = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(10) };
        var health = "";
        var isReady = await WaitAsync(gateway, $"{label}: /health/ready 200", bound - started.Elapsed, ct, async () =>
        {
            using var response = await probe.GetAsync("/health/ready", ct);
            health = await response.Content.ReadAsStringAsync(ct);
            return response.StatusCode == HttpStatusCode.OK;
        }, () => Unhealthy(health), mustHold: restart);
        if (!isReady) return new StartTimes(null, null, null, Unhealthy(health));
        var ready = started.Elapsed;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[routes] {label}: /health/ready 200 after {ready.TotalSeconds:F2} s"));
        var searchTotal = 0L;
        var isIndexed = await WaitAsync(gateway, $"{label}: search to hold {listings:N0} listings", bound - started.Elapsed, ct, async () =>
        {
            searchTotal = (await TotalAsync(probe, "/api/search?pageSize=1", ct)).Total;
            return searchTotal == listings;
        }, () => $"search total {searchTotal:N0}", mustHold: restart);
        if (!isIndexed) return new StartTimes(ready, null, null, $"search total {searchTotal:N0}");
        var indexed = started.Elapsed;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[routes] {label}: search total {searchTotal:N0} after {indexed.TotalSeconds:F2} s"));
        if (!restart) return new StartTimes(ready, indexed, null, "");
        await WaitQuietAsync(gateway, $"{label}: the gateway to go quiet", bound - started.Elapsed, ct);
        var quiet = started.Elapsed;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[routes] {label}: quiet after {quiet.TotalSeconds:F2} s"));
        return new StartTimes(ready, indexed, quiet, "");
    }

    /// <summary>What a readiness answer says is not healthy (its checks' descriptions).</summary>
    private static string Unhealthy(string health)
    {
        try
        {
            using var json = JsonDocument.Parse(health);
            var failing = json.RootElement.GetProperty("checks").EnumerateObject()
                .Where(c => c.Value.GetProperty("status").GetString() != "Healthy")
                .Select(c => $"{c.Name}: {(c.Value.TryGetProperty("description", out var d) ? d.GetString() : "")}")
                .ToList();
            return failing.Count > 0 ? string.Join("; ", failing) : "healthy";
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return health.Length <= 300 ? health : health[..300] + "…";
        }
    }

    /// <summary>
    /// Waits until the gateway used less than a tenth of a core for three seconds: a restart rebuilds the matching
    /// index from every listing in the background after it is ready, and the load must not run beside that.
    /// </summary>
    private static async Task WaitQuietAsync(Gateway gateway, string what, TimeSpan timeout, CancellationToken ct)
    {
        var window = TimeSpan.FromSeconds(3);
        var waited = Stopwatch.StartNew();
        var told = TimeSpan.Zero;
        var before = gateway.ProcessorTime;
        while (true)
        {
            await Task.Delay(window, ct);
            if (gateway.HasExited) throw new InvalidOperationException($"The gateway exited ({gateway.ExitCode}) while waiting for {what}.");
            var now = gateway.ProcessorTime;
            var cores = (now - before) / window;
            before = now;
            if (cores < 0.1) return;
            if (waited.Elapsed > timeout) throw new TimeoutException($"No {what} after {timeout.TotalSeconds:N0} s: still using {cores:F2} cores.");
            if (waited.Elapsed - told >= TimeSpan.FromSeconds(15))
            {
                told = waited.Elapsed;
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[routes] waiting {told.TotalSeconds:N0} s for {what}: {cores:F2} cores busy"));
            }
        }
    }

    private sealed record Soak(TimeSpan Duration, long Requests, double PerSecond, long Errors, string FirstError, long RssKb, long PeakKb, long HwmKb);

    /// <summary>Where one request goes: a fixed path, or a seeded listing picked at random for <c>{id}</c>.</summary>
    private static Func<Random, string> PathOf(string path, IReadOnlyList<string> ids) =>
        path.Contains("{id}", StringComparison.Ordinal) ? r => path.Replace("{id}", ids[r.Next(ids.Count)], StringComparison.Ordinal) : _ => path;

    /// <summary>The load's client: one pool of <paramref name="connections"/> keep-alive connections to the gateway.</summary>
    internal static HttpClient LoadClient(Uri baseAddress, int connections) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        })
        { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };

    internal sealed class LoadResult(long requests, long errors, double seconds, List<double>? latencies, string firstError)
    {
        public long Requests => requests;
        public long Errors => errors;
        public double PerSecond => requests / Math.Max(seconds, 1e-9);
        public string FirstError => firstError.Length == 0 ? "" : " (first: " + firstError + ")";

        public double Percentile(double p) =>
            latencies is { Count: > 0 } sorted ? sorted[Math.Clamp((int)Math.Ceiling(sorted.Count * p) - 1, 0, sorted.Count - 1)] : 0;
    }

    /// <summary>
    /// <paramref name="connections"/> workers, each sending the next request as soon as the last one's body is read,
    /// until <paramref name="duration"/> is over; with several paths, each request takes one at random. A non-2xx
    /// answer or a failed request is an error. Latencies are kept (per worker, then sorted) when asked.
    /// </summary>
    internal static async Task<LoadResult> LoadAsync(HttpClient client, Func<Random, string>[] paths, int connections, TimeSpan duration, bool keepLatencies, CancellationToken ct)
    {
        var errors = 0L;
        var firstError = "";
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, connections).Select(w => Task.Run(async () =>
        {
            var random = new Random(1_000 + w);
            var latencies = keepLatencies ? new List<double>(1 << 14) : null;
            var count = 0L;
            while (clock.Elapsed < duration && !ct.IsCancellationRequested)
            {
                var path = paths[random.Next(paths.Length)](random);
                var one = Stopwatch.GetTimestamp();
                string? error = null;
                try
                {
                    using var response = await client.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
                    await (await response.Content.ReadAsStreamAsync(ct)).CopyToAsync(Stream.Null, ct);
                    if (!response.IsSuccessStatusCode) error = $"{(int)response.StatusCode} for {path}";
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException && !ct.IsCancellationRequested)
                {
                    error = $"{e.GetType().Name} for {path}: {e.Message}";
                }
                latencies?.Add(Stopwatch.GetElapsedTime(one).TotalMilliseconds);
                count++;
                if (error is not null && Interlocked.Increment(ref errors) == 1) firstError = error;
            }
            return (count, latencies);
        }, ct)).ToList();
        var done = await Task.WhenAll(workers);
        var elapsed = clock.Elapsed.TotalSeconds;
        ct.ThrowIfCancellationRequested();
        List<double>? all = null;
        if (keepLatencies)
        {
            all = done.SelectMany(d => d.latencies!).ToList();
            all.Sort();
        }
        return new LoadResult(done.Sum(d => d.count), Interlocked.Read(ref errors), elapsed, all, firstError);
    }

    /// <summary>The resident set every <paramref name="every"/> until cancelled, in kB.</summary>
    private static async Task<List<long>> SampleRssAsync(int pid, TimeSpan every, CancellationToken ct)
    {
        var samples = new List<long>();
        try
        {
            while (true)
            {
                samples.Add(Rss(pid).Rss);
                await Task.Delay(every, ct);
            }
        }
        catch (OperationCanceledException) { }
        return samples;
    }

    /// <summary>VmRSS (resident now) and VmHWM (the most it was resident since it started) of a process, in kB.</summary>
    private static (long Rss, long Hwm) Rss(int pid)
    {
        long Read(string[] lines, string key) =>
            lines.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal)) is { } line
                ? long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture)
                : 0;
        try
        {
            var status = File.ReadAllLines($"/proc/{pid}/status");
            return (Read(status, "VmRSS:"), Read(status, "VmHWM:"));
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    internal static async Task<(long Total, bool Capped)> TotalAsync(HttpClient http, string path, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, ct);
        if (!response.IsSuccessStatusCode) return (-1, false);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        var total = json.RootElement.GetProperty("total").GetInt64();
        return (total, json.RootElement.TryGetProperty("totalCapped", out var capped) && capped.GetBoolean());
    }

    /// <summary>
    /// Polls <paramref name="done"/> every 100 ms until it holds, the gateway exits or <paramref name="timeout"/> passes
    /// (which throws if it <paramref name="mustHold"/>, else answers false); says every 15 s how far it got (<paramref name="progress"/>).
    /// </summary>
    private static async Task<bool> WaitAsync(Gateway gateway, string what, TimeSpan timeout, CancellationToken ct, Func<Task<bool>> done, Func<string> progress, bool mustHold)
    {
        var waited = Stopwatch.StartNew();
        var told = TimeSpan.Zero;
        while (true)
        {
            if (gateway.HasExited) throw new InvalidOperationException($"The gateway exited ({gateway.ExitCode}) while waiting for {what}.");
            try
            {
                if (await done()) return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException && !ct.IsCancellationRequested)
            {
                // not listening yet, or busy
            }
            if (waited.Elapsed > timeout)
            {
                if (mustHold) throw new TimeoutException($"No {what} after {timeout.TotalSeconds:N0} s: {progress()}");
                Console.Error.WriteLine($"[routes] no {what} after {timeout.TotalSeconds:N0} s: {progress()}");
                return false;
            }
            if (waited.Elapsed - told >= TimeSpan.FromSeconds(15))
            {
                told = waited.Elapsed;
                Console.Error.WriteLine($"[routes] waiting {told.TotalSeconds:N0} s for {what}: {progress()}");
            }
            await Task.Delay(100, ct);
        }
    }

    private static void Print(int listings, int connections, double seconds, List<Measured> rows, StartTimes first, StartTimes restart, TimeSpan coldBound, Soak? soak)
    {
        static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
        Console.WriteLine();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{listings:N0} published listings, embedded gateway, {connections} connections, {seconds:0.#} s a route"));
        Console.WriteLine();
        Console.WriteLine("| route | requests/s | p50 ms | p99 ms | requests | errors |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var row in rows)
            Console.WriteLine($"| {row.Route} | {Number(row.PerSecond, "N0")} | {Number(row.P50, "F2")} | {Number(row.P99, "F2")} | {Number(row.Requests, "N0")} | {Number(row.Errors, "N0")} |");
        Measured Row(string path) => rows.Single(r => r.Route == Routes.Single(x => x.Path == path).Name);
        string Valid(params Measured[] measured) => measured.Any(m => m.Errors > 0) ? " — not a valid figure (errors)" : "";
        string Verdict(bool met) => met ? "met" : "missed";
        var byId = Row("/api/listings/{id}");
        var list = Row("/api/listings?pageSize=20");
        var home = Row("/");
        var turnover = Row("/api/stats/turnover");
        var brokers = Row("/api/brokers");
        var ratio = list.PerSecond / Math.Max(byId.PerSecond, 1e-9);
        Console.WriteLine();
        Console.WriteLine($"- goal 2: list page 1 / by id = {Number(ratio, "F2")} (goal ≥ 0.50) — {Verdict(ratio >= 0.5)}{Valid(list, byId)}");
        Console.WriteLine($"- goal 2: portal home {Number(home.PerSecond, "N0")} requests/s (goal ≥ 1,000) — {Verdict(home.PerSecond >= 1_000)}{Valid(home)}");
        Console.WriteLine($"- goal 2: turnover {Number(turnover.PerSecond, "N0")}, brokers {Number(brokers.PerSecond, "N0")} requests/s (goal ≥ 5,000) — {Verdict(turnover.PerSecond >= 5_000 && brokers.PerSecond >= 5_000)}{Valid(turnover, brokers)}");
        string Seconds(TimeSpan? t) => t is { } v ? Number(v.TotalSeconds, "F2") + " s" : "—";
        var ready = restart.Ready!.Value.TotalSeconds;
        Console.WriteLine($"- goal 6: ready {Number(ready, "F2")} s after the restart's process started (goal < 5 s) — {Verdict(ready < 5)}; "
            + $"search held every listing at {Seconds(restart.Indexed)}, the index rebuild done (process quiet) at {Seconds(restart.Quiet)}");
        Console.WriteLine(first.Ready is null
            ? $"- first start on the fresh store (the index fills from nothing before ready): not ready within {Number(coldBound.TotalSeconds, "N0")} s ({first.Progress})"
            : $"- first start on the fresh store (the index fills from nothing before ready): ready at {Seconds(first.Ready)}, search held every listing at {Seconds(first.Indexed)}");
        if (soak is null)
        {
            Console.WriteLine("- goal 6: no soak (--soak-minutes 0)");
            return;
        }
        var mb = soak.RssKb / 1024.0;
        Console.WriteLine($"- goal 6: RSS {Number(mb, "N0")} MB after {Number(soak.Duration.TotalMinutes, "0.##")} min of mixed load ({Number(soak.Requests, "N0")} requests, {Number(soak.PerSecond, "N0")}/s, {Number(soak.Errors, "N0")} errors{(soak.FirstError.Length > 0 ? soak.FirstError : "")}), "
            + $"peak sampled {Number(soak.PeakKb / 1024.0, "N0")} MB, VmHWM {Number(soak.HwmKb / 1024.0, "N0")} MB (goal < 400 MB) — {Verdict(mb < 400)}{(soak.Errors > 0 ? " — not a valid figure (errors)" : "")}");
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Marketplace.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Marketplace.sln not found above the benchmark's output.");
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The built gateway in its own process, embedded mode, listening on 127.0.0.1 only; killed (with its children) on dispose.</summary>
    internal sealed class Gateway(string dll, int port, string dataDirectory) : IDisposable
    {
        private ChildProcess? _process;

        public Uri BaseAddress { get; } = new($"http://127.0.0.1:{port}");

        private ChildProcess Process => _process ?? throw new InvalidOperationException("Not started.");

        public int Pid => Process.Pid;

        public bool HasExited => _process is { HasExited: true };

        public int ExitCode => _process?.ExitCode ?? 0;

        public string Output => _process?.Output ?? "";

        /// <summary>CPU time the process used so far (user and system).</summary>
        public TimeSpan ProcessorTime => Process.ProcessorTime;

        /// <summary>Stops it as an orchestrator does (SIGTERM: the host closes its stores and commits the index), killed after a minute.</summary>
        public async Task StopAsync()
        {
            if (_process is not { HasExited: false } process) return;
            using (var kill = System.Diagnostics.Process.Start(new ProcessStartInfo("kill", ["-TERM", process.Pid.ToString(CultureInfo.InvariantCulture)]) { UseShellExecute = false }))
                if (kill is not null) await kill.WaitForExitAsync();
            using var patience = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await process.WaitForExitAsync(patience.Token);
            }
            catch (OperationCanceledException)
            {
                Console.Error.WriteLine("[routes] the gateway did not stop within a minute of SIGTERM: killed");
                Dispose();
            }
        }

        public void Start()
        {
            _process = ChildProcess.MarketHost("gateway", dll, port, new Dictionary<string, string>
            {
                // the readiness probes while the index fills would fill the kept output with "unhealthy"
                ["Logging__LogLevel__Microsoft.Extensions.Diagnostics.HealthChecks"] = "Critical",
                ["Storage__DataDirectory"] = dataDirectory,
                ["Gateway__Mode"] = "Embedded",
                // one client sends all the load: the per-client limits would refuse it
                ["Gateway__RateLimits__ApiPerMinute"] = "1000000000",
                ["Gateway__RateLimits__SignInPerMinute"] = "1000000000",
            });
            _process.Start();
        }

        public void Dispose() => Interlocked.Exchange(ref _process, null)?.Dispose();
    }
}
