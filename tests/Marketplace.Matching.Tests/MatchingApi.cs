using Marketplace.TestKit;
using MassTransit;
using MassTransit.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Matching.Tests;

/// <summary>The matching service in-process, fed by the test as the listing service would feed it.</summary>
public sealed class MatchingApi() : ServiceApi<Program>("matching")
{
    protected override bool UseTestClock => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        // The harness stops waiting for good once its bus has been idle for the inactivity timeout
        // (its token is cancelled once, never renewed): a host shared by a test class is often idle
        // longer than that between two tests, so the waits below would give up at once.
        builder.ConfigureTestServices(services =>
            services.Configure<TestHarnessOptions>(o => o.TestInactivityTimeout = TimeSpan.FromMinutes(10)));
    }

    public Task Publish(object message) => Harness.Bus.Publish(message);

    /// <summary>Publishes an event and waits until this host's consumer has handled that very message (a duplicate included).</summary>
    public async Task Deliver<T>(T message) where T : class
    {
        var messageId = NewId.NextGuid();
        await Harness.Bus.Publish(message, context => context.MessageId = messageId);
        await foreach (var consumed in Harness.Consumed.SelectAsync<T>(m => m.Context.MessageId == messageId))
        {
            Assert.Null(consumed.Exception);
            return;
        }
        Assert.Fail($"The {typeof(T).Name} was never consumed.");
    }

    public int Count<T>(Func<T, bool> match) where T : class =>
        Harness.Published.Select<T>().Select(m => m.Context.Message).Count(match);
}
