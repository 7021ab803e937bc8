using System.Text.Json.Nodes;
using Marketplace.ServiceDefaults.Validation;
using Marketplace.TestKit;

namespace Marketplace.Registration.Tests;

/// <summary>
/// 技术输出 (by the seller's region) and 技术吸纳 (by the buyer's region) of a set of cross-region contracts, worked out
/// by hand; one revocation then leaves every view at once.
/// </summary>
public sealed class TurnoverViewsTests : IDisposable
{
    private readonly RegistrationApi _api = new();

    public void Dispose() => _api.Dispose();

    private async Task<string> Register(DateTimeOffset at, string point, string sellerRegion, string buyerRegion, string type, string subtype, string field, decimal amount, decimal costs)
    {
        _api.Clock.Now = at;
        var signed = DateOnly.FromDateTime(at.UtcDateTime).AddDays(-5).ToString("yyyy-MM-dd");
        var application = new
        {
            title = $"跨区域统计合同 {sellerRegion}→{buyerRegion}",
            type,
            subtype,
            field,
            seller = new { name = "卖方单位 " + sellerRegion, creditCode = CreditCode.WithCheck("12430100MA4L00001"), regionCode = sellerRegion },
            buyer = new { name = "买方单位 " + buyerRegion, creditCode = CreditCode.WithCheck("91430200MA4L00002"), regionCode = buyerRegion },
            signedOn = signed,
            validFrom = signed,
            validTo = "2032-12-31",
            totalAmount = amount,
            nonTechnicalCosts = costs == 0 ? Array.Empty<object>() : [new { item = "设备", amount = costs, carrier = false }],
            licenseTermYears = type == "license" ? 5 : (int?)null,
            exclusivity = type == "license" ? "ordinary" : null,
            ipItems = type is "transfer" or "license" ? new[] { new { type = "invention_patent", number = "ZL202110123456.7" } } : null,
            registrationPoint = point,
        };
        var seller = _api.Tokens.For("university", "views-" + point, point, sub: "views@" + point);
        var draft = await (await _api.Client.Send(HttpMethod.Post, "/api/contracts", seller, application)).Expect(201);
        await _api.Client.AttachContractText(draft["id"]!, seller);
        await (await _api.Client.Send(HttpMethod.Post, $"/api/contracts/{draft["id"]}/submit", seller)).Expect(200);
        await (await _api.Client.Send(HttpMethod.Post, $"/api/contracts/{draft["id"]}/register", _api.Registrar(point))).Expect(200);
        return (string)draft["id"]!;
    }

    private async Task<JsonObject> Stats(string query) => await (await _api.Client.Send(HttpMethod.Get, "/api/stats/turnover?" + query)).Expect(200);

    /// <summary>key → (count, turnover, technology transaction amount)</summary>
    private async Task<Dictionary<string, (int Count, decimal Turnover, decimal Technology)>> Groups(string query) =>
        (await Stats(query))["groups"]!.AsArray().ToDictionary(g => (string)g!["key"]!,
            g => ((int)g!["count"]!, (decimal)g["turnover"]!, (decimal)g["technologyTransactionAmount"]!));

