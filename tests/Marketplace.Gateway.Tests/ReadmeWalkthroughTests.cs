using System.Diagnostics;
using System.Text.RegularExpressions;
using Marketplace.TestKit;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
        // what the market logged, for a flow that goes quiet (a notice that never reaches the inbox)
        var log = new HostLog(LogLevel.Information, keep: 600);
        var app = GatewayHost.Build([], builder =>
        {
            builder.Logging.AddProvider(log);
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
            void Printed(string expected, string what) =>
                Assert.True(printed.Contains(expected, StringComparison.Ordinal), $"{what}: \"{expected}\" was not printed\n{printed}\nWhat the market logged:\n{log.Text}");
            Assert.True(bash.ExitCode == 0, $"the walkthrough stopped (exit {bash.ExitCode}):\n{printed}\nWhat the market logged:\n{log.Text}");
            Printed("\"published\"", "the listing");
            Printed("\n\"高镍三元锂电池正极材料制备技术\"\n", "found by search");
            Printed("\"contacted\"", "the broker's deal");
            Printed("表达了对接意向", "the university's inbox");
            Printed("\"accepted\"", "the interest");
            Printed("长沙示范智造有限公司（演示）", "a party of the deal the acceptance opened");
            Printed("\"valid\"", "the registration");
            Printed("Verified OK", "the certificate");
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
