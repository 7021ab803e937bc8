using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace Marketplace.Benchmarks;

/// <summary>
/// The gateway in proxy mode against nginx on the same cheap route and backend (issue 16, goal 5): the built listing
/// host started as its own process (in-memory bus, a fresh data folder), the built gateway in proxy mode in front of
/// it — the normal pipeline, its rate limits on (set high enough for one load client) and token validation on — and
/// nginx (a child process of its own, <c>daemon off</c>) proxying to the same backend over keep-alive connections.
/// <c>GET /api/reference/fields</c> (it reads no store) is loaded directly, through nginx and through the gateway,
/// in <c>--rounds</c> alternated rounds of <c>--seconds</c> each with <c>--connections</c> clients (RouteBench's
/// load generator), then one round each with a signed-in user's token. Besides the rates, the CPU time of each
/// process (the proxy, the backend, the load generator) per request is read from <c>/proc</c>: on a small
/// machine the proxies share the cores with the backend and the load generator, so the cost per request is what
/// sets the rate. <c>--trace FILE</c> adds a gateway round under <c>dotnet-trace</c> (sampled thread stacks).
/// </summary>
internal static class GatewayBench
{
    private const string GatewayProject = "gateway/Marketplace.Gateway";
    private const string ListingProject = "services/Listing/Marketplace.Listing.Api";
    private const string Route = "/api/reference/fields";

    /// <summary>Linux reports process times in clock ticks of 1/100 s (USER_HZ).</summary>
    private const double TicksPerSecond = 100;

    /// <summary>One way to the backend: directly, or through a proxy process (whose CPU time is counted).</summary>
    private sealed record Target(string Name, Uri BaseAddress, ChildProcess? Proxy);

    /// <summary>One measure of one target: the load's result and the CPU seconds each process used during it.</summary>
    private sealed record Round(string Target, bool Signed, RouteBench.LoadResult Load, double ProxyCpu, double BackendCpu, double ClientCpu)
    {
        public double Micros(double cpu) => cpu * 1e6 / Math.Max(Load.Requests, 1);
    }

