using Marketplace.TestKit;

namespace Marketplace.Registration.Tests;

/// <summary>A scripted set of registrations on a fresh host, and the statistics worked out by hand.</summary>
public sealed class TurnoverStatsTests : IDisposable
{
    private readonly RegistrationApi _api = new();

    public void Dispose() => _api.Dispose();

    private async Task Register(DateTimeOffset at, string point, string type, string subtype, string field, decimal amount, decimal costs, string? revoke = null)
    {
        _api.Clock.Now = at;
        var application = new
        {
            title = $"统计用合同 {type} {amount}",
            type,
            subtype,
            field,
            seller = new { name = "湖南示范大学", creditCode = Marketplace.ServiceDefaults.Validation.CreditCode.WithCheck("12430100MA4L00001"), regionCode = "430104" },
            buyer = new { name = "示范企业", creditCode = Marketplace.ServiceDefaults.Validation.CreditCode.WithCheck("91430200MA4L00002"), regionCode = "430211" },
            signedOn = DateOnly.FromDateTime(at.UtcDateTime).AddDays(-5).ToString("yyyy-MM-dd"),
            validFrom = DateOnly.FromDateTime(at.UtcDateTime).AddDays(-5).ToString("yyyy-MM-dd"),
            validTo = "2029-12-31",
            totalAmount = amount,
            nonTechnicalCosts = costs == 0 ? Array.Empty<object>() : [new { item = "设备", amount = costs, carrier = false }],
            licenseTermYears = type == "license" ? 5 : (int?)null,
            exclusivity = type == "license" ? "ordinary" : null,
            ipItems = type is "transfer" or "license" ? new[] { new { type = "invention_patent", number = "ZL202110123456.7" } } : null,
            registrationPoint = point,
        };
        var seller = _api.Tokens.For("university", "stats-uni", point, sub: "stats@" + point);
        var draft = await (await _api.Client.Send(HttpMethod.Post, "/api/contracts", seller, application)).Expect(201);
        await _api.Client.AttachContractText(draft["id"]!, seller);
        await (await _api.Client.Send(HttpMethod.Post, $"/api/contracts/{draft["id"]}/submit", seller)).Expect(200);
        await (await _api.Client.Send(HttpMethod.Post, $"/api/contracts/{draft["id"]}/register", _api.Registrar(point))).Expect(200);
        if (revoke is not null)
            await (await _api.Client.Send(HttpMethod.Post, $"/api/contracts/{draft["id"]}/revoke", _api.Registrar(point), new { reason = revoke })).Expect(200);
    }

    [Fact]
    public async Task Turnover_statistics_equal_the_sums_worked_out_by_hand()
    {
        var t = new DateTimeOffset(2025, 11, 10, 2, 0, 0, TimeSpan.Zero);
        await Register(t, "changsha", "development", "commissioned", "transport", 1_000_000m, 100_000m);         // base year 2025
        await Register(t.AddDays(5), "zhuzhou", "transfer", "patent_transfer", "transport", 500_000m, 0m);         // base year 2025
        await Register(new DateTimeOffset(2026, 3, 2, 2, 0, 0, TimeSpan.Zero), "changsha", "license", "patent_license", "materials", 2_000_000m, 500_000m);
        await Register(new DateTimeOffset(2026, 3, 20, 2, 0, 0, TimeSpan.Zero), "changsha", "consulting", "consulting", "materials", 300_000m, 0m);
        await Register(new DateTimeOffset(2026, 4, 1, 2, 0, 0, TimeSpan.Zero), "xiangtan", "development", "cooperative", "equipment", 800_000m, 0m, revoke: "重复登记");

        var all = await (await _api.Client.Send(HttpMethod.Get, "/api/stats/turnover?groupBy=subMarket")).Expect(200);
        Assert.Equal(4, (int)all["count"]!);                                   // the revoked one does not count
        Assert.Equal(3_800_000m, (decimal)all["turnover"]!);                   // 1,000,000 + 500,000 + 2,000,000 + 300,000
        Assert.Equal(3_200_000m, (decimal)all["technologyTransactionAmount"]!); // 900,000 + 500,000 + 1,500,000 + 300,000
        var bySubMarket = all["groups"]!.AsArray().ToDictionary(g => (string)g!["key"]!, g => g!);
        Assert.Equal(3, (int)bySubMarket["changsha"]["count"]!);
        Assert.Equal(3_300_000m, (decimal)bySubMarket["changsha"]["turnover"]!);
        Assert.Equal(500_000m, (decimal)bySubMarket["zhuzhou"]["technologyTransactionAmount"]!);
        Assert.False(bySubMarket.ContainsKey("xiangtan"));

        var byMonth = await (await _api.Client.Send(HttpMethod.Get, "/api/stats/turnover?groupBy=month&from=2026-01-01&to=2026-12-31")).Expect(200);
        Assert.Equal(2, (int)byMonth["count"]!);
        Assert.Equal(["2026-03"], byMonth["groups"]!.AsArray().Select(g => (string)g!["key"]!));
        Assert.Equal(2_300_000m, (decimal)byMonth["turnover"]!);

        var byType = await (await _api.Client.Send(HttpMethod.Get, "/api/stats/turnover?groupBy=type")).Expect(200);
        Assert.Equal(["consulting", "development", "license", "transfer"], byType["groups"]!.AsArray().Select(g => (string)g!["key"]!));
        var byField = await (await _api.Client.Send(HttpMethod.Get, "/api/stats/turnover?groupBy=field")).Expect(200);
        Assert.Equal(2_300_000m, (decimal)byField["groups"]!.AsArray().Single(g => (string)g!["key"]! == "materials")!["turnover"]!);

        // target: base year 2025 turnover 1,500,000 doubled = 3,000,000 for 2027; nothing registered in 2027 yet
        var target = all["target"]!;
        Assert.Equal(1_500_000m, (decimal)target["baseTurnover"]!);
        Assert.Equal(3_000_000m, (decimal)target["target"]!);
        Assert.Equal(0m, (decimal)target["achieved"]!);
        Assert.Equal(0m, (decimal)target["progress"]!);

        await (await _api.Client.Send(HttpMethod.Get, "/api/stats/turnover?groupBy=buyer")).Expect(400);
        await (await _api.Client.Send(HttpMethod.Get, "/api/stats/turnover?from=2026-05-01&to=2026-01-01")).Expect(400);
        await (await _api.Client.Send(HttpMethod.Get, "/api/stats/turnover?from=yesterday")).Expect(400);
    }
}
