using Marketplace.ServiceDefaults.Validation;

namespace Marketplace.TestKit;

/// <summary>Request bodies that several test projects send: demo parties, a patent-transfer contract, a separator offer.</summary>
public static class SampleData
{
    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8));

    /// <summary>A registration application between the demo university and the demo enterprise, signed a few days ago.</summary>
    public static object PatentTransferContract(string title, decimal totalAmount, bool withCarrierCost = false) => new
    {
        title,
        type = "transfer",
        subtype = "patent_transfer",
        field = "new-energy",
        seller = new { name = "湖南示范大学（演示）", creditCode = CreditCode.WithCheck("12430100MA4L00001"), regionCode = "430104" },
        buyer = new { name = "长沙示范智造有限公司（演示）", creditCode = CreditCode.WithCheck("91430100MA4L00002"), regionCode = "430104" },
        signedOn = Today.AddDays(-3).ToString("yyyy-MM-dd"),
        validFrom = Today.AddDays(-3).ToString("yyyy-MM-dd"),
        validTo = Today.AddYears(3).ToString("yyyy-MM-dd"),
        totalAmount,
        nonTechnicalCosts = withCarrierCost ? new object[] { new { item = "中试样品（技术载体）", amount = 50_000m, carrier = true } } : [],
        ipItems = new[] { new { type = "invention_patent", number = "ZL201710601862.3" } },
    };

    /// <summary>An offer of ceramic-coated lithium battery separators (what a separator demand looks for).</summary>
    public static object SeparatorOffer(string title) => new
    {
        kind = "offer",
        title,
        summary = "一种耐高温陶瓷涂覆锂电池隔膜的浆料配方与涂布工艺。",
        description = "该成果涉及陶瓷涂覆隔膜的浆料配方、涂布工艺与在线检测装置，已完成中试验证，可独占许可。",
        field = "new-energy",
        keywords = new[] { "锂电池", "隔膜", "陶瓷涂覆" },
        maturity = 6,
        transferModes = new[] { "exclusive_license" },
        price = new { min = 200000m, max = 400000m },
    };
}
