using System.Text.RegularExpressions;
using Marketplace.Gateway;
using Marketplace.TestKit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Marketplace.Browser.Tests;

/// <summary>Runs where Debian's chromium is installed (./test.sh installs it), or MARKETPLACE_CHROMIUM names a browser.</summary>
public sealed class BrowserFactAttribute : FactAttribute
{
    public static string? Chromium =>
        Environment.GetEnvironmentVariable("MARKETPLACE_CHROMIUM") is { Length: > 0 } configured ? configured
        : new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    public BrowserFactAttribute()
    {
        if (Chromium is null) Skip = "No chromium: ./test.sh installs Debian's chromium package (or set MARKETPLACE_CHROMIUM).";
    }
}

/// <summary>
/// The embedded market (every module in one process, as the README's first command runs it) on a
/// real port, and a headless Chromium driven by Playwright. Each user gets a browser context of
/// their own (their own cookies), as on separate machines.
/// </summary>
public sealed class PortalMarket : IAsyncLifetime
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "portal-" + Guid.NewGuid().ToString("N"));
    private WebApplication? _app;
    private IPlaywright? _playwright;

    public string BaseUrl { get; private set; } = "";
    public IBrowser Browser { get; private set; } = null!;
    public HttpClient Api { get; private set; } = null!;

    /// <summary>
    /// Where the screenshots of the main pages go: TestResults/screenshots (ignored by git), or the
    /// folder in <c>MARKETPLACE_SCREENSHOTS</c> — <c>docs/screenshots</c> refreshes the README's.
    /// </summary>
    public static string Screenshots => Environment.GetEnvironmentVariable("MARKETPLACE_SCREENSHOTS") is { Length: > 0 } folder
        ? Path.GetFullPath(folder, ServiceProcess.RepositoryRoot())
        : Path.Combine(ServiceProcess.RepositoryRoot(), "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        if (BrowserFactAttribute.Chromium is null) return;
        _app = GatewayHost.Build([], builder =>
        {
            builder.WebHost.UseSetting("urls", "http://127.0.0.1:0");
            builder.Configuration["Storage:DataDirectory"] = _directory;
            builder.Configuration["Storage:RequireIndexedQueries"] = "true";
            builder.Configuration["Gateway:RateLimits:SignInPerMinute"] = "1000";
            // set-up through the API creates a hundred things and more in a few seconds
            builder.Configuration["Gateway:RateLimits:ApiPerMinute"] = "100000";
            builder.Configuration["Outbox:PollInterval"] = "00:00:00.200";
        });
        await _app.StartAsync();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Api = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!(await Api.GetAsync("/health/ready")).IsSuccessStatusCode && DateTime.UtcNow < deadline) await Task.Delay(200);

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = BrowserFactAttribute.Chromium,
            Args = ["--no-sandbox", "--disable-dev-shm-usage"],
            Headless = true,
        });
        Directory.CreateDirectory(Screenshots);
    }

    /// <summary>A fresh browser (context) for one user; signed in through the sign-in page when a username is given.</summary>
    public async Task<IPage> OpenAsync(string? username = null, int width = 1280, int height = 800, string password = "Demo!2026")
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseUrl,
            Locale = "zh-CN",
            TimezoneId = "Asia/Shanghai",
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        context.SetDefaultTimeout(20_000);
        var page = await context.NewPageAsync();
        if (username is not null)
        {
            await page.GotoAsync("/signin");
            await page.FillAsync("#username", username);
            await page.FillAsync("#password", password);
            await page.ClickAsync("[data-testid=signin-submit]");
            // a sign-in hashes the password, and the first one of a market also starts its circuit: on a loaded
            // machine (CI failed once at 20 s) it may take longer than a page's other steps
            await page.WaitForURLAsync(new Regex("^(?!.*/signin).*$"), new PageWaitForURLOptions { Timeout = 60_000 });
        }
        return page;
    }

    private Marketplace.ServiceDefaults.Storage.IDocumentStore GatewayStore =>
        _app!.Services.GetRequiredKeyedService<Marketplace.ServiceDefaults.Storage.IDocumentStore>(GatewayHost.StoreKey);

    /// <summary>The portal sessions the gateway keeps (server-side, with the users' tokens).</summary>
    public async Task<IReadOnlyList<string>> SessionsAsync() =>
        [.. (await GatewayStore.QueryAsync(Marketplace.Portal.PortalTicketStore.Collection, new() { Take = 100 })).Items.Select(d => d.Id)];

    public async Task ForgetSessionsAsync()
    {
        foreach (var id in await SessionsAsync()) await GatewayStore.DeleteAsync(Marketplace.Portal.PortalTicketStore.Collection, id);
    }

    /// <summary>Creates, submits and approves a listing through the API (set-up that is not the journey under test).</summary>
    public async Task<string> PublishAsync(string ownerToken, string operatorToken, object listing)
    {
        var created = await (await Api.Send(HttpMethod.Post, "/api/listings", ownerToken, listing)).Expect(201);
        var id = (string)created["id"]!;
        await (await Api.Send(HttpMethod.Post, $"/api/listings/{id}/submit", ownerToken)).Expect(200);
        await (await Api.Send(HttpMethod.Post, $"/api/listings/{id}/approve", operatorToken)).Expect(200);
        return id;
    }

    public async Task<string> TokenAsync(string username, string password = "Demo!2026")
    {
        var response = await Api.Send(HttpMethod.Post, "/api/auth/token", body: new { username, password });
        return (string)(await response.Expect(200))["access_token"]!;
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        Api?.Dispose();
        if (_app is not null) await _app.DisposeAsync();
        try { Directory.Delete(_directory, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

public static class PageExtensions
{
    /// <summary>Waits until the page's interactive circuit is connected: clicks before that do nothing.</summary>
    public static Task InteractiveAsync(this IPage page) => page.WaitForSelectorAsync("[data-interactive=true]");

    public static ILocator TestId(this IPage page, string id) => page.Locator($"[data-testid={id}]");

    /// <summary>Types into an input bound on change, as a user who then leaves the field.</summary>
    public static async Task EnterAsync(this IPage page, string testId, string text)
    {
        var input = page.TestId(testId);
        await input.FillAsync(text);
        await input.DispatchEventAsync("change");
    }

    public static async Task PickAsync(this IPage page, string testId, string value)
    {
        await page.TestId(testId).SelectOptionAsync(value);
    }

    public static Task ShotAsync(this IPage page, string name) =>
        page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(PortalMarket.Screenshots, name + ".png"), FullPage = true });
}
