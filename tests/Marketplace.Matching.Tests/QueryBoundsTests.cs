using Marketplace.Contracts;
using Marketplace.TestKit;

namespace Marketplace.Matching.Tests;

/// <summary>Every number a search or a match list reads from the query string is bounded: 400 naming it, never a 500.</summary>
public sealed class QueryBoundsTests(MatchingApi api) : IClassFixture<MatchingApi>
{
    private readonly HttpClient _client = api.Client;

    [Theory]
    [InlineData("priceMax=9223372036854775808")]          // one above long.MaxValue: the index's price is an Int64
    [InlineData("priceMax=100000000000.01")]              // above the market's ceiling for any amount (100 billion yuan)
    [InlineData("priceMax=-0.01")]
    public async Task A_price_beyond_what_the_market_accepts_is_400_naming_priceMax_in_both_languages(string query)
    {
        var problem = await (await _client.Send(HttpMethod.Get, "/api/search?" + query)).Expect(400);
        var message = (string)problem["errors"]!["priceMax"]![0]!;
        Assert.Contains(" / ", message);
        Assert.Contains("priceMax", message);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", message);
    }

    [Fact]
    public async Task The_largest_price_the_market_accepts_is_a_valid_filter()
    {
        var result = await (await _client.Send(HttpMethod.Get, "/api/search?priceMax=100000000000")).Expect(200);
        Assert.NotNull(result["items"]);
    }

    [Theory]
    [InlineData("/api/search?priceMax=79228162514264337593543950336", "priceMax")] // beyond decimal itself
    [InlineData("/api/search?priceMax=1e3", "priceMax")]
    [InlineData("/api/search?priceMax=abc", "priceMax")]
    [InlineData("/api/search?maturityMin=2147483648", "maturityMin")]
    [InlineData("/api/search?maturityMin=-1", "maturityMin")]
    [InlineData("/api/search?maturityMin=three", "maturityMin")]
    [InlineData("/api/search?page=-1", "page")]
    [InlineData("/api/search?page=2147483648", "page")]
    [InlineData("/api/search?page=abc", "page")]
    [InlineData("/api/search?pageSize=0", "pageSize")]
    [InlineData("/api/search?pageSize=99999999999", "pageSize")]
    public async Task A_search_number_out_of_range_or_not_a_number_is_400_naming_it(string url, string parameter)
    {
        QueryBounds.AssertNames(await (await _client.Send(HttpMethod.Get, url)).Expect(400), parameter);
    }

    [Theory]
    [InlineData("top=-1")]
    [InlineData("top=51")]
    [InlineData("top=2147483648")]
    [InlineData("top=ten")]
    public async Task A_match_count_out_of_range_or_not_a_number_is_400_naming_top(string query)
    {
        var owner = api.Tokens.For(Roles.Enterprise, "org-bounds");
        QueryBounds.AssertNames(await (await _client.Send(HttpMethod.Get, $"/api/matches/{Guid.NewGuid()}?{query}", owner)).Expect(400), "top");
    }
}
