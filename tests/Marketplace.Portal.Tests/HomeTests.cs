using Marketplace.Portal.Components.Pages;

namespace Marketplace.Portal.Tests;

/// <summary>The market at a glance, against the API's answers.</summary>
public sealed class HomeTests : SignedInTestContext
{
    private IRenderedComponent<Home> RenderHome(long brokers, bool brokersCapped)
    {
        AddAuthorization();
        Api.On("GET /api/search", new { items = Array.Empty<object>(), total = 42, page = 1, pageSize = 1 });
        // as the API answers a total it stopped counting at (DESIGN.md §4)
        Api.On("GET /api/brokers", new { items = Array.Empty<object>(), total = brokers, page = 1, pageSize = 1, totalCapped = brokersCapped });
        Api.On("GET /api/stats/turnover", new { count = 0, turnover = 0m, technologyTransactionAmount = 0m, groups = Array.Empty<object>() });
        return Render<Home>();
    }

    private static string BrokersFigure(IRenderedComponent<Home> home) =>
        home.FindAll(".portal-stat").Single(c => c.TextContent.Contains("在册技术经纪人", StringComparison.Ordinal))
            .QuerySelector(".ant-statistic-content")!.TextContent.Trim();

    [Fact]
    public void A_broker_count_the_API_stopped_counting_at_reads_as_more_than_it()
    {
        var home = RenderHome(10_000, brokersCapped: true);
        home.WaitForAssertion(() => Assert.EndsWith("+", BrokersFigure(home), StringComparison.Ordinal));
        Assert.Contains("10", BrokersFigure(home), StringComparison.Ordinal);
    }

    [Fact]
    public void An_exact_broker_count_has_no_plus()
    {
        var home = RenderHome(10_000, brokersCapped: false);
        home.WaitForAssertion(() => Assert.Contains("10", BrokersFigure(home), StringComparison.Ordinal));
        Assert.DoesNotContain("+", BrokersFigure(home), StringComparison.Ordinal);
    }
}
