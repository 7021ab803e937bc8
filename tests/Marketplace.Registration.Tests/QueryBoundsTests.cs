using Marketplace.TestKit;

namespace Marketplace.Registration.Tests;

/// <summary>Every number a list reads from the query string is bounded: 400 naming the parameter, never a 500, nothing changed.</summary>
public sealed class QueryBoundsTests(RegistrationApi api) : IClassFixture<RegistrationApi>
{
    [Theory, MemberData(nameof(QueryBounds.BadPaging), MemberType = typeof(QueryBounds))]
    public async Task Contract_pages_out_of_range_or_not_numbers_are_400_naming_the_parameter(string query, string parameter)
    {
        QueryBounds.AssertNames(await (await api.Client.Send(HttpMethod.Get, "/api/contracts?mine=true&" + query, api.Seller())).Expect(400), parameter);
        QueryBounds.AssertNames(await (await api.Client.Send(HttpMethod.Get, "/api/contracts?queue=true&" + query, api.Registrar())).Expect(400), parameter);
    }

    [Theory]
    [InlineData("from=2026-12-31&to=2026-01-01", "to")]
    [InlineData("from=2026-13-01", "from")]
    [InlineData("to=20261231", "to")]
    public async Task Turnover_dates_that_are_not_days_or_end_before_they_start_are_400_naming_the_parameter(string query, string parameter) =>
        QueryBounds.AssertNames(await (await api.Client.Send(HttpMethod.Get, "/api/stats/turnover?" + query)).Expect(400), parameter);
}
