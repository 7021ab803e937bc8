using System.Text.Json.Nodes;
using Marketplace.Contracts.Listing;
using Marketplace.Matching.Indexing;
using Marketplace.TestKit;
using Microsoft.Extensions.DependencyInjection;

namespace Marketplace.Matching.Tests;

/// <summary>A matching host with another text analysis (<c>Matching:Analysis</c>), searching only.</summary>
public sealed class AnalysisMatchingApi(string analysis) : MatchingApi
{
    protected override IEnumerable<KeyValuePair<string, string>> Settings =>
        [new("Matching:Analysis", analysis), new("Matching:AnnounceTop", "0")];
}

/// <summary>
/// What people type into the search box, through <c>GET /api/search</c> and <c>GET /api/search/suggest</c>: names of
/// fields, sub-markets and organisations, Latin terms in any case or width, typos, prefixes.
/// </summary>
public sealed class WhatPeopleTypeTests(MatchingApi api) : IClassFixture<MatchingApi>
{
    private readonly HttpClient _client = api.Client;

    private static ListingSnapshot Fresh(string key, string? orgName = null) =>
        MarketCorpus.Snapshot(MarketCorpus.Entries.Single(e => e.Key == key)) with
        {
            Id = Guid.NewGuid(),
            OwnerOrg = "org-" + Guid.NewGuid().ToString("N"),
            OwnerOrgName = orgName ?? "企业" + key,
            PublishedAt = DateTimeOffset.UtcNow,
        };

    private async Task Publish(params ListingSnapshot[] listings)
    {
        foreach (var listing in listings) await api.Deliver(new ListingPublished { Listing = listing });
        api.Services.GetRequiredService<ListingIndex>().Refresh();
    }

    private Task<JsonObject> Search(string q, string more = "") =>
        Get(api, "/api/search?pageSize=100&q=" + Uri.EscapeDataString(q) + more);

    private static async Task<JsonObject> Get(MatchingApi host, string url)
    {
        host.Services.GetRequiredService<ListingIndex>().Refresh();
        return await (await host.Client.Send(HttpMethod.Get, url)).Expect(200);
    }

    private static List<Guid> Ids(JsonObject result) => result["items"]!.AsArray().Select(i => Guid.Parse((string)i!["id"]!)).ToList();

    [Fact]
    public async Task A_fields_a_sub_markets_or_an_organisations_name_finds_their_listings()
    {
        // neither text says 新能源, 株洲 or the university: only what the listing is filed under does
        var battery = Fresh("ncm", orgName: "湖南示范大学") with { SubMarket = "changsha" };
        var brake = Fresh("railbrake", orgName: "株洲轨道装备有限公司（测试）") with { SubMarket = "zhuzhou" };
        var rice = Fresh("rice", orgName: "长沙农业科技有限公司（测试）") with { SubMarket = "changsha" };
        await Publish(battery, brake, rice);

        var newEnergy = Ids(await Search("新能源"));
        Assert.Contains(battery.Id, newEnergy);
        Assert.DoesNotContain(rice.Id, newEnergy);

        Assert.Equal(battery.Id, Ids(await Search("湖南示范大学"))[0]);
        var subMarket = Ids(await Search("株洲分市场"));
        Assert.Contains(brake.Id, subMarket);
        // 分市场 is in every sub-market's name: the Changsha listings may follow, never precede
        Assert.All(new[] { battery.Id, rice.Id }.Where(subMarket.Contains), id => Assert.True(subMarket.IndexOf(brake.Id) < subMarket.IndexOf(id)));
        var zhuzhou = Ids(await Search("株洲"));
        Assert.Contains(brake.Id, zhuzhou);
        Assert.DoesNotContain(battery.Id, zhuzhou);
        // the field's name with a word of the text narrows to the listings of both
        Assert.Equal(battery.Id, Ids(await Search("新能源 正极材料"))[0]);
    }