    private static DateTimeOffset Day(int month, int day) => new(2026, month, day, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Output_and_absorption_count_each_cross_region_contract_once_and_a_revocation_leaves_every_view()
    {
        // seller → buyer                                                                                    amount      costs → 技术交易额
        await Register(Day(3, 2), "changsha", "430104", "440305", "development", "commissioned", "transport", 1_000_000m, 100_000m);  // 长沙→深圳   900,000
        await Register(Day(3, 10), "zhuzhou", "430211", "430103", "transfer", "patent_transfer", "materials", 500_000m, 0m);          // 株洲→长沙   500,000
        var c3 = await Register(Day(4, 1), "changsha", "430104", "430302", "license", "patent_license", "materials", 2_000_000m, 500_000m); // 长沙→湘潭 1,500,000
        await Register(Day(4, 15), "xiangtan", "430302", "110108", "consulting", "consulting", "equipment", 300_000m, 0m);             // 湘潭→北京   300,000
        await Register(Day(5, 6), "changsha", "430104", "430105", "service", "technical_service", "info-tech", 200_000m, 0m);          // 长沙→长沙   200,000
        await Register(Day(5, 20), "hq", "430602", "430203", "development", "cooperative", "environment", 400_000m, 0m);               // 岳阳→株洲   400,000

        // 输出, by the seller's sub-market: Changsha 1,000,000 + 2,000,000 + 200,000; Yueyang is the provincial market's
        var output = await Groups("view=output&groupBy=subMarket");
        Assert.Equal((3, 3_200_000m, 2_600_000m), output["changsha"]);
        Assert.Equal((1, 500_000m, 500_000m), output["zhuzhou"]);
        Assert.Equal((1, 300_000m, 300_000m), output["xiangtan"]);
        Assert.Equal((1, 400_000m, 400_000m), output["hq"]);
        Assert.Equal(4, output.Count);

        // 吸纳, by the buyer's sub-market: Shenzhen and Beijing are outside Hunan, each contract still once
        var absorption = await Groups("view=absorption&groupBy=subMarket");
        Assert.Equal((2, 1_300_000m, 1_200_000m), absorption["outside"]);
        Assert.Equal((2, 700_000m, 700_000m), absorption["changsha"]);
        Assert.Equal((1, 2_000_000m, 1_500_000m), absorption["xiangtan"]);
        Assert.Equal((1, 400_000m, 400_000m), absorption["zhuzhou"]);
        foreach (var view in new[] { "registration", "output", "absorption" })
        {
            var all = await Stats($"view={view}");
            Assert.Equal(6, (int)all["count"]!);
            Assert.Equal(4_400_000m, (decimal)all["turnover"]!);
            Assert.Equal(3_800_000m, (decimal)all["technologyTransactionAmount"]!);
        }
        var byProvince = await Groups("view=absorption&groupBy=province");
        Assert.Equal((1, 300_000m, 300_000m), byProvince["110000"]);
        Assert.Equal((4, 3_100_000m, 2_600_000m), byProvince["430000"]);
        Assert.Equal((1, 1_000_000m, 900_000m), byProvince["440000"]);

        // the five types of the bulletins, and one sub-market's output by type
        var byType = await Groups("view=output&groupBy=type");
        Assert.Equal(["consulting", "development", "license", "service", "transfer"], byType.Keys.Order());
        Assert.Equal((2, 1_400_000m, 1_300_000m), byType["development"]);
        var changshaByType = await Groups("view=output&groupBy=type&subMarket=changsha");
        Assert.Equal((1, 2_000_000m, 1_500_000m), changshaByType["license"]);
        Assert.Equal(["development", "license", "service"], changshaByType.Keys.Order());
        var outside = await Stats("view=absorption&groupBy=month&subMarket=outside");
        Assert.Equal(2, (int)outside["count"]!);
        Assert.Equal(1_300_000m, (decimal)outside["turnover"]!);
        Assert.Equal(["2026-03", "2026-04"], outside["groups"]!.AsArray().Select(g => (string)g!["key"]!));

        // revoking the Changsha → Xiangtan licence takes it out of every view at once
        await (await _api.Client.Send(HttpMethod.Post, $"/api/contracts/{c3}/revoke", _api.Registrar("changsha"), new { reason = "合同当事人申请撤销" })).Expect(200);
        output = await Groups("view=output&groupBy=subMarket");
        Assert.Equal((2, 1_200_000m, 1_100_000m), output["changsha"]);
        absorption = await Groups("view=absorption&groupBy=subMarket");
        Assert.False(absorption.ContainsKey("xiangtan"));
        Assert.Equal((2, 1_300_000m, 1_200_000m), absorption["outside"]);
        Assert.False((await Groups("view=output&groupBy=type")).ContainsKey("license"));
        Assert.Equal((1, 300_000m, 300_000m), (await Groups("view=absorption&groupBy=month"))["2026-04"]);
        Assert.Equal((2, 1_200_000m, 1_100_000m), (await Groups("view=registration&groupBy=subMarket"))["changsha"]);
        Assert.Equal((3, 1_100_000m, 1_100_000m), (await Groups("view=absorption&groupBy=province"))["430000"]);   // 500,000 + 200,000 + 400,000
        foreach (var view in new[] { "registration", "output", "absorption" })
        {
            var all = await Stats($"view={view}");
            Assert.Equal(5, (int)all["count"]!);
            Assert.Equal(2_400_000m, (decimal)all["turnover"]!);
            Assert.Equal(2_300_000m, (decimal)all["technologyTransactionAmount"]!);
        }
    }

    [Theory]
    [InlineData("view=seller", "view")]
    [InlineData("view=registration&groupBy=province", "groupBy")]
    [InlineData("view=output&groupBy=buyer", "groupBy")]
    [InlineData("view=output&subMarket=shenzhen", "subMarket")]
    [InlineData("view=registration&subMarket=outside", "subMarket")]
    public async Task A_view_or_grouping_the_bulletins_do_not_have_is_a_400_naming_the_parameter(string query, string parameter)
    {
        var problem = await (await _api.Client.Send(HttpMethod.Get, "/api/stats/turnover?" + query)).Expect(400);
        Assert.True(problem["errors"]!.AsObject().ContainsKey(parameter), problem.ToJsonString());
    }
}
