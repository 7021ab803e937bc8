using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Gateway.Tests;

/// <summary>The container health check: <c>dotnet Marketplace.Gateway.dll healthcheck URL</c> exits 0 only for a ready host, and says each check's status.</summary>
public sealed class HealthProbeTests
{
    private static async Task<int> Probe(string url) => (await ProbeSaying(url)).ExitCode;

    private static async Task<(int ExitCode, string Output)> ProbeSaying(string url)
    {
        var dll = typeof(GatewayHost).Assembly.Location;
        using var process = Process.Start(new ProcessStartInfo("dotnet", $"\"{dll}\" healthcheck {url}") { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, output);
    }

    [Fact]
    public async Task The_probe_succeeds_against_a_ready_host_and_fails_when_nothing_answers()
    {
        var directory = Path.Combine(Path.GetTempPath(), "gateway-probe-" + Guid.NewGuid().ToString("N"));
        var app = GatewayHost.Build([], builder =>
        {
            builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
            builder.Configuration["Storage:DataDirectory"] = directory;
        });
        try
        {
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            // the host is ready once its matching index has filled (a moment after start, longer on a busy machine)
            using (var http = new HttpClient())
            {
                var deadline = DateTime.UtcNow.AddSeconds(60);
                while (!(await http.GetAsync($"{address}/health/ready")).IsSuccessStatusCode && DateTime.UtcNow < deadline) await Task.Delay(200);
            }
            var (code, output) = await ProbeSaying($"{address}/health/ready");
            Assert.Equal(0, code);
            // what it prints (a container's health log keeps it): the status, then each check's, the bus's among them
            Assert.StartsWith($"{address}/health/ready: 200 Healthy; ", output);
            Assert.Contains("; masstransit-bus: Healthy", output);
            Assert.Equal(1, await Probe($"{address}/no-such-path"));
            await app.StopAsync();
            Assert.Equal(1, await Probe($"{address}/health/ready"));
        }
        finally
        {
            await app.DisposeAsync();
            try { Directory.Delete(directory, true); } catch (IOException) { }
        }
    }
}
