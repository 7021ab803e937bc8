using System.Diagnostics;

namespace Marketplace.Benchmarks;

/// <summary>A process of the benchmark's own (a host of the market, or nginx), its last output lines kept; killed with its children on dispose.</summary>
internal sealed class ChildProcess(string name, string fileName, string[] arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment) : IDisposable
{
    /// <summary>A built host of the market, as production starts it, listening on 127.0.0.1 only.</summary>
    public static ChildProcess MarketHost(string name, string dll, int port, Dictionary<string, string> environment)
    {
        var url = $"http://127.0.0.1:{port}";
        // Urls too: appsettings.json names one, and it wins over ASPNETCORE_URLS (not over an environment variable)
        environment["ASPNETCORE_URLS"] = url;
        environment["Urls"] = url;
        environment["DOTNET_ENVIRONMENT"] = "Production";
        environment.TryAdd("Logging__LogLevel__Default", "Warning");
        return new ChildProcess(name, Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet", [dll], Path.GetDirectoryName(dll)!, environment);
    }

    private readonly Queue<string> _output = new();
    private Process? _process;

    public string Name => name;

    public int Pid => _process?.Id ?? throw new InvalidOperationException($"{name} is not started.");

    public bool HasExited => _process is { HasExited: true };

    public int ExitCode => _process?.ExitCode ?? 0;

    /// <summary>CPU time the process used so far (user and system).</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            var process = _process ?? throw new InvalidOperationException($"{name} is not started.");
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public Task WaitForExitAsync(CancellationToken ct) =>
        (_process ?? throw new InvalidOperationException($"{name} is not started.")).WaitForExitAsync(ct);

    public string Output
    {
        get
        {
            lock (_output) return string.Join('\n', _output);
        }
    }

    public void Start()
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.Environment.Remove("ASPNETCORE_ENVIRONMENT");
        foreach (var (key, value) in environment) info.Environment[key] = value;
        _process = Process.Start(info) ?? throw new InvalidOperationException($"{name} did not start.");
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > 100) _output.Dequeue();
        }
    }

    public void Dispose()
    {
        var process = Interlocked.Exchange(ref _process, null);
        if (process is null) return;
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            process.WaitForExit(10_000);
        }
        catch (InvalidOperationException) { }
        process.Dispose();
    }
}
