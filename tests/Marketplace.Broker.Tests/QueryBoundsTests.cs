using Marketplace.Contracts;
using Marketplace.TestKit;

namespace Marketplace.Broker.Tests;

/// <summary>Every number a list reads from the query string is bounded: 400 naming the parameter, never a 500, nothing changed.</summary>
public sealed class QueryBoundsTests(BrokerApi api) : IClassFixture<BrokerApi>
{
    [Theory, MemberData(nameof(QueryBounds.BadPaging), MemberType = typeof(QueryBounds))]
    public async Task Directory_lead_and_deal_pages_out_of_range_or_not_numbers_are_400_naming_the_parameter(string query, string parameter)
    {
        var broker = api.Tokens.For(Roles.Broker, "org-bounds");
        QueryBounds.AssertNames(await (await api.Client.Send(HttpMethod.Get, "/api/brokers?" + query)).Expect(400), parameter);
        QueryBounds.AssertNames(await (await api.Client.Send(HttpMethod.Get, "/api/leads?" + query, broker)).Expect(400), parameter);
        QueryBounds.AssertNames(await (await api.Client.Send(HttpMethod.Get, "/api/deals?" + query, broker)).Expect(400), parameter);
    }
}
