using Marketplace.TestKit;
using MassTransit.Testing;

namespace Marketplace.Matching.Tests;

/// <summary>The matching service in-process, fed by the test as the listing service would feed it.</summary>
public class MatchingApi() : ServiceApi<Program>("matching")
{
    protected override bool UseTestClock => false;

    public Task Publish(object message) => Harness.Bus.Publish(message);

    public int Count<T>(Func<T, bool> match) where T : class =>
        Harness.Published.Select<T>().Select(m => m.Context.Message).Count(match);
}

/// <summary>A replica that only searches (<c>Matching:AnnounceTop = 0</c>): no announcement queue, no match scoring at publication.</summary>
public sealed class SearchOnlyMatchingApi : MatchingApi
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings => [new("Matching:AnnounceTop", "0")];
}
