using System.Text.Json;
using Marketplace.TestKit;

namespace Marketplace.Listing.Tests;

/// <summary>
/// User text is stored in normal form C and without controls, bidi overrides or invisible characters;
/// lengths count what a reader sees; codes are exact; money keeps to fen.
/// </summary>
public sealed class TextHygieneTests(ListingApi api) : IClassFixture<ListingApi>
{
    private readonly HttpClient _client = api.CreateClient();

    private static Dictionary<string, object?> With(string key, object? value)
    {
        var body = Samples.Offer();
        body[key] = value;
        return body;
    }

    private async Task Refused(object body, string field)
    {
        var token = api.University(ListingApi.NewOrg("uni"));
        var problem = await (await _client.Send(HttpMethod.Post, "/api/listings", token, body)).Expect(400);
        Assert.True(problem["errors"]?[field] is not null, $"no error for {field}: {problem}");
        var mine = await (await _client.Send(HttpMethod.Get, "/api/listings?mine=true", token)).Expect(200);
        Assert.Equal(0, (long)mine["total"]!);
    }

    public static TheoryData<string, string> Hidden => new()
    {
        { "title", "高镍三元\u202E锂电池正极材料" },       // right-to-left override
        { "title", "\u200B\u200B\u200B\u200B" },           // four zero-width spaces are not four characters
        { "title", "高镍三元锂电池\u200B正极材料" },
        { "title", "高镍三元锂电池\n正极材料" },             // a title is one line
        { "title", "高镍三元锂电池\u0007正极材料" },         // BEL
        { "title", "高镍三元锂电池\u0085正极材料" },         // C1 next line
        { "summary", "一种高镍三元正极材料的共沉淀制备方法\u2066，循环寿命提升30%。" },
        { "description", "本成果提供高镍三元锂电池正极材料的共沉淀与烧结工艺\u0000，已完成中试验证，适合动力电池企业产业化。" },
        { "holderOrganisation", "中南\uFEFF大学" },
    };

    [Theory]
    [MemberData(nameof(Hidden))]
    public Task Hidden_and_control_characters_are_refused_and_nothing_is_stored(string field, string text) =>
        Refused(With(field, text), field);

    [Fact]
    public Task A_keyword_with_a_zero_width_space_is_refused() =>
        Refused(With("keywords", new[] { "锂电池", "正极\u200B材料" }), "keywords[1]");

    [Fact]
    public async Task Prose_keeps_its_line_breaks_and_text_is_stored_in_normal_form_C()
    {
        var token = api.University(ListingApi.NewOrg("uni"));
        var body = Samples.Offer("Cafe\u0301 高镍三元正极材料");
        body["description"] = "第一段：共沉淀与烧结工艺。\n第二段：\t已完成中试验证，适合动力电池企业产业化。";
        var created = await (await _client.Send(HttpMethod.Post, "/api/listings", token, body)).Expect(201);
        Assert.Equal("Caf\u00E9 高镍三元正极材料", (string)created["title"]!);
        Assert.Contains("\n第二段：\t", (string)created["description"]!);
    }

    [Fact]
    public async Task Lengths_count_visible_characters()
    {
        // q with a dot above and a dot below has no composed form: one character to a reader, three
        // UTF-16 units. Forty of them (120 units) fit a 100-character title; 101 do not.
        const string q = "q\u0323\u0307";
        var token = api.University(ListingApi.NewOrg("uni"));
        await (await _client.Send(HttpMethod.Post, "/api/listings", token, With("title", string.Concat(Enumerable.Repeat(q, 40))))).Expect(201);
        await Refused(With("title", string.Concat(Enumerable.Repeat(q, 101))), "title");
    }

    [Theory]
    [InlineData("kind", "OFFER")]
    [InlineData("kind", "Offer")]
    [InlineData("field", "NEW-ENERGY")]
    public Task Codes_are_exact(string field, string code) => Refused(With(field, code), field);

    [Fact]
    public Task An_enum_code_in_another_case_is_refused_inside_a_list() =>
        Refused(With("transferModes", new[] { "Transfer" }), "transferModes[0]");

    [Theory]
    [InlineData("1.0000000000000000000000000000001")] // read as 1.0000…0: the decimal type keeps 28 decimals
    [InlineData("1000.000000000000000000000001")]
    [InlineData("1000.001")]
    [InlineData("1000.000")]
    public Task Money_beyond_two_decimals_is_refused_not_rounded(string amount)
    {
        var body = JsonSerializer.Serialize(Samples.Offer()).Replace("\"min\":500000,", $"\"min\":{amount},", StringComparison.Ordinal);
        Assert.Contains(amount, body);
        return Refused(body, "price.min");
    }
}
