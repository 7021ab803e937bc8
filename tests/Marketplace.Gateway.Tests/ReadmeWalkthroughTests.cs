using System.Diagnostics;
using System.Text.RegularExpressions;
using Marketplace.TestKit;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Marketplace.Gateway.Tests;

/// <summary>The README's walkthrough runs as written (curl, jq, openssl) against a fresh embedded market.</summary>
public sealed partial class ReadmeWalkthroughTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_snippet_of_the_walkthrough_runs_as_written()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(ServiceProcess.RepositoryRoot(), "README.md"));
        var start = readme.IndexOf("A first listing, from the shell", StringComparison.Ordinal);
        var end = readme.IndexOf("The certificate's `document`", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "the walkthrough's bounds moved in the README");
        var blocks = BashBlock().Matches(readme[start..end]).Select(m => m.Groups["code"].Value).ToList();
        Assert.Equal(5, blocks.Count);

        var directory = Path.Combine(Path.GetTempPath(), "readme-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var app = GatewayHost.Build([], builder =>
        {
            builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
            builder.Configuration["Storage:DataDirectory"] = Path.Combine(directory, "data");
            builder.Configuration["Storage:RequireIndexedQueries"] = "true";
        });
        try
        {
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            var script = "set -euo pipefail\n" + string.Join("\n", blocks).Replace("M=http://localhost:8080", "M=" + address, StringComparison.Ordinal);
            using var bash = Process.Start(new ProcessStartInfo("bash", ["-c", script])
            {
                WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true,
            })!;
            var stdout = bash.StandardOutput.ReadToEndAsync();
            var stderr = bash.StandardError.ReadToEndAsync();
            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            await bash.WaitForExitAsync(limit.Token);
            var printed = await stdout + await stderr;
            output.WriteLine(printed);
            Assert.True(bash.ExitCode == 0, $"the walkthrough stopped (exit {bash.ExitCode}):\n{printed}");
            Assert.Contains("\"published\"", printed);
            Assert.Contains("\n\"高镍三元锂电池正极材料制备技术\"\n", printed); // found by search
            Assert.Contains("\"contacted\"", printed);
            Assert.Contains("表达了对接意向", printed); // the university's inbox
            Assert.Contains("\"accepted\"", printed);
            Assert.Contains("长沙示范智造有限公司（演示）", printed); // a party of the deal the acceptance opened
            Assert.Contains("\"valid\"", printed);
            Assert.Contains("Verified OK", printed);
        }
        finally
        {
            await app.StopAsync();
            await app.DisposeAsync();
            try { Directory.Delete(directory, true); } catch (IOException) { }
        }
    }

    [GeneratedRegex("```bash\\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex BashBlock();
}
