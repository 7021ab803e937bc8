using Marketplace.Contracts;
using Marketplace.TestKit;

namespace Marketplace.Listing.Tests;

/// <summary>Every number a list reads from the query string is bounded: 400 naming the parameter, never a 500, nothing changed.</summary>
public sealed class QueryBoundsTests(ListingApi api) : IClassFixture<ListingApi>
{
    [Theory, MemberData(nameof(QueryBounds.BadPaging), MemberType = typeof(QueryBounds))]
    public async Task Listing_pages_out_of_range_or_not_numbers_are_400_naming_the_parameter(string query, string parameter)
    {
        QueryBounds.AssertNames(await (await api.Client.Send(HttpMethod.Get, "/api/listings?" + query)).Expect(400), parameter);
        QueryBounds.AssertNames(await (await api.Client.Send(HttpMethod.Get, "/api/listings?mine=true&" + query, api.Tokens.For(Roles.University, "org-bounds"))).Expect(400), parameter);
    }

    [Theory, MemberData(nameof(QueryBounds.BadPaging), MemberType = typeof(QueryBounds))]
    public async Task Interest_and_message_pages_out_of_range_or_not_numbers_are_400_naming_the_parameter(string query, string parameter)
    {
        var enterprise = api.Tokens.For(Roles.Enterprise, "org-interest-bounds");
        QueryBounds.AssertNames(await (await api.Client.Send(HttpMethod.Get, "/api/interests?box=sent&" + query, enterprise)).Expect(400), parameter);
        QueryBounds.AssertNames(await (await api.Client.Send(HttpMethod.Get, $"/api/interests/{Guid.NewGuid()}/messages?" + query, enterprise)).Expect(400), parameter);
    }
}
