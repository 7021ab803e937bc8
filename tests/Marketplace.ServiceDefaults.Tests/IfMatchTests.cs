using Marketplace.ServiceDefaults.Errors;
using Marketplace.ServiceDefaults.Http;
using Microsoft.Extensions.Primitives;

namespace Marketplace.ServiceDefaults.Tests;

public sealed class IfMatchTests
{
    [Fact]
    public void No_header_is_no_precondition() => Assert.Null(IfMatch.Parse(StringValues.Empty));

    [Theory]
    [InlineData("\"3\"", 3, true)]
    [InlineData("\"3\"", 4, false)]
    [InlineData("W/\"3\"", 3, false)]
    [InlineData("\"a,b\", \"3\"", 3, true)] // a comma inside an opaque tag does not split the list
    [InlineData(" , \"3\" ,, ", 3, true)]   // empty list elements are allowed
    [InlineData("\"03\"", 3, false)]        // the ETag this market issues for version 3 is "3"
    [InlineData("*", 41, true)]
    public void A_tag_list_matches_when_one_tag_is_the_version(string header, long version, bool matches) =>
        Assert.Equal(matches, IfMatch.Parse(header)!.Matches(version));

    [Fact]
    public void Field_lines_combine_into_one_list()
    {
        var ifMatch = IfMatch.Parse(new StringValues(["\"1\"", "\"2\""]))!;
        Assert.True(ifMatch.Matches(2));
        Assert.False(ifMatch.Matches(3));
    }

    [Theory]
    [InlineData("3")]
    [InlineData("\"3")]
    [InlineData("\"3\" \"4\"")]
    [InlineData("W/3")]
    [InlineData("w/\"3\"")]
    [InlineData("*, \"3\"")]
    [InlineData(",")]
    [InlineData("\"a\"b\"")]
    [InlineData("\"\u00263\u0001\"")]
    public void Anything_but_star_or_entity_tags_is_a_bad_request(string header) =>
        Assert.Throws<ValidationFailedException>(() => IfMatch.Parse(header));
}