    [Theory]
    [InlineData("SmartCn")]
    [InlineData("Bigram")]
    [InlineData("Combined")]
    public async Task Latin_terms_match_in_any_case_width_and_number_in_every_analysis(string analysis)
    {
        await using var host = new AnalysisMatchingApi(analysis);
        var ai = Fresh("vision") with { Title = "钢材表面缺陷AI视觉检测系统", Keywords = ["AI质检", "机器视觉"] };
        var battery = Fresh("lfp") with { Summary = "Recycling of lithium-ion batteries: 退役磷酸铁锂电池的拆解与直接再生。" };
        foreach (var listing in new[] { ai, battery }) await host.Deliver(new ListingPublished { Listing = listing });

        foreach (var q in new[] { "AI", "ai", "ＡＩ", "Ai 视觉" })
            Assert.Contains(ai.Id, Ids(await Get(host, "/api/search?q=" + Uri.EscapeDataString(q))));
        foreach (var q in new[] { "lithium battery", "battery", "Batteries", "ＢＡＴＴＥＲＹ" })
        {
            var found = Ids(await Get(host, "/api/search?q=" + Uri.EscapeDataString(q)));
            Assert.Equal(battery.Id, Assert.Single(found));
        }
    }

    [Fact]
    public async Task A_misspelt_query_that_finds_little_offers_the_markets_own_keyword()
    {
        var fault = Fresh("railfault");
        var monitoring = Fresh("d-rail");
        await Publish(fault, monitoring);

        var typo = await Search("故障诊段");
        Assert.Equal("故障诊断", (string?)typo["didYouMean"]);
        var corrected = Ids(await Search((string)typo["didYouMean"]!));
        Assert.Contains(fault.Id, corrected);
        Assert.Contains(monitoring.Id, corrected);

        // a typo inside a longer word, and one in each part of a query: only the typos change
        Assert.Equal("故障诊断仪", (string?)(await Search("故障诊段仪"))["didYouMean"]);
        Assert.Equal("故障诊断 状态监测", (string?)(await Search("故樟诊断 状态监侧"))["didYouMean"]);
        // a query that finds what it asks for, or has no keyword near it, gets no suggestion
        Assert.Null((await Search("故障诊断"))["didYouMean"]);
        Assert.Null((await Search("量子引力波"))["didYouMean"]);
        // the longest query a search takes, all of it unknown, is still an answer
        Assert.Null((await Search(string.Concat(Enumerable.Repeat("诊段故樟 ", 40))[..200]))["didYouMean"]);
        Assert.Null((await Search(new string('段', 200)))["didYouMean"]);
    }

    [Fact]
    public async Task Suggestions_complete_a_prefix_from_titles_and_keywords_most_listings_first()
    {
        var fault = Fresh("railfault") with { Keywords = ["轨道交通", "故障诊断", "牵引电机"] };
        var monitoring = Fresh("d-rail") with { Keywords = ["故障诊断", "轨道交通", "状态监测"] };
        var ai = Fresh("vision") with { Keywords = ["ＡＩ质检", "机器视觉"] };
        await Publish(fault, monitoring, ai);

        var rail = await Get(api, "/api/search/suggest?q=" + Uri.EscapeDataString("轨道"));
        Assert.Equal("轨道", (string?)rail["query"]);
        var items = rail["items"]!.AsArray().Select(i => ((string)i!["text"]!, (int)i["listings"]!)).ToList();
        // other tests of this class publish rail listings too: counts are at least this test's
        Assert.Equal("轨道交通", items[0].Item1);
        Assert.True(items[0].Item2 >= 2);
        Assert.Contains(items, i => i.Item1 == fault.Title);
        Assert.Equal(items.OrderByDescending(i => i.Item2).Select(i => i.Item2), items.Select(i => i.Item2));
        Assert.DoesNotContain(items, i => !i.Item1.StartsWith("轨道", StringComparison.Ordinal));
        Assert.InRange(items.Count, 2, 8);

        // case and width do not matter; the suggestion is written as the listing writes it
        var typed = await Get(api, "/api/search/suggest?q=ai");
        Assert.Contains(typed["items"]!.AsArray(), i => (string)i!["text"]! == "ＡＩ质检");

        // what leaves the market leaves the suggestions
        var gone = Fresh("tea") with { Title = "渥堆菌群定向接种（将撤回）" };
        await Publish(gone);
        Assert.NotEmpty((await Get(api, "/api/search/suggest?q=" + Uri.EscapeDataString("渥堆菌群")))["items"]!.AsArray());
        await api.Deliver(new ListingWithdrawn { ListingId = gone.Id, Version = gone.Version + 1, SubMarket = gone.SubMarket, WithdrawnAt = DateTimeOffset.UtcNow });
        Assert.Empty((await Get(api, "/api/search/suggest?q=" + Uri.EscapeDataString("渥堆菌群")))["items"]!.AsArray());
    }

