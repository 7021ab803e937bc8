using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Marketplace.TestKit;

/// <summary>
/// A host of the market in-process for API tests: a LiteDB folder of its own (deleted afterwards),
/// tokens signed by a test key the host trusts, a clock the test moves, and MassTransit's test
/// harness in place of the bus (the host itself knows nothing of the harness).
/// </summary>
public abstract class ServiceApi<TProgram> : WebApplicationFactory<TProgram> where TProgram : class
{
    private HttpClient? _client;

    /// <param name="name">names the data folder, for whoever finds it in /tmp.</param>
    protected ServiceApi(string name) =>
        DataDirectory = Path.Combine(Path.GetTempPath(), $"{name}-api-{Guid.NewGuid():N}");

    /// <summary>A host on a data folder the test owns (a restart is a second host on the same folder); the folder is left for the test to remove.</summary>
    protected ServiceApi(DirectoryInfo dataDirectory) => (DataDirectory, _ownsData) = (dataDirectory.FullName, false);

    private readonly bool _ownsData = true;

    public string DataDirectory { get; }
    public TestTokens Tokens { get; } = new();
    public TestClock Clock { get; } = new();

    /// <summary>One client for the test class (created on first use).</summary>
    public HttpClient Client => _client ??= CreateClient();

    public ITestHarness Harness => Services.GetRequiredService<ITestHarness>();

    /// <summary>The module's own settings (sweep intervals, time-outs), on top of the common ones.</summary>
    protected virtual IEnumerable<KeyValuePair<string, string>> Settings => [];

    /// <summary>False for hosts whose tests read the real clock (the default: the test's <see cref="Clock"/>).</summary>
    protected virtual bool UseTestClock => true;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Storage:DataDirectory", DataDirectory);
        // a query without its index fails the test that runs it
        builder.UseSetting("Storage:RequireIndexedQueries", "true");
        builder.UseSetting("Auth:Authority", "");
        builder.UseSetting("Auth:PublicKeyPem", Tokens.PublicKeyPem);
        builder.UseSetting("Outbox:PollInterval", "00:00:00.200");
        foreach (var (key, value) in Settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(new ServerErrors()));
        builder.ConfigureTestServices(services =>
        {
            if (UseTestClock) services.AddSingleton<TimeProvider>(Clock);
            // replaces the host's bus with the in-memory harness, keeping every consumer the modules added
            // (the harness's own time-outs, as before: a wait for something that never comes ends soon)
            services.AddMassTransitTestHarness();
        });
    }

    /// <summary>Waits (up to 15 s) until the outbox dispatcher has published a matching event, and returns it.</summary>
    public Task<T> Published<T>(Func<T, bool> match) where T : class =>
        Seen(() => Harness.Published.Select<T>().Select(m => m.Context.Message).FirstOrDefault(match), "published");

    /// <summary>Waits (up to 15 s) until a consumer of this host has consumed a matching message, and returns it.</summary>
    public Task<T> Consumed<T>(Func<T, bool> match) where T : class =>
        Seen(() => Harness.Consumed.Select<T>().Select(m => m.Context.Message).FirstOrDefault(match), "consumed");

    /// <summary>
    /// Publishes a message — <paramref name="deliveries"/> times, each a delivery of its own (its own
    /// message id), as a redelivering bus would — and waits (up to 15 s each) until this host's
    /// consumers have handled every one without a fault.
    /// </summary>
    public async Task Deliver<T>(T message, int deliveries = 1) where T : class
    {
        var ids = Enumerable.Range(0, deliveries).Select(_ => NewId.NextGuid()).ToList();
        foreach (var id in ids) await Harness.Bus.Publish(message, context => context.MessageId = id);
        foreach (var id in ids)
        {
            var consumed = await Seen(() => Harness.Consumed.Select<T>(m => m.Context.MessageId == id).FirstOrDefault(), "consumed");
            Assert.Null(consumed.Exception);
        }
    }

    // Polls what the harness has seen rather than its async lists, whose inactivity time-out fires once
    // per harness and never again: a host shared by a test class would stop waiting after an idle spell.
    private static async Task<T> Seen<T>(Func<T?> find, string what) where T : class
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (find() is { } found) return found;
            Assert.True(DateTime.UtcNow < deadline, $"No {typeof(T).Name} matching the test was {what}.");
            await Task.Delay(25);
        }
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing) _client?.Dispose();
        if (disposing && _ownsData && Directory.Exists(DataDirectory))
        {
            try { Directory.Delete(DataDirectory, true); } catch (IOException) { }
        }
    }
}