    public static async Task<int> RunAsync(double seconds, int rounds, int connections, string? trace, IReadOnlyDictionary<string, string> gatewayEnvironment, string directory)
    {
        var root = RouteBench.RepositoryRoot();
        var gatewayDll = Path.Combine(root, GatewayProject, "bin", "Release", "net10.0", "Marketplace.Gateway.dll");
        var listingDll = Path.Combine(root, ListingProject, "bin", "Release", "net10.0", "Marketplace.Listing.Api.dll");
        foreach (var (project, dll) in new[] { (GatewayProject, gatewayDll), (ListingProject, listingDll) })
        {
            if (File.Exists(dll)) continue;
            Console.Error.WriteLine($"[gateway] not built: run `dotnet build {project} -c Release` first ({dll} is missing).");
            return 2;
        }
        var nginxPath = new[] { "/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists);
        if (nginxPath is null)
        {
            Console.Error.WriteLine("[gateway] nginx is not installed (Debian: apt-get install -y nginx; it is run as a child process, not as a service).");
            return 2;
        }
        if (RouteBench.FreshDirectory(directory, "gateway") is not { } fresh) return 2;
        directory = fresh;

        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler cancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += cancel;
        var backendPort = RouteBench.FreePort();
        var gatewayPort = RouteBench.FreePort();
        var nginxPort = RouteBench.FreePort();
        using var backend = ChildProcess.MarketHost("listing", listingDll, backendPort, new Dictionary<string, string>
        {
            ["Storage__DataDirectory"] = Path.Combine(directory, "listing"),
            ["Messaging__Transport"] = "InMemory",
            // tokens are checked against the gateway's keys, as in distributed mode
            ["Auth__Authority"] = $"http://127.0.0.1:{gatewayPort}",
        });
        using var gateway = ChildProcess.MarketHost("gateway", gatewayDll, gatewayPort, new Dictionary<string, string>(gatewayEnvironment)
        {
            ["Gateway__Mode"] = "Proxy",
            ["Messaging__Transport"] = "InMemory",
            ["Storage__DataDirectory"] = Path.Combine(directory, "gateway"),
            // the demo accounts: one of them signs in for the rounds with a token
            ["Demo__Seed"] = "true",
            // one client sends all the load: the per-client limits would refuse it (they are still counted)
            ["Gateway__RateLimits__ApiPerMinute"] = "1000000000",
            ["Gateway__RateLimits__SignInPerMinute"] = "1000000000",
            ["ReverseProxy__Clusters__listing__Destinations__primary__Address"] = $"http://127.0.0.1:{backendPort}",
        });
        using var nginx = Nginx(nginxPath, Path.Combine(directory, "nginx"), nginxPort, backendPort);
        ChildProcess[] children = [backend, gateway, nginx];
        // a SIGTERM stops the run as Ctrl-C does, so that the children are killed below (the runtime's default ends
        // the process without disposing them, and nginx and the hosts would go on listening)
        using var terminated = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
        {
            signal.Cancel = true;
            stop.Cancel();
        });
        try
        {
            foreach (var child in children) child.Start();
            var direct = new Target("direct", new Uri($"http://127.0.0.1:{backendPort}"), null);
            var viaNginx = new Target("nginx", new Uri($"http://127.0.0.1:{nginxPort}"), nginx);
            var viaGateway = new Target("gateway", new Uri($"http://127.0.0.1:{gatewayPort}"), gateway);
            Target[] targets = [direct, viaNginx, viaGateway];
            using var probe = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(10) };
            await WaitAsync(backend, "the listing host's /health/ready", () => IsOkAsync(probe, new Uri(direct.BaseAddress, "/health/ready"), stop.Token), stop.Token);
            foreach (var target in targets)
                await WaitAsync(target.Proxy ?? backend, $"{Route} {target.Name}", () => IsOkAsync(probe, new Uri(target.BaseAddress, Route), stop.Token), stop.Token);
            var token = await SignInAsync(probe, gateway, viaGateway.BaseAddress, stop.Token);
            var mismatches = await CompareBodiesAsync(probe, targets, token, stop.Token);
            Console.Error.WriteLine($"[gateway] backend {direct.BaseAddress}, nginx {viaNginx.BaseAddress}, gateway {viaGateway.BaseAddress}; "
                + (mismatches.Count == 0 ? "the same body through all three" : "bodies differ: " + string.Join("; ", mismatches)));

            var duration = TimeSpan.FromSeconds(seconds);
            // long enough for the hosts' code to reach its last JIT tier (tiered PGO recompiles the hot methods over the
            // first seconds of load; a short warm-up measured the compiler in the first round)
            var warmUp = TimeSpan.FromSeconds(Math.Clamp(seconds, 2, 5));
            var anonymous = targets.ToDictionary(t => t, t => RouteBench.LoadClient(t.BaseAddress, connections));
            var signed = targets.ToDictionary(t => t, t => Signed(RouteBench.LoadClient(t.BaseAddress, connections), token));
            try
            {
                foreach (var target in targets)
                {
                    await RouteBench.LoadAsync(anonymous[target], [_ => Route], connections, warmUp, keepLatencies: false, stop.Token);
                    await RouteBench.LoadAsync(signed[target], [_ => Route], connections, warmUp, keepLatencies: false, stop.Token);
                }
                var measured = new List<Round>();
                async Task MeasureAsync(Target target, bool withToken)
                {
                    var round = await RoundAsync(withToken ? signed[target] : anonymous[target], target, withToken, backend, connections, duration, stop.Token);
                    measured.Add(round);
                    Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"[gateway] {target.Name}{(withToken ? " (token)" : "")}: {round.Load.PerSecond:N0}/s, p50 {round.Load.Percentile(0.50):F2} ms, p99 {round.Load.Percentile(0.99):F2} ms, "
                        + $"CPU µs/request proxy {round.Micros(round.ProxyCpu):F0}, backend {round.Micros(round.BackendCpu):F0}, client {round.Micros(round.ClientCpu):F0}, {round.Load.Errors} errors{round.Load.FirstError}"));
                }
                // alternated: each round starts one target further on, so that no target always runs first or last
                for (var r = 0; r < rounds; r++)
                    for (var i = 0; i < targets.Length; i++)
                        await MeasureAsync(targets[(i + r) % targets.Length], withToken: false);
                for (var i = 0; i < targets.Length; i++)
                    await MeasureAsync(targets[i], withToken: true);
                mismatches.AddRange(await CompareBodiesAsync(probe, targets, token, stop.Token));
                if (trace is not null) await TraceAsync(trace, anonymous[viaGateway], gateway, connections, duration, stop.Token);
                Print(connections, seconds, rounds, gatewayEnvironment, measured, mismatches);
                return measured.All(m => m.Load.Errors == 0) && mismatches.Count == 0 ? 0 : 1;
            }
            finally
            {
                foreach (var client in anonymous.Values.Concat(signed.Values)) client.Dispose();
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Console.Error.WriteLine($"[gateway] failed: {e.Message}");
            foreach (var child in children) Console.Error.WriteLine($"--- {child.Name} output (last lines) ---\n{child.Output}");
            return 1;
        }
        finally
        {
            foreach (var child in children) child.Dispose();
            Console.CancelKeyPress -= cancel;
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    /// <summary>
    /// nginx in the foreground (<c>daemon off</c>) with a configuration of its own in <paramref name="prefix"/>: one
    /// worker a core, no access log, and a pool of keep-alive HTTP/1.1 connections to the backend, as a production
    /// reverse proxy is set up.
    /// </summary>
    private static ChildProcess Nginx(string nginx, string prefix, int port, int backendPort)
    {
        Directory.CreateDirectory(Path.Combine(prefix, "logs"));
        var conf = Path.Combine(prefix, "nginx.conf");
        File.WriteAllText(conf, $$"""
            daemon off;
            worker_processes auto;
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/logs/error.log warn;
            events { worker_connections 1024; }
            http {
                access_log off;
                upstream backend {
                    server 127.0.0.1:{{backendPort}};
                    keepalive 64;
                }
                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://backend;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                    }
                }
            }
            """);
        return new ChildProcess("nginx", nginx, ["-p", prefix, "-c", conf], prefix, new Dictionary<string, string>());
    }

    private static HttpClient Signed(HttpClient client, string token)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>One measure: the load on one target, and the CPU time the proxy (with its workers), the backend and this process used meanwhile.</summary>
    private static async Task<Round> RoundAsync(HttpClient client, Target target, bool signed, ChildProcess backend, int connections, TimeSpan duration, CancellationToken ct)
    {
        double ProxyCpu() => target.Proxy is { } proxy ? CpuSeconds(proxy.Pid, withChildren: true) : 0;
        var (proxyBefore, backendBefore, clientBefore) = (ProxyCpu(), CpuSeconds(backend.Pid, withChildren: false), CpuSeconds(Environment.ProcessId, withChildren: false));
        var load = await RouteBench.LoadAsync(client, [_ => Route], connections, duration, keepLatencies: true, ct);
        return new Round(target.Name, signed, load, ProxyCpu() - proxyBefore,
            CpuSeconds(backend.Pid, withChildren: false) - backendBefore, CpuSeconds(Environment.ProcessId, withChildren: false) - clientBefore);
    }

    /// <summary>
    /// User and system time of a process from <c>/proc/PID/stat</c> (fields 14 and 15, after the parenthesised name),
    /// and of its direct children when asked: nginx's workers do its work.
    /// </summary>
    internal static double CpuSeconds(int pid, bool withChildren)
    {
        var ticks = 0L;
        var candidates = withChildren ? Directory.EnumerateDirectories("/proc").Select(Path.GetFileName) : [pid.ToString(CultureInfo.InvariantCulture)];
        foreach (var name in candidates)
        {
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var id)) continue;
            string stat;
            try
            {
                stat = File.ReadAllText($"/proc/{id}/stat");
            }
            catch (IOException)
            {
                continue; // gone meanwhile
            }
            // after "pid (name) ": state, ppid, …; utime and stime are the 12th and 13th fields from there
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (id != pid && fields[1] != pid.ToString(CultureInfo.InvariantCulture)) continue;
            ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        }
        return ticks / TicksPerSecond;
    }

    /// <summary>A demo account's token from the gateway's sign-in (the demo accounts are seeded as it starts).</summary>
    private static async Task<string> SignInAsync(HttpClient http, ChildProcess gateway, Uri baseAddress, CancellationToken ct)
    {
        var token = "";
        await WaitAsync(gateway, "a token for demo-university", async () =>
        {
            using var response = await http.PostAsJsonAsync(new Uri(baseAddress, "/api/auth/token"), new { username = "demo-university", password = "Demo!2026" }, ct);
            if (!response.IsSuccessStatusCode) return false;
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            token = json.RootElement.GetProperty("access_token").GetString() ?? "";
            return token.Length > 0;
        }, ct);
        return token;
    }

    /// <summary>What differs from the direct answer through each proxy, with and without the token (empty: nothing).</summary>
    private static async Task<List<string>> CompareBodiesAsync(HttpClient http, Target[] targets, string token, CancellationToken ct)
    {
        var differences = new List<string>();
        foreach (var authorization in new[] { null, new AuthenticationHeaderValue("Bearer", token) })
        {
            var bodies = new List<(string Name, int Status, byte[] Body)>();
            foreach (var target in targets)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(target.BaseAddress, Route));
                request.Headers.Authorization = authorization;
                using var response = await http.SendAsync(request, ct);
                bodies.Add((target.Name, (int)response.StatusCode, await response.Content.ReadAsByteArrayAsync(ct)));
            }
            var with = authorization is null ? "" : " (token)";
            foreach (var (name, status, body) in bodies)
            {
                if (status != 200) differences.Add($"{name}{with}: {status}");
                else if (!body.AsSpan().SequenceEqual(bodies[0].Body)) differences.Add($"{name}{with}: {body.Length} bytes, not the {bodies[0].Body.Length} of {bodies[0].Name}");
            }
        }
        return differences;
    }

    /// <summary>One more gateway round under <c>dotnet-trace collect</c> (thread stacks sampled ~100 Hz), written to <paramref name="file"/>.</summary>
    private static async Task TraceAsync(string file, HttpClient client, ChildProcess gateway, int connections, TimeSpan duration, CancellationToken ct)
    {
        var tool = Environment.GetEnvironmentVariable("DOTNET_TRACE") ?? "dotnet-trace";
        file = Path.GetFullPath(file);
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var span = (duration + TimeSpan.FromSeconds(1)).ToString(@"dd\:hh\:mm\:ss", CultureInfo.InvariantCulture);
        using var tracing = Process.Start(new ProcessStartInfo(tool,
            ["collect", "-p", gateway.Pid.ToString(CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time", "--duration", span, "-o", file])
        { RedirectStandardOutput = true, UseShellExecute = false }) ?? throw new InvalidOperationException($"{tool} did not start.");
        var output = tracing.StandardOutput.ReadToEndAsync(ct);
        await Task.Delay(TimeSpan.FromSeconds(1), ct); // the session attaches
        var load = await RouteBench.LoadAsync(client, [_ => Route], connections, duration, keepLatencies: false, ct);
        await tracing.WaitForExitAsync(ct);
        var said = tracing.ExitCode == 0 ? "" : "\n" + await output;
        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"[gateway] traced round: {load.PerSecond:N0}/s, {load.Errors} errors; {tool} exited {tracing.ExitCode}, trace in {file}{said}"));
    }

    private static async Task<bool> IsOkAsync(HttpClient http, Uri uri, CancellationToken ct)
    {
        using var response = await http.GetAsync(uri, ct);
        return response.IsSuccessStatusCode;
    }

    /// <summary>Polls <paramref name="done"/> every 200 ms until it holds; fails when <paramref name="process"/> exits or after a minute.</summary>
    internal static async Task WaitAsync(ChildProcess process, string what, Func<Task<bool>> done, CancellationToken ct)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"{process.Name} exited while waiting for {what}.");
            try
            {
                if (await done()) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException && !ct.IsCancellationRequested)
            {
                // not listening yet
            }
            if (waited.Elapsed > TimeSpan.FromMinutes(1)) throw new TimeoutException($"No {what} within a minute.");
            await Task.Delay(200, ct);
        }
    }

    private static void Print(int connections, double seconds, int rounds, IReadOnlyDictionary<string, string> gatewayEnvironment, List<Round> measured, List<string> mismatches)
    {
        static string Number(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToList();
            return sorted.Count == 0 ? 0 : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
        Console.WriteLine();
        Console.WriteLine($"GET {Route}, {connections} connections, {rounds} alternated rounds of {Number(seconds, "0.#")} s a target (medians), then one round each with a token"
            + (gatewayEnvironment.Count == 0 ? "" : "; gateway started with " + string.Join(", ", gatewayEnvironment.Select(e => e.Key + "=" + e.Value))));
        Console.WriteLine();
        Console.WriteLine("| target | token | requests/s | p50 ms | p99 ms | requests | errors | proxy CPU µs/request | backend CPU µs/request | load generator CPU µs/request |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|");
        var rates = new Dictionary<(string, bool), double>();
        foreach (var group in measured.GroupBy(m => (m.Target, m.Signed)))
        {
            var rate = rates[group.Key] = Median(group.Select(m => m.Load.PerSecond));
            Console.WriteLine($"| {group.Key.Target} | {(group.Key.Signed ? "yes" : "no")} | {Number(rate, "N0")} "
                + $"| {Number(Median(group.Select(m => m.Load.Percentile(0.50))), "F2")} | {Number(Median(group.Select(m => m.Load.Percentile(0.99))), "F2")} "
                + $"| {Number(group.Sum(m => m.Load.Requests), "N0")} | {Number(group.Sum(m => m.Load.Errors), "N0")} "
                + $"| {(group.Key.Target == "direct" ? "—" : Number(Median(group.Select(m => m.Micros(m.ProxyCpu))), "F0"))} "
                + $"| {Number(Median(group.Select(m => m.Micros(m.BackendCpu))), "F0")} | {Number(Median(group.Select(m => m.Micros(m.ClientCpu))), "F0")} |");
        }
        Console.WriteLine();
        foreach (var signed in new[] { false, true })
        {
            var (gateway, nginx, direct) = (rates[("gateway", signed)], rates[("nginx", signed)], rates[("direct", signed)]);
            var ratio = gateway / Math.Max(nginx, 1e-9);
            Console.WriteLine($"- {(signed ? "with a token" : "anonymous")}: gateway / nginx = {Number(ratio, "F2")}, gateway / direct = {Number(gateway / Math.Max(direct, 1e-9), "F2")}, "
                + $"nginx / direct = {Number(nginx / Math.Max(direct, 1e-9), "F2")} (goal 5: gateway ≥ 0.80 × nginx) — {(ratio >= 0.8 ? "met" : "missed")}");
        }
        Console.WriteLine(mismatches.Count == 0 ? "- every checked answer 200 with the same body directly, through nginx and through the gateway" : "- answers differ: " + string.Join("; ", mismatches));
    }
}
