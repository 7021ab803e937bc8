using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;

namespace Marketplace.TestKit;

/// <summary>A host of the market started as its own operating-system process, as in production.</summary>
public sealed class ServiceProcess : IDisposable
{
    private readonly string _dll;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public ServiceProcess(string name, string dll, int port, IReadOnlyDictionary<string, string> environment)
    {
        Name = name;
        _dll = dll;
        Port = port;
        _environment = environment;
    }

    public string Name { get; }
    public int Port { get; }
    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    /// <summary>The host's build output, in the configuration the tests were built in.</summary>
    public static string HostDll(string relativeProjectDirectory, string assemblyName)
    {
        var configuration = typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var root = RepositoryRoot();
        var path = Path.Combine(root, relativeProjectDirectory, "bin", configuration, "net10.0", assemblyName + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {relativeProjectDirectory} first.", path);
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Marketplace.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Marketplace.sln not found above the test output.");
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public void Start()
    {
        var info = new ProcessStartInfo("dotnet", $"\"{_dll}\"")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(_dll)!,
        };
        info.Environment["ASPNETCORE_URLS"] = BaseAddress.ToString().TrimEnd('/');
        info.Environment["Urls"] = BaseAddress.ToString().TrimEnd('/');
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        // what a test needs when a request gets no answer: the proxy's forwarding errors and the requests Kestrel refused
        info.Environment["Logging__LogLevel__Yarp.ReverseProxy.Forwarder"] = "Information";
        info.Environment["Logging__LogLevel__Microsoft.AspNetCore.Server.Kestrel.BadRequests"] = "Debug";
        foreach (var (key, value) in _environment) info.Environment[key] = value;
        _process = Process.Start(info) ?? throw new InvalidOperationException($"{Name} did not start.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushing; what was not written is gone.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false }) _process.Kill(entireProcessTree: true);
        _process?.WaitForExit(10_000);
    }

    public async Task WaitUntilReadyAsync(string path = "/health/ready", TimeSpan? timeout = null)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (true)
        {
            if (_process is { HasExited: true }) throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{Output}");
            try
            {
                if ((await http.GetAsync(path)).IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{Name} was not ready at {path}:\n{Output}");
            await Task.Delay(200);
        }
    }

    public string Output => string.Join('\n', _output.TakeLast(200));

    private void Keep(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > 2000) _output.TryDequeue(out _);
    }

    public void Dispose()
    {
        Kill();
        _process?.Dispose();
    }
}
