using System.Globalization;
using System.Text.Json.Nodes;

namespace Marketplace.Portal.Components.Shared;

/// <summary>The registration application as the form edits it; turned into the API's request for self-check and save.</summary>
public sealed class ContractModel
{
    public sealed class CostRow
    {
        public string Item { get; set; } = "";
        public string Amount { get; set; } = "";
        public bool Carrier { get; set; }
    }

    public sealed class IpRow
    {
        public string Type { get; set; } = "invention_patent";
        public string Number { get; set; } = "";
    }

    public string Title { get; set; } = "";
    public string Type { get; set; } = "transfer";
    public string Subtype { get; set; } = "patent_transfer";
    public string Field { get; set; } = "";
    public string SellerName { get; set; } = "";
    public string SellerCreditCode { get; set; } = "";
    public string SellerRegion { get; set; } = "";
    public string BuyerName { get; set; } = "";
    public string BuyerCreditCode { get; set; } = "";
    public string BuyerRegion { get; set; } = "";
    public string SignedOn { get; set; } = "";
    public string ValidFrom { get; set; } = "";
    public string ValidTo { get; set; } = "";
    public string TotalAmount { get; set; } = "";
    public string LicenseTermYears { get; set; } = "";
    public string Exclusivity { get; set; } = "";
    public string? DealId { get; set; }
    public List<CostRow> Costs { get; } = [];
    public List<IpRow> IpItems { get; } = [];

    private static decimal? Number(string text) => decimal.TryParse(text.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? n : null;
    private static string? Date(string text) => DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
        ? d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;

    /// <summary>Amounts the form cannot read: marked before anything is sent.</summary>
    public Dictionary<string, string[]> FormatErrors()
    {
        var errors = new Dictionary<string, string[]>();
        if (TotalAmount.Trim().Length > 0 && Number(TotalAmount) is null) errors["totalAmount"] = ["请输入合同总金额（元），如 1200000 / Enter the amount in yuan."];
        if (Costs.Any(c => c.Amount.Trim().Length > 0 && Number(c.Amount) is null)) errors["nonTechnicalCosts"] = ["非技术性费用金额须为数字（元）/ Cost amounts are numbers in yuan."];
        return errors;
    }

    public Dictionary<string, object?> ToRequest() => new()
    {
        ["title"] = Title.Trim(),
        ["type"] = Type,
        ["subtype"] = Subtype,
        ["field"] = Field.Length == 0 ? null : Field,
        ["seller"] = new { name = SellerName.Trim(), creditCode = SellerCreditCode.Trim(), regionCode = SellerRegion.Trim() },
        ["buyer"] = new { name = BuyerName.Trim(), creditCode = BuyerCreditCode.Trim(), regionCode = BuyerRegion.Trim() },
        ["signedOn"] = Date(SignedOn),
        ["validFrom"] = Date(ValidFrom),
        ["validTo"] = Date(ValidTo),
        ["totalAmount"] = Number(TotalAmount),
        ["nonTechnicalCosts"] = Costs.Where(c => c.Item.Trim().Length > 0 || c.Amount.Trim().Length > 0)
            .Select(c => new { item = c.Item.Trim(), amount = Number(c.Amount), carrier = c.Carrier }).ToArray(),
        ["ipItems"] = IpItems.Where(i => i.Number.Trim().Length > 0).Select(i => new { type = i.Type, number = i.Number.Trim() }).ToArray(),
        ["licenseTermYears"] = Type == "license" && int.TryParse(LicenseTermYears, out var years) ? years : null,
        ["exclusivity"] = Type == "license" && Exclusivity.Length > 0 ? Exclusivity : null,
        ["dealId"] = DealId,
    };

    public static ContractModel From(JsonObject a)
    {
        static string Text(JsonNode? n) => n?.ToString() ?? "";
        var model = new ContractModel
        {
            Title = Text(a["title"]), Type = Text(a["type"]), Subtype = Text(a["subtype"]), Field = Text(a["field"]),
            SellerName = Text(a["seller"]?["name"]), SellerCreditCode = Text(a["seller"]?["creditCode"]), SellerRegion = Text(a["seller"]?["regionCode"]),
            BuyerName = Text(a["buyer"]?["name"]), BuyerCreditCode = Text(a["buyer"]?["creditCode"]), BuyerRegion = Text(a["buyer"]?["regionCode"]),
            SignedOn = Text(a["signedOn"]), ValidFrom = Text(a["validFrom"]), ValidTo = Text(a["validTo"]),
            TotalAmount = ((decimal?)a["totalAmount"])?.ToString(CultureInfo.InvariantCulture) ?? "",
            LicenseTermYears = Text(a["licenseTermYears"]), Exclusivity = Text(a["exclusivity"]), DealId = (string?)a["dealId"],
        };
        foreach (var c in a["nonTechnicalCosts"]?.AsArray() ?? [])
            model.Costs.Add(new CostRow { Item = Text(c?["item"]), Amount = ((decimal?)c?["amount"])?.ToString(CultureInfo.InvariantCulture) ?? "", Carrier = (bool?)c?["carrier"] ?? false });
        foreach (var i in a["ipItems"]?.AsArray() ?? [])
            model.IpItems.Add(new IpRow { Type = Text(i?["type"]), Number = Text(i?["number"]) });
        return model;
    }
}
