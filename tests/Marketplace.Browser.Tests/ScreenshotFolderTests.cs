using System.Diagnostics;
using Marketplace.TestKit;

namespace Marketplace.Browser.Tests;

/// <summary>A test run leaves the git tree clean: the screenshots it takes land where git ignores them.</summary>
public sealed class ScreenshotFolderTests
{
    [Fact]
    public async Task The_screenshots_of_a_test_run_are_ignored_by_git()
    {
        Assert.Null(Environment.GetEnvironmentVariable("MARKETPLACE_SCREENSHOTS")); // a plain run, as ./test.sh makes it
        var shot = Path.GetRelativePath(ServiceProcess.RepositoryRoot(), Path.Combine(PortalMarket.Screenshots, "home.png"));
        using var git = Process.Start(new ProcessStartInfo("git", ["check-ignore", "-q", shot])
        {
            WorkingDirectory = ServiceProcess.RepositoryRoot(), RedirectStandardError = true,
        })!;
        await git.WaitForExitAsync();
        Assert.True(git.ExitCode == 0, $"{shot} is not ignored by git (exit {git.ExitCode}: {await git.StandardError.ReadToEndAsync()})");
    }
}
