using Marketplace.Contracts;
using Marketplace.TestKit;

namespace Marketplace.Listing.Tests;

/// <summary>Every number a list reads from the query string is bounded: 400 naming the parameter, never a 500, nothing changed.</summary>
public sealed class QueryBoundsTests(ListingApi api) : IClassFixture<ListingApi>
{
    public static TheoryData<string, string> BadPaging => new()
    {
        { "page=0", "page" }, { "page=-1", "page" }, { "page=2147483648", "page" }, { "page=abc", "page" }, { "page=1.5", "page" },
        { "pageSize=0", "pageSize" }, { "pageSize=-5", "pageSize" }, { "pageSize=101", "pageSize" }, { "pageSize=99999999999", "pageSize" },
        { "page=10001&pageSize=1", "page" },
    };

    /// <summary>A validation error lists the parameter; a value that is not a number of its type is named in the detail.</summary>
    private static void AssertNames(System.Text.Json.Nodes.JsonObject problem, string parameter) =>
        Assert.True(problem["errors"]?[parameter] is not null || ((string?)problem["detail"])?.Contains($" {parameter}\"") == true,
            $"The problem does not name {parameter}: {problem.ToJsonString()}");

    [Theory, MemberData(nameof(BadPaging))]
    public async Task Listing_pages_out_of_range_or_not_numbers_are_400_naming_the_parameter(string query, string parameter)
    {
        AssertNames(await (await api.Client.Send(HttpMethod.Get, "/api/listings?" + query)).Expect(400), parameter);
        AssertNames(await (await api.Client.Send(HttpMethod.Get, "/api/listings?mine=true&" + query, api.Tokens.For(Roles.University, "org-bounds"))).Expect(400), parameter);
    }
}
