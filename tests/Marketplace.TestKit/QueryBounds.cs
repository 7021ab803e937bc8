using System.Text.Json.Nodes;

namespace Marketplace.TestKit;

/// <summary>The paging parameters every list route reads, and how a refusal must name them.</summary>
public static class QueryBounds
{
    /// <summary>Out of range, beyond the type, not a number, or deeper than paging goes — each with the parameter it must name.</summary>
    public static TheoryData<string, string> BadPaging => new()
    {
        { "page=0", "page" }, { "page=-1", "page" }, { "page=2147483648", "page" }, { "page=abc", "page" }, { "page=1.5", "page" },
        { "pageSize=0", "pageSize" }, { "pageSize=-5", "pageSize" }, { "pageSize=101", "pageSize" }, { "pageSize=99999999999", "pageSize" },
        { "page=10001&pageSize=1", "page" },
    };

    /// <summary>The 400 names the parameter in its field errors.</summary>
    public static void AssertNames(JsonObject problem, string parameter) =>
        Assert.True(problem["errors"]?[parameter] is not null, $"The problem does not name {parameter}: {problem.ToJsonString()}");
}