    [Theory]
    [InlineData("/api/search/suggest")]
    [InlineData("/api/search/suggest?q=")]
    [InlineData("/api/search/suggest?q=%20%20")]
    [InlineData("/api/search/suggest?q=123456789012345678901234567890123456789012345678901")]
    public async Task A_missing_blank_or_too_long_prefix_is_400_naming_q_in_both_languages(string url)
    {
        var problem = await (await _client.Send(HttpMethod.Get, url)).Expect(400);
        var message = (string)problem["errors"]!["q"]![0]!;
        Assert.Contains(" / ", message);
        Assert.Matches(@"\p{IsCJKUnifiedIdeographs}", message);
    }

    [Fact]
    public async Task The_snippet_highlights_a_term_found_only_in_the_description()
    {
        // 绕组 is in the description alone; the summary speaks of vibration and current
        var fault = Fresh("railfault");
        await Publish(fault);
        var hit = (await Search("绕组"))["items"]!.AsArray().Single(i => (string)i!["id"]! == fault.Id.ToString())!;
        Assert.Contains("<em>绕组</em>", (string)hit["snippet"]!);
    }
}

/// <summary>The three orders of a search, through the API, on a market of their own.</summary>
public sealed class SearchSortTests(MatchingApi api) : IClassFixture<MatchingApi>
{
    [Fact]
    public async Task Results_sort_by_relevance_newest_or_price()
    {
        var now = DateTimeOffset.UtcNow;
        ListingSnapshot Offer(string key, int daysAgo, decimal price) =>
            MarketCorpus.Snapshot(MarketCorpus.Entries.Single(e => e.Key == key), publishedAt: now.AddDays(-daysAgo)) with
            {
                Id = Guid.NewGuid(),
                Price = new Money { Min = price, Max = price * 2 },
            };
        var ncm = Offer("ncm", daysAgo: 10, price: 3_000_000m);
        var lfp = Offer("lfp", daysAgo: 1, price: 2_000_000m);
        var hydrogen = Offer("hydrogen", daysAgo: 5, price: 1_000_000m);
        foreach (var listing in new[] { ncm, lfp, hydrogen }) await api.Deliver(new ListingPublished { Listing = listing });
        api.Services.GetRequiredService<ListingIndex>().Refresh();

        async Task<List<Guid>> Ids(string url) =>
            (await (await api.Client.Send(HttpMethod.Get, url)).Expect(200))["items"]!.AsArray().Select(i => Guid.Parse((string)i!["id"]!)).ToList();

        Assert.Equal([lfp.Id, hydrogen.Id, ncm.Id], await Ids("/api/search?kind=offer&sort=newest"));
        Assert.Equal([hydrogen.Id, lfp.Id, ncm.Id], await Ids("/api/search?kind=offer&sort=price"));
        var q = Uri.EscapeDataString("高镍三元 正极材料");
        Assert.Equal(ncm.Id, (await Ids("/api/search?sort=relevance&q=" + q))[0]);
        Assert.Equal(await Ids("/api/search?sort=relevance&q=" + q), await Ids("/api/search?q=" + q));
        // with a query, newest orders the hits by publication, not by score
        var batteries = await Ids("/api/search?sort=newest&q=" + Uri.EscapeDataString("电池"));
        Assert.Equal(batteries.OrderBy(id => id == lfp.Id ? 0 : id == hydrogen.Id ? 1 : 2), batteries);
    }
}
