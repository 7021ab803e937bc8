using Marketplace.Contracts;
using Marketplace.Portal.Api;
using Marketplace.Portal.Components.Pages;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Portal.Tests;

/// <summary>The market at a glance, against the API's answers.</summary>
public sealed class HomeTests : SignedInTestContext
{
    private readonly ManualTime _time = new();

    public HomeTests()
    {
        Services.AddSingleton(new SharedFigures<Home.MarketFigures>(_time));
        Api.On("GET /api/search", new { items = Array.Empty<object>(), total = 42, page = 1, pageSize = 1 });
        Api.On("GET /api/stats/turnover", new { count = 0, turnover = 0m, technologyTransactionAmount = 0m, groups = Array.Empty<object>() });
        Brokers(10_000, capped: false);
    }

    // as the API answers a total it stopped counting at (DESIGN.md §4)
    private void Brokers(long total, bool capped) =>
        Api.On("GET /api/brokers", new { items = Array.Empty<object>(), total, page = 1, pageSize = 1, totalCapped = capped });

    private static string BrokersFigure(IRenderedComponent<Home> home) =>
        home.FindAll(".portal-stat").Single(c => c.TextContent.Contains("在册技术经纪人", StringComparison.Ordinal))
            .QuerySelector(".ant-statistic-content")!.TextContent.Trim();

    private int Asked => Api.Requests.Count;

    [Fact]
    public void A_broker_count_the_API_stopped_counting_at_reads_as_more_than_it()
    {
        AddAuthorization();
        Brokers(10_000, capped: true);
        var home = Render<Home>();
        home.WaitForAssertion(() => Assert.EndsWith("+", BrokersFigure(home), StringComparison.Ordinal));
        Assert.Contains("10", BrokersFigure(home), StringComparison.Ordinal);
    }

    [Fact]
    public void An_exact_broker_count_has_no_plus()
    {
        AddAuthorization();
        var home = Render<Home>();
        home.WaitForAssertion(() => Assert.Contains("10", BrokersFigure(home), StringComparison.Ordinal));
        Assert.DoesNotContain("+", BrokersFigure(home), StringComparison.Ordinal);
    }

    [Fact]
    public void Anonymous_visitors_share_the_figures_for_five_seconds_then_they_are_asked_for_again()
    {
        AddAuthorization();
        var first = Render<Home>();
        first.WaitForAssertion(() => Assert.Equal(5, Asked));

        Brokers(12, capped: false);
        var second = Render<Home>();
        Assert.Contains("10,000", BrokersFigure(second), StringComparison.Ordinal); // the kept figures, at once
        Assert.Equal(5, Asked);

        _time.Advance(SharedFigures<Home.MarketFigures>.MaxAge);
        var later = Render<Home>();
        later.WaitForAssertion(() => Assert.Equal("12", BrokersFigure(later)));
        Assert.Equal(10, Asked);
    }

    [Fact]
    public void A_signed_in_user_gets_figures_of_their_own()
    {
        SignIn(Roles.Operator, "demo-operator-org");
        Render<Home>().WaitForAssertion(() => Assert.Equal(5, Asked));

        // neither kept from their first view nor handed to the next visitor
        var again = Render<Home>();
        again.WaitForAssertion(() => Assert.Equal(10, Asked));
        Assert.Null(Services.GetRequiredService<SharedFigures<Home.MarketFigures>>().Fresh);
    }
}
